"""Certificate files: the rendering job (issue, then render the stale ones in chunks), a
design's preview and the ZIP download.

Issuing (who gets a certificate, its number, code and content) is in
judging.documents.services; drawing one page is judging.documents.certificates.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import F
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from events.enums import CategoryKind
from judging.documents import certificates as rendering
from judging.documents.jobs import close_superseded_jobs
from judging.documents.services import (
    CertificateError,
    default_seal_name,
    issue_certificates,
    stale_certificates,
    verify_url,
)
from judging.enums import CertificateAudience, CertificateStatus, JobStatus
from judging.models import Certificate, CertificateDesign, RenderJob
from qcexchange.queueing import BROKER_DOWN_MESSAGE, enqueue


def start_certificate_job(*, job_id: int) -> RenderJob:
    """Issue a job's certificates, then queue the stale ones for rendering in chunks."""
    job = RenderJob.objects.select_related("event").get(pk=job_id)
    close_superseded_jobs(job=job)
    summary = issue_certificates(event=job.event)
    ids = list(stale_certificates(event=job.event).values_list("pk", flat=True))
    chunk = max(1, settings.QCX_CERTIFICATE_CHUNK)
    chunks = [ids[i : i + chunk] for i in range(0, len(ids), chunk)]
    with transaction.atomic():
        job.total, job.done = len(ids), 0
        job.status = JobStatus.RUNNING if ids else JobStatus.DONE
        job.finished_at = None if ids else timezone.now()
        job.progress_at = timezone.now()
        job.message = _(
            "有效证书 %(valid)s 张（新增 %(created)s，内容变化 %(updated)s，"
            "撤销 %(revoked)s）；需要生成 %(todo)s 张"
        ) % {
            "valid": summary.total_valid,
            "created": summary.created,
            "updated": summary.updated,
            "revoked": summary.revoked,
            "todo": len(ids),
        }
        job.save(update_fields=["total", "done", "status", "finished_at", "message", "progress_at"])
        if chunks:
            language = translation.get_language()  # the job's, activated by its task
            transaction.on_commit(lambda: queue_certificate_chunks(job, chunks, language))
    return job


def queue_certificate_chunks(job: RenderJob, chunks: list[list[int]], language: str) -> None:
    def tell_waiting():
        RenderJob.objects.filter(pk=job.pk).update(message=BROKER_DOWN_MESSAGE)

    for part in chunks:
        enqueue(
            "judging.render_certificate_chunk",
            kwargs={"job_id": job.pk, "certificate_ids": part, "language": language},
            on_deferred=tell_waiting,
        )


def _file_uri(name: str) -> str:
    if not name:
        return ""
    try:
        return Path(default_storage.path(name)).as_uri()
    except NotImplementedError:  # remote storage: inline the image
        import base64

        with default_storage.open(name) as handle:
            return "data:image/png;base64," + base64.b64encode(handle.read()).decode()


def render_data(content: dict) -> rendering.CertificateData:
    """Return the rendering input of stored content, with image names turned into URLs."""
    data = dict(content)
    data["seal"] = _file_uri(content.get("seal", ""))
    data["background"] = _file_uri(content.get("background", ""))
    return rendering.CertificateData.from_content(data)


def render_certificate_chunk(*, job_id: int, certificate_ids: list[int]) -> int:
    """Render the stale certificates among these ids as one document; return how many.

    Certificates already rendered from their current content are skipped, so a chunk that
    is delivered again (its worker died, or it was retried) renders nothing twice.
    """
    todo = list(
        Certificate.objects.filter(pk__in=certificate_ids, status=CertificateStatus.VALID)
        .exclude(rendered_hash=F("content_hash"), file__gt="")
        .order_by("number")
    )
    if todo:
        files = rendering.render_chunk([render_data(c.content) for c in todo])
        with transaction.atomic():
            now = timezone.now()
            for cert, data in zip(todo, files, strict=True):
                name = f"certificates/{cert.event_id}/{cert.verify_code}.pdf"
                if default_storage.exists(name):
                    default_storage.delete(name)
                cert.file.save(name, ContentFile(data), save=False)
                cert.rendered_hash, cert.rendered_at = cert.content_hash, now
                cert.save(update_fields=["file", "rendered_hash", "rendered_at"])
            RenderJob.objects.filter(pk=job_id).update(done=F("done") + len(todo), progress_at=now)
    else:
        RenderJob.objects.filter(pk=job_id).update(progress_at=timezone.now())
    finish_if_done(job_id)
    return len(todo)


