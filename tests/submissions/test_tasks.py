"""The import job on a real Celery worker (Redis in CI; the in-memory broker elsewhere)."""

import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from submissions.models import ImportJob, Submission
from submissions.services.intake import create_import_job, job_progress
from tests.conftest import forget_connections
from tests.factories import UserFactory
from tests.submissions.test_intake import entry, workbook

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


def test_import_job_runs_on_a_worker_and_reports_progress(event, _celery_eager):
    from celery.contrib.testing.worker import start_worker

    app = _celery_eager
    app.conf.task_always_eager = False
    forget_connections(app)  # route to the default queue whatever an earlier test kept
    upload = SimpleUploadedFile(
        "汇总表.xlsx", workbook([entry(n) for n in range(1, 41)]).getvalue()
    )
    with start_worker(app, perform_ping_check=False, pool="solo", concurrency=1):
        with transaction.atomic():
            job = create_import_job(event=event, upload=upload, user=UserFactory())
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            job.refresh_from_db()
            if job.state in (ImportJob.State.DONE, ImportJob.State.FAILED):
                break
            time.sleep(0.2)
    assert (job.state, job.total, job.summary["created"]) == ("done", 40, 40)
    assert job_progress(job)["percent"] == 100
    assert Submission.objects.filter(event=event).count() == 40
