"""Writes shared by the background jobs that organizer pages poll (certificates, the report)."""

from django.utils import timezone
from django.utils.translation import gettext as _

from judging.enums import JobStatus
from judging.models import RenderJob


def fail_render_job(*, job_id: int, message: str) -> None:
    """Mark a render job failed with the message the organizer page shows."""
    RenderJob.objects.filter(pk=job_id).update(
        status=JobStatus.FAILED, message=message[:2000], finished_at=timezone.now()
    )


def close_superseded_jobs(*, job: RenderJob) -> int:
    """Close the event's older running jobs of the same kind: ``job`` takes over their work.

    Their counts stay what they did; the message says which job carries on. Return how many.
    """
    older = RenderJob.objects.filter(
        event_id=job.event_id,
        kind=job.kind,
        status=JobStatus.RUNNING,
        created_at__lt=job.created_at,
    ).exclude(pk=job.pk)
    closed = 0
    for old in older:
        note = _("已由新的任务 #%(job)s 接续（本任务生成 %(done)s/%(total)s 张）") % {
            "job": job.pk,
            "done": old.done,
            "total": old.total,
        }
        closed += RenderJob.objects.filter(pk=old.pk, status=JobStatus.RUNNING).update(
            status=JobStatus.FAILED, finished_at=timezone.now(), message=note
        )
    return closed
