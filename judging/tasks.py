"""Celery tasks of the judging app: thin wrappers that take ids and call one service."""

from celery import shared_task


@shared_task(name="judging.execute_award_run", acks_late=True)
def task_execute_award_run(*, run_id: int) -> str:
    """Compute an award run and return its digest."""
    from .award_service import execute_award_run

    return execute_award_run(run_id=run_id).digest