def finish_if_done(job_id: int) -> bool:
    """Close a running job once its certificates are all rendered; return whether it is done.

    The certificates decide, not the chunk count: a chunk skipped because another job
    rendered its certificates first still lets the job finish, and the message tells how
    many this job rendered itself.
    """
    with transaction.atomic():
        job = RenderJob.objects.select_for_update().get(pk=job_id)
        if job.status != JobStatus.RUNNING:
            return job.status == JobStatus.DONE
        if job.done < job.total and stale_certificates(event=job.event_id).exists():
            return False
        job.status, job.finished_at = JobStatus.DONE, timezone.now()
        done = _("已生成 %(done)s 张") % {"done": job.done}
        if job.done < job.total:
            done = _("%(done)s，其余 %(rest)s 张已由其他任务生成") % {
                "done": done,
                "rest": job.total - job.done,
            }
        job.message = (
            _("%(summary)s；%(done)s") % {"summary": job.message, "done": done}
            if job.message
            else done
        )
        job.save(update_fields=["status", "finished_at", "message"])
        return True


def preview_design(*, design: CertificateDesign) -> bytes:
    """Render a sample certificate of a design (not stored, not verifiable) as PDF."""
    event = design.event
    is_honour = design.audience in CertificateAudience.honours()
    categories = event.categories.order_by("order", "pk")
    if is_honour:  # the first category of the design's kind of honour
        kinds = [
            k
            for k in CategoryKind.nominations()
            if CertificateAudience.for_kind(k) == design.audience
        ]
        categories = categories.filter(kind__in=kinds)
    category = design.category or categories.first()
    person = design.audience in (CertificateAudience.MEMBER, CertificateAudience.PERSON)
    sample_name = "张三" if person else ""
    fields = {
        "enterprise": "示例机械制造股份有限公司",
        "group": "" if is_honour else "精益求精QC小组",
        "title": "" if is_honour else "降低缸体加工不良率",
        "event": event.name,
        "member": sample_name,
        "name": sample_name,
        "organization": "示例机械制造股份有限公司",
        "position": "质量管理部部长" if person else "",
        "recommender": "示例省机械工业联合会",
    }
    try:
        body = design.wording.format(**fields)
    except (KeyError, IndexError, ValueError) as exc:
        raise CertificateError(_("正文含有无法识别的字段 %(field)s") % {"field": exc}) from exc
    honour = category.honour_for_certificate() if category else f"{event.year}年成果标杆"
    number = rendering.format_number(
        event.certificate_number_pattern,
        year=event.year,
        prefix=category.code_prefix if category else "QC",
        seq=1,
    )
    content = rendering.CertificateData(
        audience=design.audience,
        number=number,
        verify_code="PREVIEW000",
        verify_url=verify_url("PREVIEW000"),
        title=design.title,
        body=body,
        honour=honour,
        enterprise=fields["enterprise"],
        group=fields["group"],
        topic=fields["title"],
        member=sample_name,
        issuing_body=design.issuing_body,
        issue_date=rendering.chinese_date(design.issue_date),
        seal=design.seal.name if design.seal else default_seal_name(issuer=design.issuing_body),
        background=design.background.name if design.background else "",
    ).to_content()
    return rendering.render_one(render_data(content))


def write_zip(certificates, target) -> int:
    """Write rendered certificates into a ZIP (stored, PDFs are compressed); return count."""
    count = 0
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_STORED) as archive:
        for cert in certificates:
            if not cert.file:
                continue
            enterprise = cert.content.get("enterprise", "")[:60]
            holder = cert.content.get("member") or cert.content.get("group", "")
            name = f"{cert.number}-{holder}" if holder else cert.number  # an organization's
            arcname = f"{enterprise}/{name}.pdf".replace("\\", "_")
            with cert.file.open("rb") as handle:
                archive.writestr(arcname, handle.read())
            count += 1
    return count
