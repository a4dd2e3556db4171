"""Send Celery tasks so that an unreachable broker never loses one or fails the request.

A task that cannot be sent is kept in the database (PendingTask) and sent again by
``flush_pending_tasks``: every half minute from beat, and before any task sent later.
"""

import importlib
import logging
import time

from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext_noop

from .models import PendingTask

logger = logging.getLogger("qcexchange.queue")

# After a failed send, further sends from this process are kept without trying for a few
# seconds: each try against a stopped Redis costs its client's retries (about 2 s).
QUIET_SECONDS = 5.0
_down_until = 0.0

# Stored untranslated on the job; pages show it through the stored_text filter.
BROKER_DOWN_MESSAGE = gettext_noop(
    "消息队列（Redis）暂时不可用：任务已保存，队列恢复后将自动开始，无需重新提交。"
)


def in_language(language: str | None):
    """Word messages in ``language``, the one of the request that queued the work.

    A worker has no request; tasks that write for a person receive the language as an
    argument and run under this (the active language when none was given).
    """
    return translation.override(language or translation.get_language())


def enqueue(task, *, kwargs: dict, on_deferred=None) -> bool:
    """Send a task; when the broker is unreachable keep it for later and return False.

    ``task`` is the task's registered name (``"judging.render_report"``), so a service
    queues work without importing a tasks module; a task object is accepted too.
    ``on_deferred`` is called (without arguments) when the task was kept instead of sent,
    so the caller can tell the user that the work waits for the queue.
    """
    if isinstance(task, str):
        task = registered_task(task)
    if task.app.conf.task_always_eager:
        task.apply_async(kwargs=kwargs)
        return True
    error = "broker unreachable a moment ago" if time.monotonic() < _down_until else ""
    if not error and PendingTask.objects.exists():  # keep the order: older kept tasks first
        flush_pending_tasks()
        if PendingTask.objects.exists():
            error = "broker still unreachable"
    if not error:
        try:
            task.apply_async(kwargs=kwargs, retry=False)
            return True
        except Exception as exc:  # noqa: BLE001 - kombu, redis and socket errors alike
            _note_broker_down()
            error = _reason(exc)
    PendingTask.objects.create(name=task.name, kwargs=kwargs, error=error)
    logger.warning("broker unreachable, task kept task=%s kwargs=%s", task.name, kwargs)
    if on_deferred is not None:
        on_deferred()
    return False


def registered_task(name: str):
    """Return the task registered under ``name``, loading the apps' task modules first."""
    from .celery import app, task_packages

    if name not in app.tasks:
        for package in task_packages():
            importlib.import_module(f"{package}.tasks")
    return app.tasks[name]


def flush_pending_tasks(*, limit: int = 500) -> int:
    """Send the kept tasks in order; stop at the first that still fails; return how many went."""
    from .celery import app

    sent = 0
    for pk in PendingTask.objects.order_by("pk").values_list("pk", flat=True)[:limit]:
        with transaction.atomic():
            pending = PendingTask.objects.select_for_update(skip_locked=True).filter(pk=pk).first()
            if pending is None:  # sent meanwhile by another process
                continue
            try:
                app.send_task(pending.name, kwargs=pending.kwargs, retry=False)
            except Exception as exc:  # noqa: BLE001
                _note_broker_down()
                PendingTask.objects.filter(pk=pk).update(
                    attempts=pending.attempts + 1, error=_reason(exc)
                )
                logger.warning("broker still unreachable pending=%s", pending.pk)
                return sent
            pending.delete()
        sent += 1
    if sent:
        _note_broker_up()
        logger.info("kept tasks sent count=%s", sent)
    return sent


def pending_count() -> int:
    return PendingTask.objects.count()


def _note_broker_down() -> None:
    global _down_until
    _down_until = time.monotonic() + QUIET_SECONDS


def _note_broker_up() -> None:
    global _down_until
    _down_until = 0.0


def _reason(exc: Exception) -> str:
    return f"{exc.__class__.__name__}: {exc}"[:300]
