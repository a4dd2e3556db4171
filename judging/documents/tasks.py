"""Celery tasks of the documents stage: thin wrappers that take ids and call one service.

A worker has no request, so a job's progress and failure messages are written in the
language of the request that queued it, which the task receives as `language`.
"""

from functools import partial

from celery import shared_task
from django.utils.translation import gettext as _

from judging.documents import badge_services, certificate_files, reconcile, report_services
from judging.documents import services as certificates
from judging.documents.jobs import fail_render_job
from qcexchange.queueing import in_language


def _retry_or_fail(task, exc: Exception, *, fail, what: str) -> None:
    """Retry a transient failure; on the last try (or a direct call) record it and re-raise."""
    if task.request.called_directly or task.request.retries >= task.max_retries:
        fail(message=_("%(work)s失败：%(error)s") % {"work": what, "error": exc})
        raise exc
    raise task.retry(exc=exc) from exc


@shared_task(
    name="judging.start_certificate_job",
    bind=True,
    acks_late=True,
    reject_on_worker_lost=True,
    max_retries=2,
    default_retry_delay=5,
)
def task_start_certificate_job(self, *, job_id: int, language: str | None = None) -> None:
    """Issue an event's certificates and queue their rendering in chunks."""
    with in_language(language):
        try:
            certificate_files.start_certificate_job(job_id=job_id)
        except certificates.CertificateError as exc:
            fail_render_job(job_id=job_id, message=str(exc))
        except Exception as exc:
            fail = partial(fail_render_job, job_id=job_id)
            _retry_or_fail(self, exc, fail=fail, what=_("证书生成"))


@shared_task(
    name="judging.render_certificate_chunk",
    bind=True,
    acks_late=True,
    reject_on_worker_lost=True,
    max_retries=3,
    default_retry_delay=5,
)
def task_render_certificate_chunk(
    self, *, job_id: int, certificate_ids: list[int], language: str | None = None
) -> int:
    """Render one chunk of certificates; a failed chunk is retried on its own."""
    with in_language(language):
        try:
            return certificate_files.render_certificate_chunk(
                job_id=job_id, certificate_ids=certificate_ids
            )
        except Exception as exc:
            fail = partial(fail_render_job, job_id=job_id)
            _retry_or_fail(self, exc, fail=fail, what=_("证书生成"))


@shared_task(
    name="judging.render_report",
    bind=True,
    acks_late=True,
    reject_on_worker_lost=True,
    max_retries=2,
    default_retry_delay=10,
)
def task_render_report(self, *, job_id: int, language: str | None = None) -> None:
    """Render the conference report of a job's event."""
    with in_language(language):
        try:
            report_services.render_report_job(job_id=job_id)
        except Exception as exc:
            fail = partial(fail_render_job, job_id=job_id)
            _retry_or_fail(self, exc, fail=fail, what=_("总结报告生成"))


@shared_task(name="judging.reconcile_certificate_jobs", acks_late=True, ignore_result=True)
def task_reconcile_certificate_jobs() -> dict[int, str]:
    """Finish, re-queue or fail the certificate jobs that stopped moving (run by beat)."""
    return reconcile.reconcile_certificate_jobs()


@shared_task(
    name="judging.start_badge_job",
    bind=True,
    acks_late=True,
    reject_on_worker_lost=True,
    max_retries=2,
    default_retry_delay=5,
)
def task_start_badge_job(self, *, job_id: int, language: str | None = None) -> None:
    """Queue the rendering of an event's badges in chunks."""
    with in_language(language):
        try:
            badge_services.start_badge_job(job_id=job_id)
        except Exception as exc:
            fail = partial(fail_render_job, job_id=job_id)
            _retry_or_fail(self, exc, fail=fail, what=_("胸卡生成"))


@shared_task(
    name="judging.render_badge_chunk",
    bind=True,
    acks_late=True,
    reject_on_worker_lost=True,
    max_retries=3,
    default_retry_delay=5,
)
def task_render_badge_chunk(
    self, *, job_id: int, index: int, delegate_ids: list[int], language: str | None = None
) -> int:
    """Render one chunk of badges; a failed chunk is retried on its own."""
    with in_language(language):
        try:
            return badge_services.render_badge_chunk(
                job_id=job_id, index=index, delegate_ids=delegate_ids
            )
        except Exception as exc:
            fail = partial(fail_render_job, job_id=job_id)
            _retry_or_fail(self, exc, fail=fail, what=_("胸卡生成"))
