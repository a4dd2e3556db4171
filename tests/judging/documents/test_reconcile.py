"""Certificate jobs reconciled with their certificates: a chunk lost with its worker is found
and queued again, a job never shows "running" when nothing runs, and its counts are its own."""

from datetime import timedelta

import pytest
from django.conf import settings as django_settings
from django.utils import timezone

from judging.documents import certificate_files, reconcile, services
from judging.models import Certificate, RenderJob
from tests.judging.documents_data import published_event

pytestmark = pytest.mark.django_db


def lost_chunk_job(event, *, rendered: int, minutes_ago: int = 10) -> RenderJob:
    """Return a running job of which one chunk rendered and the next was lost with its worker."""
    services.issue_certificates(event=event)
    ids = list(
        Certificate.objects.filter(event=event).order_by("number").values_list("pk", flat=True)
    )
    job = RenderJob.objects.create(
        event=event, kind="certificates", total=len(ids), status="running", message="有效证书"
    )
    certificate_files.render_certificate_chunk(job_id=job.pk, certificate_ids=ids[:rendered])
    RenderJob.objects.filter(pk=job.pk).update(
        progress_at=timezone.now() - timedelta(minutes=minutes_ago)
    )
    return job


def rendered_count(event) -> int:
    return Certificate.objects.filter(event=event).exclude(rendered_hash="").count()


def test_reconciler_requeues_the_certificates_of_a_lost_chunk_and_finishes_the_job(
    django_capture_on_commit_callbacks,
):
    event, _ = published_event()
    job = lost_chunk_job(event, rendered=2)
    job.refresh_from_db()
    assert (job.status, job.done, job.total) == ("running", 2, 5)
    assert rendered_count(event) == 2

    with django_capture_on_commit_callbacks(execute=True):
        outcome = reconcile.reconcile_certificate_jobs()
    assert outcome == {job.pk: "requeued"}
    job.refresh_from_db()
    assert (job.status, job.done, job.total, job.requeued_times) == ("done", 5, 5, 1)
    assert rendered_count(event) == 5
    assert reconcile.reconcile_certificate_jobs() == {}


def test_reconciler_leaves_a_job_that_is_still_moving():
    event, _ = published_event()
    job = lost_chunk_job(event, rendered=2, minutes_ago=1)
    assert reconcile.reconcile_certificate_jobs() == {}
    job.refresh_from_db()
    assert (job.status, job.requeued_times) == ("running", 0)


def test_reconciler_finishes_a_job_whose_certificates_another_job_rendered_with_its_own_count():
    event, _ = published_event()
    job = lost_chunk_job(event, rendered=2)
    rest = list(
        Certificate.objects.filter(event=event, rendered_hash="").values_list("pk", flat=True)
    )
    other = RenderJob.objects.create(
        event=event, kind="certificates", total=len(rest), status="running"
    )
    certificate_files.render_certificate_chunk(job_id=other.pk, certificate_ids=rest)
    assert reconcile.reconcile_certificate_jobs() == {job.pk: "done"}
    job.refresh_from_db()
    assert (job.status, job.done, job.total) == ("done", 2, 5)
    assert job.message == "有效证书；已生成 2 张，其余 3 张已由其他任务生成"


def test_reconciler_fails_a_job_whose_certificates_never_render():
    event, _ = published_event()
    job = lost_chunk_job(event, rendered=2)
    RenderJob.objects.filter(pk=job.pk).update(requeued_times=reconcile.MAX_REQUEUES)
    assert reconcile.reconcile_certificate_jobs() == {job.pk: "failed"}
    job.refresh_from_db()
    assert job.status == "failed"
    assert job.message == (
        "证书生成中断：3 张证书多次重新排队仍未生成（本任务已生成 2/5 张），请重新生成"
    )


def test_new_job_closes_a_stale_one_and_both_report_what_they_did(
    django_capture_on_commit_callbacks,
):
    event, _ = published_event()
    old = lost_chunk_job(event, rendered=2)
    with django_capture_on_commit_callbacks(execute=True):
        new = services.render_certificates(event=event)
    old.refresh_from_db()
    new.refresh_from_db()
    assert (old.status, old.done, old.total) == ("failed", 2, 5)
    assert old.message == f"已由新的任务 #{new.pk} 接续（本任务生成 2/5 张）"
    assert (new.status, new.done, new.total) == ("done", 3, 3)
    assert not RenderJob.objects.filter(status="running").exists()


def test_a_lost_task_is_handed_on_within_minutes_and_beat_runs_the_reconciler():
    bound = django_settings.CELERY_TASK_TIME_LIMIT
    timeout = django_settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"]
    assert bound < timeout <= bound + 120
    assert timeout <= 15 * 60
    tasks = {entry["task"] for entry in django_settings.CELERY_BEAT_SCHEDULE.values()}
    assert "judging.reconcile_certificate_jobs" in tasks
    assert django_settings.QCX_JOB_STALL_MINUTES * 60 < timeout
