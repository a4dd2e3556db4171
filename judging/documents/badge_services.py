"""Badges: an event's delegates rendered through Celery in chunks, merged for printing.

Each chunk is one multi-page PDF stored under the job; when the last chunk is in, the parts
are merged into the job's output. A chunk delivered twice overwrites its own part and is
counted once.
"""

from __future__ import annotations

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import F
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from events.models import Event
from judging.documents import badges as rendering
from judging.enums import JobKind, JobStatus
from judging.models import RenderJob
from judging.people import selectors as people_selectors
from qcexchange.queueing import BROKER_DOWN_MESSAGE, enqueue
from submissions.enums import DelegateKind
from submissions.models import Delegate

KIND_LABELS = {
    DelegateKind.DELEGATE: "代表",
    DelegateKind.GUEST: "嘉宾",
    DelegateKind.JUDGE: "评委",
    DelegateKind.STAFF: "工作人员",
}


def badge_data(delegate: Delegate, event: Event) -> rendering.BadgeData:
    """Return what a delegate's badge says (always Chinese: the badge is a printed form)."""
    return rendering.BadgeData(
        name=delegate.name,
        organization=delegate.organization,
        kind=delegate.kind,
        kind_label=KIND_LABELS.get(delegate.kind, delegate.kind),
        code=delegate.checkin_code,
        event_name=event.name,
    )


def badge_delegates(*, event: Event):
    """Return the delegates who get a badge, in print order (organization, then name)."""
    return Delegate.objects.filter(event=event, revoked=False).order_by(
        "organization", "name", "pk"
    )


def render_badges(*, event: Event, user=None) -> RenderJob:
    """Queue the rendering of an event's badges; return the job to poll."""
    with transaction.atomic():
        job = RenderJob.objects.create(
            event=event,
            kind=JobKind.BADGES,
            created_by=user if user and user.is_authenticated else None,
            message=_("正在整理代表名单"),
        )
        language = translation.get_language()
        transaction.on_commit(
            lambda: enqueue(
                "judging.start_badge_job",
                kwargs={"job_id": job.pk, "language": language},
                on_deferred=lambda: RenderJob.objects.filter(pk=job.pk).update(
                    message=BROKER_DOWN_MESSAGE
                ),
            )
        )
    return job


def _part_name(job: RenderJob | int, index: int, event_id: int) -> str:
    job_id = job if isinstance(job, int) else job.pk
    return f"badges/{event_id}/job-{job_id}/{index:04d}.pdf"


def start_badge_job(*, job_id: int) -> RenderJob:
    """Split the event's delegates into chunks and queue each for rendering."""
    job = RenderJob.objects.select_related("event").get(pk=job_id)
    ids = list(badge_delegates(event=job.event).values_list("pk", flat=True))
    size = max(1, settings.QCX_CERTIFICATE_CHUNK)
    chunks = [ids[i : i + size] for i in range(0, len(ids), size)]
    with transaction.atomic():
        job.total, job.done = len(ids), 0
        job.status = JobStatus.RUNNING if ids else JobStatus.DONE
        job.finished_at = None if ids else timezone.now()
        job.message = _("需要生成胸卡 %(count)s 张（%(chunks)s 批）") % {
            "count": len(ids),
            "chunks": len(chunks),
        }
        job.save(update_fields=["total", "done", "status", "finished_at", "message"])
        if chunks:
            language = translation.get_language()
            transaction.on_commit(lambda: _queue_chunks(job, chunks, language))
    return job


def _queue_chunks(job: RenderJob, chunks: list[list[int]], language: str) -> None:
    def tell_waiting():
        RenderJob.objects.filter(pk=job.pk).update(message=BROKER_DOWN_MESSAGE)

    for index, part in enumerate(chunks):
        enqueue(
            "judging.render_badge_chunk",
            kwargs={"job_id": job.pk, "index": index, "delegate_ids": part, "language": language},
            on_deferred=tell_waiting,
        )


def render_badge_chunk(*, job_id: int, index: int, delegate_ids: list[int]) -> int:
    """Render one chunk of badges as one PDF part of the job; return how many badges."""
    job = RenderJob.objects.select_related("event").get(pk=job_id)
    people = list(
        Delegate.objects.filter(pk__in=delegate_ids, event=job.event).order_by(
            "organization", "name", "pk"
        )
    )
    pdf = rendering.render_badges([badge_data(d, job.event) for d in people])
    name = _part_name(job, index, job.event_id)
    seen = default_storage.exists(name)
    if seen:
        default_storage.delete(name)
    default_storage.save(name, ContentFile(pdf))
    if not seen:
        RenderJob.objects.filter(pk=job_id).update(done=F("done") + len(people))
    _finish_if_done(job_id)
    return len(people)


def _finish_if_done(job_id: int) -> None:
    with transaction.atomic():
        job = RenderJob.objects.select_for_update().get(pk=job_id)
        if job.status != JobStatus.RUNNING or job.done < job.total:
            return
        folder = f"badges/{job.event_id}/job-{job.pk}"
        _dirs, files = default_storage.listdir(folder)
        parts = []
        for file_name in sorted(files):
            with default_storage.open(f"{folder}/{file_name}") as handle:
                parts.append(handle.read())
        job.output.save(
            f"{job.event.slug}-badges.pdf", ContentFile(rendering.merge_pdfs(parts)), save=False
        )
        for file_name in files:
            default_storage.delete(f"{folder}/{file_name}")
        job.status, job.finished_at = JobStatus.DONE, timezone.now()
        job.message = _("已生成胸卡 %(done)s 张") % {"done": job.done}
        job.save(update_fields=["output", "status", "finished_at", "message"])


def latest_badges(*, event: Event) -> RenderJob | None:
    """Return the last finished badge job with a file, if any."""
    return people_selectors.latest_badges(event=event)
