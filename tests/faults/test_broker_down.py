"""Redis stops on judging day: no card is lost, work for a worker waits and then runs."""

import os
import uuid

import pytest
from django.urls import reverse

from judging.enums import CardStatus
from judging.models import Certificate, LedgerEntry, RenderJob, Scorecard
from judging.scoring.ledger import verify_ledger
from qcexchange.models import PendingTask
from qcexchange.queueing import BROKER_DOWN_MESSAGE
from qcexchange.tasks import task_flush_pending_tasks
from tests.conftest import require_service
from tests.faults.services import (
    service_env,
    shared_database_url,
    start_worker,
    stop_process,
    wait_for,
)
from tests.judging.documents.test_certificates_worker import build_event
from tests.judging.panel_setup import GOOD, build_panel

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


def submit(client, judge, entry):
    client.force_login(judge.user)
    return client.post(
        "/api/judge/scorecards/",
        {"submission": entry.pk, "client_id": str(uuid.uuid4()), "points": GOOD},
        content_type="application/json",
    )


def test_judges_submit_while_redis_is_stopped_every_card_is_stored(broker, client):
    panel = build_panel(judges=4, entries=4)
    pairs = [(judge, entry) for entry in panel.entries for judge in panel.judges]
    half = len(pairs) // 2
    for judge, entry in pairs[:half]:
        assert submit(client, judge, entry).status_code == 201

    broker.stop()
    health = client.get("/healthz")
    assert health.status_code == 503
    assert health.json()["broker"].startswith("down")
    assert health.json()["database"] == "ok"
    for judge, entry in pairs[half:]:
        response = submit(client, judge, entry)
        assert response.status_code == 201, response.content.decode()

    cards = Scorecard.objects.filter(submission__in=panel.entries, status=CardStatus.SUBMITTED)
    assert cards.count() == 16
    assert all(card.lines.count() == 6 for card in cards)
    assert LedgerEntry.objects.filter(event=panel.event, action="submit").count() == 16
    assert verify_ledger(panel.event).ok


def test_work_for_a_worker_waits_while_redis_is_stopped_and_runs_when_it_returns(
    broker, client, settings, tmp_path
):
    settings.QCX_CERTIFICATE_CHUNK = 2
    event = build_event(entries=2)  # 6 certificates, rendered in 3 chunks
    organizer = panel_organizer(event)
    client.force_login(organizer)
    broker.stop()

    response = client.post(
        reverse("judging_documents:start_certificates", args=[event.slug]), follow=True
    )
    assert response.status_code == 200
    assert BROKER_DOWN_MESSAGE in response.content.decode()
    job = RenderJob.objects.get(event=event)
    assert job.message == BROKER_DOWN_MESSAGE
    assert PendingTask.objects.count() == 1  # the job's start: it issues and queues the chunks
    assert client.get("/healthz").json()["tasks_waiting_for_broker"] == 1

    attempts = PendingTask.objects.first().attempts
    assert task_flush_pending_tasks() == 0  # beat's half-minute run while Redis is still down
    assert PendingTask.objects.count() == 1
    assert PendingTask.objects.first().attempts == attempts + 1

    broker.start()  # the same port: the app reconnects by itself
    assert client.get("/healthz").status_code == 200
    assert task_flush_pending_tasks() == 1
    assert PendingTask.objects.count() == 0
    assert broker.queue_length(broker.queue) == 1

    database_url = shared_database_url()
    require_service(
        "a database a Celery worker can share (PostgreSQL)",
        database_url is not None,
        "run the tests with DATABASE_URL=postgres://…",
    )
    env = service_env(
        DATABASE_URL=database_url, REDIS_URL=broker.url, MEDIA_ROOT=str(settings.MEDIA_ROOT)
    )
    with open(tmp_path / "worker.log", "w") as log:
        worker = start_worker(env, broker.queue, log)
        try:
            wait_for(
                lambda: RenderJob.objects.get(pk=job.pk).status == "done", 120, "the certificates"
            )
        finally:
            stop_process(worker)
    job.refresh_from_db()
    assert (job.status, job.done, job.total) == ("done", 6, 6)
    assert job.message.endswith("已生成 6 张")  # the waiting note is replaced by the outcome
    assert Certificate.objects.filter(event=event).exclude(file="").count() == 6


def panel_organizer(event):
    from tests.factories import UserFactory

    user = UserFactory(username=f"orga-{os.getpid()}-{event.pk}")
    event.staff.add(user)
    return user
