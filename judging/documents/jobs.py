"""Writes shared by the background jobs that organizer pages poll (certificates, the report)."""

from django.utils import timezone

from judging.enums import JobStatus
from judging.models import RenderJob


def fail_render_job(*, job_id: int, message: str) -> None:
    """Mark a render job failed with the message the organizer page shows."""
    RenderJob.objects.filter(pk=job_id).update(
        status=JobStatus.FAILED, message=message[:2000], finished_at=timezone.now()
    )
