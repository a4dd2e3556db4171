"""Celery tasks of the awards stage: ids in, one service call."""

from celery import shared_task

from judging.awards import fairness_services, services
from qcexchange.queueing import in_language


@shared_task(name="judging.execute_award_run", acks_late=True)
def task_execute_award_run(*, run_id: int, language: str | None = None) -> str:
    """Compute an award run and return its digest."""
    with in_language(language):
        return services.execute_award_run(run_id=run_id).digest


@shared_task(name="judging.compute_fairness_report", acks_late=True)
def task_compute_fairness_report(*, run_id: int) -> None:
    """Build and store the fairness report of an award run."""
    fairness_services.compute_fairness_report(run_id=run_id)
