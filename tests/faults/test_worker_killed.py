"""A Celery worker killed mid-task: the task runs again on the next worker, and its output
exists exactly once (acks_late with reject_on_worker_lost; outputs saved in one transaction).

The certificate batch has its own test (tests/judging/documents/test_certificates_worker.py); this one
kills a worker in the middle of a large Excel import.
"""

import signal
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from qcexchange.models import PendingTask
from submissions.models import ImportJob, Member, Submission
from submissions.services.intake import create_import_job
from tests.conftest import require_service
from tests.factories import CategoryFactory, EventFactory, UserFactory
from tests.faults.services import (
    service_env,
    shared_database_url,
    start_worker,
    stop_process,
    wait_for,
)
from tests.submissions.test_intake import entry, workbook

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]

ROWS = 2500


def test_worker_killed_mid_import_runs_it_again_and_saves_each_entry_once(
    broker, settings, tmp_path
):
    database_url = shared_database_url()
    require_service(
        "a database a Celery worker can share (PostgreSQL)",
        database_url is not None,
        "run the tests with DATABASE_URL=postgres://…",
    )
    event = EventFactory(slug="worker-import")
    CategoryFactory(event=event, kind="qc", name="QC成果", code_prefix="QC", order=1)
    upload = SimpleUploadedFile(
        "entries.xlsx", workbook([entry(n) for n in range(1, ROWS + 1)]).getvalue()
    )
    env = service_env(
        DATABASE_URL=database_url,
        REDIS_URL=broker.url,
        MEDIA_ROOT=str(settings.MEDIA_ROOT),
        CELERY_VISIBILITY_TIMEOUT="3",
    )
    log = open(tmp_path / "worker.log", "w")  # noqa: SIM115
    first = start_worker(env, broker.queue, log)
    second = None
    try:
        job = create_import_job(event=event, upload=upload, user=UserFactory())
        assert list(PendingTask.objects.values_list("error", flat=True)) == []  # sent, not kept

        def state():
            return ImportJob.objects.get(pk=job.pk).state

        wait_for(lambda: state() == ImportJob.State.RUNNING, 60, "the import to start")
        stop_process(first, signal.SIGKILL)  # the worker and its pool process, mid-import
        assert state() == ImportJob.State.RUNNING
        assert Submission.objects.filter(event=event).count() == 0  # nothing half-imported

        # A new worker takes back unacknowledged tasks older than the visibility timeout.
        time.sleep(3.5)
        second = start_worker(env, broker.queue, log)
        wait_for(lambda: state() == ImportJob.State.DONE, 120, "the import to run again")
        time.sleep(4)  # a second delivery, if any, must change nothing
    finally:
        stop_process(first, signal.SIGKILL)
        stop_process(second)
        log.close()
    job.refresh_from_db()
    assert (job.state, job.total, job.done, job.errors) == ("done", ROWS, ROWS, [])
    assert Submission.objects.filter(event=event).count() == ROWS
    assert Member.objects.filter(submission__event=event).count() == 3 * ROWS
    codes = list(Submission.objects.filter(event=event).values_list("code", flat=True))
    assert len(set(codes)) == ROWS
