"""Entry life cycle: drafts, submission, reopening, the formal review."""

import datetime as dt

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from events.models import Category, Event
from events.services import record_audit
from qcexchange.queueing import enqueue, in_language

from .. import rules
from ..enums import AttachmentKind, MemberRole, Status
from ..models import Enterprise, Member, ReviewLog, Submission
from .codes import next_codes
from .nominations import nomination_problems

VERDICTS = (Status.ADMITTED, Status.RETURNED, Status.REJECTED, Status.DEFERRED)


def _replace_members(submission: Submission, members: list[dict]) -> None:
    submission.members.all().delete()
    Member.objects.bulk_create(
        Member(
            submission=submission,
            order=order,
            name=member["name"],
            role=member.get("role") or MemberRole.MEMBER,
            post=member.get("post", ""),
            title=member.get("title", ""),
        )
        for order, member in enumerate(members, start=1)
    )


@transaction.atomic
def create_draft(
    *,
    event: Event,
    category: Category,
    enterprise: Enterprise,
    user,
    submission: Submission,
    members: list[dict],
) -> Submission:
    """Save a new entry as a draft under the next free code of its category."""
    if not rules.window_is_open(event, timezone.now()):
        raise PermissionDenied(_("申报时间之外不能新建成果"))
    Event.objects.select_for_update().filter(pk=event.pk).first()
    submission.event = event
    submission.category = category
    submission.enterprise = enterprise
    submission.created_by = user
    submission.status = Status.DRAFT
    submission.code = next_codes(event=event, category=category, count=1)[0]
    submission.save()
    _replace_members(submission, members)
    return submission


@transaction.atomic
def save_draft(*, submission: Submission, members: list[dict] | None) -> Submission:
    """Save an editable entry as it is, complete or not."""
    if not rules.enterprise_can_edit(submission, timezone.now()):
        raise PermissionDenied(_("该成果当前不能修改"))
    submission.save()
    if members is not None:
        _replace_members(submission, members)
    return submission


def completeness_problems(submission: Submission) -> list[str]:
    """Return what is missing before the entry can be submitted, in Chinese."""
    category = submission.category
    if category.is_nomination:
        return nomination_problems(submission)
    problems = []
    required = [
        ("group_name", _("小组/班组名称")),
        ("title", _("题目")),
        ("contact_name", _("联系人")),
    ]
    required.append(("contact_phone", _("联系电话")))
    for field, label in required:
        if not getattr(submission, field):
            problems.append(_("请填写%(field)s") % {"field": label})
    if category.kind == "qc":
        if not submission.topic_type:
            problems.append(_("QC成果请选择课题类型"))
        for field, label in [
            ("group_intro", _("小组简介")),
            ("topic_reason", _("选题理由")),
            ("activity_summary", _("活动概况")),
            ("main_results", _("主要成果")),
        ]:
            if not getattr(submission, field).strip():
                problems.append(_("请填写%(field)s") % {"field": label})
        if not (submission.activity_start and submission.activity_end):
            problems.append(_("请填写活动起止日期"))
    roles = list(submission.members.values_list("role", flat=True))
    count = len(roles)
    if category.kind in ("qc", "team") and count and roles.count(MemberRole.LEADER) != 1:
        problems.append(_("成员中须有且只有一名组长"))
    if category.kind == "story" and count and MemberRole.SPEAKER not in roles:
        problems.append(_("成员中须至少有一名讲述人"))
    if not category.min_members <= count <= category.max_members:
        problems.append(
            _("%(category)s的成员应为%(low)s至%(high)s人，现为%(count)s人")
            % {
                "category": category.name,
                "low": category.min_members,
                "high": category.max_members,
                "count": count,
            }
        )
    if not submission.attachments.filter(kind=AttachmentKind.REPORT).exists():
        problems.append(_("请上传成果报告（PDF）"))
    return problems


def _log(submission, actor, from_status, to_status, message="", deadline=None) -> ReviewLog:
    return ReviewLog.objects.create(
        submission=submission,
        actor=actor,
        from_status=from_status,
        to_status=to_status,
        message=message,
        deadline=deadline,
    )


