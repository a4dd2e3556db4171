"""Nominations for honours in the portal: the nominee, the nominating body and its limit.

A nomination is an entry of a category of the kinds org, person or craftsman (design.md §2):
its enterprise is the organization put forward (or the person's own), its recommender the
body that nominates; without a recommender the enterprise that nominated in the portal
(the submitter) counts against the category's limit, else the organization itself.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from events.models import Category, Event

from .. import rules, selectors
from ..enums import AttachmentKind, Status
from ..models import Enterprise, ReviewLog, Submission
from .codes import next_codes

PERSON_ONLY_FIELDS = (
    "nominee_name",
    "nominee_gender",
    "nominee_position",
    "nominee_years",
    "nominee_trade",
    "nominee_skill_level",
)


def limit_message(*, category: Category, body: str, taken: int) -> str:
    """Return the refusal of one nomination more than the category allows a body."""
    return _(
        "“%(category)s”每个推荐单位限报%(limit)s项，“%(body)s”已推荐%(taken)s项，不能再推荐"
    ) % {
        "category": category.name,
        "limit": category.nomination_limit,
        "body": body,
        "taken": taken,
    }


def nominator_name(submission: Submission) -> str:
    """Return the name of the body the nomination counts against."""
    if submission.recommender_id:
        return submission.recommender.name
    return (submission.submitter or submission.enterprise).name


def limit_problem(*, submission: Submission) -> str | None:
    """Return why the nomination would exceed its body's limit in the category, or None."""
    category = submission.category
    if category.nomination_limit is None:
        return None
    key = selectors.nominator_of(
        recommender_id=submission.recommender_id,
        submitter_id=submission.submitter_id,
        enterprise_id=submission.enterprise_id,
    )
    counts = selectors.nomination_counts(
        category=category, exclude=[submission.pk] if submission.pk else []
    )
    if counts[key] < category.nomination_limit:
        return None
    return limit_message(category=category, body=nominator_name(submission), taken=counts[key])


def nomination_problems(submission: Submission) -> list[str]:
    """Return what is missing before the nomination can be submitted, in Chinese."""
    problems = []
    if submission.category.nominates_person and not submission.nominee_name.strip():
        problems.append(_("请填写被推荐人姓名"))
    if not submission.achievements.strip():
        problems.append(_("请填写事迹摘要"))
    for field, label in [("contact_name", _("联系人")), ("contact_phone", _("联系电话"))]:
        if not getattr(submission, field):
            problems.append(_("请填写%(field)s") % {"field": label})
    if not submission.attachments.filter(kind=AttachmentKind.EVIDENCE).exists():
        problems.append(_("请上传证明材料（PDF）"))
    problem = limit_problem(submission=submission)
    if problem:
        problems.append(problem)
    return problems


def _place(submission: Submission, *, organization: str) -> None:
    """Point the nomination at its organization (found or created by its full name)."""
    organization = organization.strip()
    submitter = submission.submitter
    if submitter is not None and organization == submitter.name:
        enterprise = submitter
    else:
        enterprise = Enterprise.objects.filter(name=organization).first()
        if enterprise is None:
            enterprise = Enterprise.objects.create(name=organization)
    submission.enterprise = enterprise
    if not submission.category.nominates_person:
        for field in PERSON_ONLY_FIELDS:
            setattr(submission, field, None if field == "nominee_years" else "")
    elif submission.category.kind != "craftsman":
        submission.nominee_trade = submission.nominee_skill_level = ""
    submission.title = (submission.nominee_name or enterprise.name)[:200]
    submission.group_name = enterprise.name[:120]


def _check(submission: Submission) -> None:
    """Refuse a nomination over its body's limit, or a second one of the same nominee."""
    problem = limit_problem(submission=submission)
    if problem:
        raise ValidationError(problem)
    clash = Submission.objects.filter(
        event=submission.event,
        category=submission.category,
        enterprise=submission.enterprise,
        title=submission.title,
    ).exclude(pk=submission.pk)
    if clash.exists():
        raise ValidationError(
            _("“%(category)s”已有对%(organization)s“%(nominee)s”的推荐，不能重复推荐")
            % {
                "category": submission.category.name,
                "organization": submission.enterprise.name,
                "nominee": submission.title,
            }
        )


@transaction.atomic
def create_nomination(
    *,
    event: Event,
    category: Category,
    enterprise: Enterprise,
    user,
    submission: Submission,
    organization: str,
) -> Submission:
    """Save a new nomination as a draft of `enterprise`, under the category's next code.

    Raise ValidationError when the nominating body has reached the category's limit or the
    nominee is already nominated in the category.
    """
    if not category.is_nomination:
        raise ValueError(f"category {category.kind!r} takes entries, not nominations")
    if not rules.window_is_open(event, timezone.now()):
        raise PermissionDenied(_("申报时间之外不能新建推荐"))
    Event.objects.select_for_update().filter(pk=event.pk).first()
    submission.event = event
    submission.category = category
    submission.submitter = enterprise
    submission.created_by = user
    submission.status = Status.DRAFT
    _place(submission, organization=organization)
    _check(submission)
    submission.code = next_codes(event=event, category=category, count=1)[0]
    submission.save()
    return submission


@transaction.atomic
def save_nomination(*, submission: Submission, organization: str) -> Submission:
    """Save an editable nomination as it is, after the limit and the duplicate check."""
    if not rules.enterprise_can_edit(submission, timezone.now()):
        raise PermissionDenied(_("该推荐当前不能修改"))
    Event.objects.select_for_update().filter(pk=submission.event_id).first()
    _place(submission, organization=organization)
    _check(submission)
    submission.save()
    return submission


@transaction.atomic
def withdraw_nomination(*, submission: Submission, user) -> Submission:
    """Withdraw a nomination not yet decided; it no longer counts against the limit."""
    submission = (
        Submission.objects.select_for_update().select_related("category").get(pk=submission.pk)
    )
    if not rules.enterprise_can_withdraw(submission):
        raise PermissionDenied(_("该推荐已审查，不能撤回；请联系活动组织者"))
    previous = submission.status
    submission.status = Status.WITHDRAWN
    submission.save(update_fields=["status", "updated_at"])
    ReviewLog.objects.create(
        submission=submission, actor=user, from_status=previous, to_status=Status.WITHDRAWN
    )
    return submission
