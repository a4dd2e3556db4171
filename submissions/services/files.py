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


def upload_limit_bytes(submission: Submission) -> int:
    megabytes = submission.event.upload_max_mb or settings.QCX_UPLOAD_MAX_MB
    return megabytes * 1024 * 1024


@transaction.atomic
def store_attachment(
    *, submission: Submission, kind: str, upload, user, by_organizer: bool = False
) -> Attachment:
    """Check an uploaded file and keep it as the entry's report or slides (replacing the old)."""
    if not by_organizer and not rules.enterprise_can_edit(submission, timezone.now()):
        raise PermissionDenied(_("该成果当前不能修改"))
    if kind not in AttachmentKind.values:
        raise ValidationError(_("未知的附件类型"))
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
    if kind != AttachmentKind.OTHER:
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
