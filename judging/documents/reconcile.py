"""Certificate jobs reconciled with what their certificates really are.

A chunk whose worker was killed waits in the broker until the visibility timeout hands it to
another worker; until then its job would show "running" with nothing running. A chunk can
also be lost outright: Redis hands a message over (BRPOP) before kombu records it as
unacknowledged, so a worker killed between the two leaves no trace of it in the broker and
no visibility timeout hands it on. Beat runs ``reconcile_certificate_jobs`` every minute: a
running job that has made no progress for ``QCX_JOB_STALL_MINUTES`` is finished when its
certificates are all rendered (by it or by another job), its missing certificates are
queued again otherwise, and after ``MAX_REQUEUES`` fruitless rounds it fails with the count
still missing. A chunk delivered late renders nothing twice (render_certificate_chunk skips
what is already rendered).
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from judging.documents import certificate_files, services
from judging.enums import JobKind, JobStatus
from judging.models import RenderJob

MAX_REQUEUES = 3


def stalled_jobs(*, now: datetime):
    """Return the running certificate jobs that have not moved for the stall period."""
    since = now - timedelta(minutes=settings.QCX_JOB_STALL_MINUTES)
    return RenderJob.objects.filter(kind=JobKind.CERTIFICATES, status=JobStatus.RUNNING).filter(
        Q(progress_at__lt=since) | Q(progress_at__isnull=True, created_at__lt=since)
    )


def reconcile_certificate_jobs(*, now: datetime | None = None) -> dict[int, str]:
    """Reconcile every stalled certificate job; return what became of each (by job id)."""
    now = now or timezone.now()
    return {job_id: reconcile_job(job_id=job_id, now=now) for job_id in
            stalled_jobs(now=now).values_list("pk", flat=True)}  # fmt: skip


def reconcile_job(*, job_id: int, now: datetime) -> str:
    """Finish, re-queue or fail one stalled job from its certificates; return "done",
    "requeued", "failed" or "" (nothing to do)."""
    if certificate_files.finish_if_done(job_id):
        return "done"
    with transaction.atomic():
        job = RenderJob.objects.select_for_update().select_related("event").get(pk=job_id)
        if job.status != JobStatus.RUNNING:
            return ""
        missing = list(services.stale_certificates(event=job.event).values_list("pk", flat=True))
        if job.requeued_times >= MAX_REQUEUES:
            job.status, job.finished_at = JobStatus.FAILED, now
            job.message = _(
                "证书生成中断：%(missing)s 张证书多次重新排队仍未生成（本任务已生成 %(done)s/%(total)s 张），请重新生成"
            ) % {"missing": len(missing), "done": job.done, "total": job.total}
            job.save(update_fields=["status", "finished_at", "message"])
            return "failed"
        job.requeued_times += 1
        job.progress_at = now
        job.save(update_fields=["requeued_times", "progress_at"])
        size = max(1, settings.QCX_CERTIFICATE_CHUNK)
        chunks = [missing[i : i + size] for i in range(0, len(missing), size)]
        language = translation.get_language()
        transaction.on_commit(
            lambda: certificate_files.queue_certificate_chunks(job, chunks, language)
        )
    return "requeued"
