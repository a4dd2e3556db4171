"""Celery tasks of the submissions app: thin wrappers around one service each."""

from celery import shared_task


@shared_task(name="submissions.run_import_job", acks_late=True)
def task_run_import_job(*, job_id: int, language: str | None = None) -> str:
    from .services.intake import run_import_job

    return run_import_job(job_id=job_id, language=language).state


@shared_task(
    name="submissions.notify_review",
    acks_late=True,
    autoretry_for=(OSError,),
    retry_backoff=True,
    max_retries=5,
)
def task_notify_review(*, submission_id: int, language: str | None = None) -> int:
    from .services.entries import notify_review

    return notify_review(submission_id=submission_id, language=language)
