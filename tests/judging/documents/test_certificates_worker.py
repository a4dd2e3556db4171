"""A real Celery worker and Redis: a worker killed mid-batch loses no certificate and
renders none twice once a worker runs again."""

import json
import os
import signal
import subprocess
import sys
import time
import uuid
from decimal import Decimal
from pathlib import Path

import pytest
import redis
from django.db import connection, transaction
from django.utils import timezone
from kombu.transport.redis import Channel

from judging.documents import services
from judging.models import AwardRun, Certificate, Publication, RenderJob, Result
from tests.conftest import forget_connections, require_service
from tests.factories import CategoryFactory, EventFactory, MemberFactory, SubmissionFactory

ROOT = Path(__file__).resolve().parents[3]


def shared_database_url() -> str | None:
    """Return a URL of the test database a worker process can open, or None for SQLite."""
    db = connection.settings_dict
    if "postgresql" not in db["ENGINE"]:
        return None
    auth = db["USER"] + (f":{db['PASSWORD']}" if db.get("PASSWORD") else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def build_event(entries: int):
    event = EventFactory(slug=f"worker-{uuid.uuid4().hex[:6]}")
    category = CategoryFactory(event=event)
    run = AwardRun.objects.create(event=event, status="done")
    for n in range(entries):
        entry = SubmissionFactory(event=event, category=category, code=f"QC-{n + 1:03d}")
        MemberFactory(submission=entry, name=f"成员甲{n}")
        MemberFactory(submission=entry, name=f"成员乙{n}")
        Result.objects.create(
            run=run,
            submission=entry,
            final_score=Decimal("90"),
            rank_in_category=n + 1,
            decision="benchmark",
            reason="入选",
        )
    now = timezone.now()
    Publication.objects.create(
        event=event, run=run, notice_starts=now, notice_ends=now + timezone.timedelta(days=1)
    )
    return event


def start_worker(env, queue, log):
    return subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "qcexchange", "worker", "-Q", queue, "-c", "1",
         "--pool", "prefork", "-l", "INFO", "--without-gossip", "--without-mingle",
         "--without-heartbeat"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
    )  # fmt: skip


def worker_waits_for_a_lock() -> bool:
    """Return whether another connection to the test database is waiting for a lock."""
    with connection.cursor() as cursor:
        # pg_stat_activity is read once per transaction unless its snapshot is cleared
        cursor.execute("SELECT pg_stat_clear_snapshot()")
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
            " AND pid <> pg_backend_pid() AND wait_event_type = 'Lock'"
        )
        return cursor.fetchone()[0] > 0


def unacknowledged(client: redis.Redis, queue: str) -> dict[bytes, float]:
    """Return the messages of a queue Redis holds as delivered but not acknowledged, each
    with the time it was delivered (what the visibility timeout is counted from)."""
    delivered = dict(client.zrange(Channel.unacked_index_key, 0, -1, withscores=True))
    return {
        tag: delivered[tag]
        for tag, raw in client.hgetall(Channel.unacked_key).items()
        if json.loads(raw)[2] == queue and tag in delivered  # [message, exchange, routing key]
    }