@transaction.atomic
def submit_entry(*, submission: Submission, user) -> list[str]:
    """Freeze a complete entry as submitted; return the problems when it is not complete."""
    submission = (
        Submission.objects.select_for_update()
        .select_related("event", "category")
        .get(pk=submission.pk)
    )
    if not rules.enterprise_can_edit(submission, timezone.now()):
        return [_("该成果当前不能提交（不在申报时间内或已提交）")]
    problems = completeness_problems(submission)
    if problems:
        return problems
    previous = submission.status
    submission.status = Status.SUBMITTED
    submission.submitted_at = timezone.now()
    submission.save(update_fields=["status", "submitted_at", "updated_at"])
    _log(submission, user, previous, Status.SUBMITTED)
    return []


@transaction.atomic
def reopen_entry(*, submission: Submission, user) -> Submission:
    """Turn a submitted, not yet reviewed entry back into a draft while the window is open."""
    submission = (
        Submission.objects.select_for_update().select_related("event").get(pk=submission.pk)
    )
    if not rules.enterprise_can_reopen(submission, timezone.now()):
        raise PermissionDenied(_("该成果当前不能撤回修改"))
    submission.status = Status.DRAFT
    submission.save(update_fields=["status", "updated_at"])
    _log(submission, user, Status.SUBMITTED, Status.DRAFT)
    return submission


@transaction.atomic
def review_entry(
    *,
    submission: Submission,
    actor,
    verdict: str,
    message: str = "",
    deadline: dt.datetime | None = None,
    request=None,
) -> ReviewLog:
    """Record a formal-review verdict, log it, and e-mail the enterprise once committed."""
    if verdict not in VERDICTS:
        raise ValueError(f"unknown verdict {verdict!r}")
    submission = (
        Submission.objects.select_for_update().select_related("event").get(pk=submission.pk)
    )
    previous = submission.status
    submission.status = verdict
    submission.review_message = message
    submission.fix_deadline = deadline if verdict == Status.RETURNED else None
    submission.save(update_fields=["status", "review_message", "fix_deadline", "updated_at"])
    log = _log(submission, actor, previous, verdict, message, submission.fix_deadline)
    record_audit(
        actor=actor,
        action="submission.review",
        event=submission.event,
        target=submission,
        details={"from": previous, "to": verdict, "message": message},
        request=request,
    )
    queue_review_notice(submission_id=submission.pk)
    return log


def queue_review_notice(*, submission_id: int) -> None:
    """E-mail the enterprise about its entry's verdict once the transaction commits.

    No user's language is stored, so the mail is written in the language of the request
    that gave the verdict (Chinese unless the organizer switched); the worker has none.
    """
    kwargs = {"submission_id": submission_id, "language": translation.get_language()}
    transaction.on_commit(lambda: enqueue("submissions.notify_review", kwargs=kwargs))


def notify_review(*, submission_id: int, language: str | None = None) -> int:
    """E-mail the enterprise's users and the entry's contact about the latest verdict.

    The mail is written in `language`, by default in the active one.
    """
    with in_language(language):
        return _send_review_notice(submission_id)


def _send_review_notice(submission_id: int) -> int:
    submission = Submission.objects.select_related("event", "enterprise").get(pk=submission_id)
    recipients = {
        email
        for email in submission.enterprise.users.filter(is_active=True).values_list(
            "email", flat=True
        )
        if email
    }
    if submission.contact_email:
        recipients.add(submission.contact_email)
    if not recipients:
        return 0
    body = render_to_string("submissions/email/review.txt", {"submission": submission})
    subject = (
        _("【%(event)s】推荐材料 %(code)s 形式审查结果：%(status)s")
        if submission.category.is_nomination
        else _("【%(event)s】成果 %(code)s 形式审查结果：%(status)s")
    ) % {
        "event": submission.event.short_name or submission.event.name,
        "code": submission.code,
        "status": submission.get_status_display(),
    }
    return send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, sorted(recipients))
