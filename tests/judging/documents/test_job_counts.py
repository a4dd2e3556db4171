"""The numbers a certificate job reports are the numbers it did, in the request's message too."""

from pathlib import Path

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from judging.enums import CertificateStatus, JobStatus
from judging.models import Certificate, RenderJob
from tests.judging.documents_data import published_event

pytestmark = pytest.mark.django_db


@pytest.mark.django_db(transaction=True)
def test_start_certificates_run_in_the_request_reports_what_it_did(client):
    """Without a worker the job runs before the response: the message gives its real counts."""
    event, _ = published_event()
    client.force_login(event.staff.first())
    response = client.post(reverse("judging_documents:start_certificates", args=[event.slug]))
    assert response.status_code == 302
    job = RenderJob.objects.get(event=event)
    rendered = Certificate.objects.filter(event=event, status=CertificateStatus.VALID).exclude(
        file=""
    )
    assert job.status == JobStatus.DONE
    assert job.total == job.done == rendered.count() > 0
    texts = [str(m) for m in get_messages(response.wsgi_request)]
    assert len(texts) == 1
    assert "共 0 张" not in texts[0]
    assert f"已生成 {job.done} 张" in texts[0]


def test_progress_bar_shows_the_job_counts(client, django_capture_on_commit_callbacks):
    event, _ = published_event()
    client.force_login(event.staff.first())
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("judging_documents:start_certificates", args=[event.slug]))
    job = RenderJob.objects.get(event=event)
    text = client.get(
        reverse("judging_documents:job_progress", args=[event.slug, job.pk])
    ).content.decode()
    assert f"{job.done}/{job.total}" in text.replace(" ", "")


def test_a_queued_job_answers_at_once_without_a_count(
    client, tmp_path, django_capture_on_commit_callbacks
):
    """With a broker (the embedded file broker here) the request only queues the job."""
    from qcexchange.celery import app
    from tests.conftest import forget_connections

    event, _ = published_event()
    client.force_login(event.staff.first())
    folder = tmp_path / "broker"
    folder.mkdir()
    saved = app.conf.broker_url, app.conf.broker_transport_options
    app.conf.task_always_eager = False
    app.conf.broker_url = "filesystem://localhost/"
    app.conf.broker_transport_options = {
        "data_folder_in": folder,
        "data_folder_out": folder,
        "control_folder": tmp_path / "control",
    }
    forget_connections(app)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                reverse("judging_documents:start_certificates", args=[event.slug])
            )
    finally:
        app.conf.task_always_eager = True
        app.conf.broker_url, app.conf.broker_transport_options = saved
        forget_connections(app)
    texts = [str(m) for m in get_messages(response.wsgi_request)]
    assert texts == ["已开始生成证书，进度见下方；完成后显示实际生成的张数。"]
    job = RenderJob.objects.get(event=event)
    assert (job.status, job.total, job.done) == (JobStatus.PENDING, 0, 0)
    assert len(list(folder.iterdir())) == 1  # the task waits for the worker
    assert not (Path.cwd() / "control").exists()
