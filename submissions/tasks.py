"""Celery tasks of the submissions app: thin wrappers around one service each."""

from celery import shared_task


@shared_task(name="submissions.run_import_job", acks_late=True)
def task_run_import_job(*, job_id: int) -> str:
    from .services.intake import run_import_job

    return run_import_job(job_id=job_id).state
