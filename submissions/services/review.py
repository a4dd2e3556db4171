"""Formal review in bulk (the admin action): verdicts with a reason, each change logged."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from events.services import record_audit

from ..enums import Status
from ..models import ReviewLog, Submission
from .entries import queue_review_notice

REASON_REQUIRED = {Status.REJECTED, Status.DEFERRED, Status.RETURNED}


@transaction.atomic
def record_review_verdict(
    *, submissions: QuerySet[Submission], to_status: str, actor, message: str = ""
) -> int:
    """Give entries a formal-review verdict, logging each change; return how many changed.

    Refusing an entry (不评), deferring it (缓评) or returning it for fixes needs a reason.
    """
    message = message.strip()
    if to_status in REASON_REQUIRED and not message:
        raise ValidationError(
            _("“%(verdict)s”需要填写理由。"),
            params={"verdict": Status(to_status).label},
            code="reason_required",
        )
    changed = 0
    for submission in (
        submissions.select_for_update(of=("self",)).select_related("event").order_by("pk")
    ):
        if submission.status == to_status:
            continue
        log = ReviewLog.objects.create(
            submission=submission,
            actor=actor,
            from_status=submission.status,
            to_status=to_status,
            message=message,
        )
        submission.status = to_status
        submission.review_message = message
        submission.save(update_fields=["status", "review_message", "updated_at"])
        record_audit(
            actor=actor,
            action=f"review.{to_status}",
            event=submission.event,
            target=submission.code,
            details={"from": log.from_status, "to": to_status, "message": message},
        )
        queue_review_notice(submission_id=submission.pk)
        changed += 1
    return changed