def wait_for(predicate, timeout, what):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_worker_killed_mid_batch_then_restarted_renders_each_certificate_once(
    needs_redis, settings, tmp_path, _celery_eager
):
    database_url = shared_database_url()
    require_service(
        "a database the worker can share (PostgreSQL)",
        database_url is not None,
        "run the tests with DATABASE_URL=postgres://…",
    )
    settings.QCX_CERTIFICATE_CHUNK = 3
    event = build_event(entries=20)  # 60 certificates in 20 chunks (the worker's setting)
    queue = f"certificates-test-{uuid.uuid4().hex[:8]}"
    app = _celery_eager
    previous = (app.conf.broker_url, app.conf.task_default_queue)
    app.conf.update(broker_url=needs_redis, task_always_eager=False, task_default_queue=queue)
    forget_connections(app)
    broker = redis.Redis.from_url(needs_redis)
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "DJANGO_SETTINGS_MODULE": "qcexchange.settings",
        "DATABASE_URL": database_url,
        "REDIS_URL": needs_redis,
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
        "CELERY_VISIBILITY_TIMEOUT": "3",
        "CELERY_TASK_DEFAULT_QUEUE": queue,
        "QCX_CERTIFICATE_CHUNK": str(settings.QCX_CERTIFICATE_CHUNK),
        "QCX_SITE_URL": settings.QCX_SITE_URL,
        "LOG_LEVEL": "INFO",
    }
    log = open(tmp_path / "worker.log", "w")  # noqa: SIM115
    first = start_worker(env, queue, log)
    second = None
    try:
        job = services.render_certificates(event=event)
        wait_for(
            lambda: RenderJob.objects.get(pk=job.pk).total == 60, 60, "the certificates issued"
        )

        def done():
            return RenderJob.objects.get(pk=job.pk).done

        wait_for(lambda: done() >= 6, 60, "the first chunks")
        # Kill the worker inside a chunk, not between two: holding the job's row keeps it
        # waiting at the end of the chunk it renders (every chunk updates the row), so its
        # message has been delivered and not acknowledged. A worker killed just after one
        # chunk could die after Redis handed it the next message (BRPOP) and before kombu
        # recorded that message as unacknowledged: no broker has it then, and only the
        # reconciler (beat, tests/judging/documents/test_reconcile.py) queues it again.
        with transaction.atomic():
            RenderJob.objects.select_for_update().get(pk=job.pk)
            wait_for(worker_waits_for_a_lock, 60, "the worker held inside a chunk")
            os.killpg(first.pid, signal.SIGKILL)  # the worker and its pool process
            first.wait(10)
        killed_at = done()  # the killed chunk's certificates were never committed
        assert 6 <= killed_at < 60
        rendered_before = dict(
            Certificate.objects.filter(event=event)
            .exclude(rendered_at=None)
            .values_list("pk", "rendered_at")
        )
        held = unacknowledged(broker, queue)
        assert len(held) == 1, held  # the chunk the worker was rendering (prefetch 1)
        # A worker hands back messages delivered longer than the visibility timeout ago when
        # it starts, and then only every 100 s (kombu's restore interval times its
        # throttle): start the new worker once that delivery is older than the timeout.
        visibility_timeout = int(env["CELERY_VISIBILITY_TIMEOUT"])
        delivered_at = max(held.values())
        wait_for(
            lambda: time.time() > delivered_at + visibility_timeout + 0.2,
            visibility_timeout + 10,
            "the killed worker's delivery to outlive the visibility timeout",
        )
        second = start_worker(env, queue, log)
        wait_for(lambda: RenderJob.objects.get(pk=job.pk).status == "done", 120, "the batch")
        # every chunk delivered has run once nothing waits in the queue and none is held
        wait_for(
            lambda: broker.llen(queue) == 0 and not unacknowledged(broker, queue),
            30,
            "the broker to hold no chunk of the batch",
        )
        job.refresh_from_db()
        assert (job.done, job.total) == (60, 60)
        certs = list(Certificate.objects.filter(event=event))
        assert len(certs) == 60
        assert all(c.file and c.rendered_hash == c.content_hash for c in certs)
        assert all(Path(c.file.path).stat().st_size > 10_000 for c in certs)
        for cert in certs:  # certificates rendered before the kill were not rendered again
            if cert.pk in rendered_before:
                assert cert.rendered_at == rendered_before[cert.pk]
        files = list((Path(settings.MEDIA_ROOT) / "certificates" / str(event.pk)).glob("*.pdf"))
        assert len(files) == 60
    finally:
        for worker in (first, second):
            if worker is not None and worker.poll() is None:
                os.killpg(worker.pid, signal.SIGTERM)
                worker.wait(20)
        log.close()
        broker.close()
        app.conf.update(broker_url=previous[0], task_default_queue=previous[1])
        forget_connections(app)
