"""Attachments: checked by content, stored under a random name, hashed."""

import hashlib

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import rules
from ..enums import AttachmentKind
from ..filetypes import check_upload
from ..models import Attachment, Submission

# Entries carry one report and one set of slides; nominations any number of evidence files.
ENTRY_KINDS = (AttachmentKind.REPORT, AttachmentKind.SLIDES, AttachmentKind.OTHER)
NOMINATION_KINDS = (AttachmentKind.EVIDENCE, AttachmentKind.OTHER)
REPLACED_KINDS = (AttachmentKind.REPORT, AttachmentKind.SLIDES)
MAX_FILES_OF_A_KIND = 20


def attachment_kinds(submission: Submission) -> tuple[str, ...]:
    """Return the kinds of file the entry takes: a nomination's evidence, an entry's report."""
    return NOMINATION_KINDS if submission.category.is_nomination else ENTRY_KINDS


def upload_limit_bytes(submission: Submission) -> int:
    megabytes = submission.event.upload_max_mb or settings.QCX_UPLOAD_MAX_MB
    return megabytes * 1024 * 1024


@transaction.atomic
def store_attachment(
    *, submission: Submission, kind: str, upload, user, by_organizer: bool = False
) -> Attachment:
    """Check an uploaded file and keep it: a report or slides replace the old, evidence adds up."""
    if not by_organizer and not rules.enterprise_can_edit(submission, timezone.now()):
        raise PermissionDenied(_("该成果当前不能修改"))
    if kind not in AttachmentKind.values:
        raise ValidationError(_("未知的附件类型"))
    if kind not in attachment_kinds(submission):
        raise ValidationError(
            _("%(category)s不收%(kind)s")
            % {"category": submission.category.name, "kind": AttachmentKind(kind).label}
        )
    if (
        kind not in REPLACED_KINDS
        and submission.attachments.filter(kind=kind).count() >= MAX_FILES_OF_A_KIND
    ):
        raise ValidationError(
            _("%(kind)s最多上传%(count)s个文件，请先删除不需要的")
            % {"kind": AttachmentKind(kind).label, "count": MAX_FILES_OF_A_KIND}
        )
    verdict = check_upload(
        kind=kind, stream=upload, size=upload.size, max_bytes=upload_limit_bytes(submission)
    )
    if verdict.problem:
        raise ValidationError(
            _("%(name)s：%(problem)s") % {"name": upload.name, "problem": verdict.problem}
        )
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    if kind in REPLACED_KINDS:
        for old in submission.attachments.filter(kind=kind):
            old.file.delete(save=False)
            old.delete()
    attachment = Attachment(
        submission=submission,
        kind=kind,
        original_name=upload.name[:200],
        content_type=verdict.content_type,
        size=upload.size,
        sha256=digest.hexdigest(),
        uploaded_by=user,
    )
    attachment.file.save("upload", upload, save=False)
    attachment.save()
    return attachment


@transaction.atomic
def delete_attachment(*, attachment: Attachment) -> None:
    if not rules.enterprise_can_edit(attachment.submission, timezone.now()):
        raise PermissionDenied(_("该成果当前不能修改"))
    attachment.file.delete(save=False)
    attachment.delete()
