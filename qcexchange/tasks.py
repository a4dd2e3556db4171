"""Tasks of the Celery plumbing."""

from celery import shared_task


@shared_task(name="qcexchange.flush_pending_tasks", acks_late=True, ignore_result=True)
def task_flush_pending_tasks() -> int:
    """Send the tasks kept while the broker was unreachable."""
    from .queueing import flush_pending_tasks

    return flush_pending_tasks()
