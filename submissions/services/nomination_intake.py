"""The nominations workbook: every row checked first (limits included), then all saved or none."""

import dataclasses
from collections import Counter
from typing import IO

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from events.models import Event

from .. import nominations_excel
from ..enums import Status
from ..excel_template import CellError
from ..models import Enterprise, RecommendingBody, Submission
from ..nominations_excel import NominationRow
from ..selectors import NOT_COUNTED
from .codes import next_codes

UPDATED_FIELDS = [
    "recommender",
    "group_name",
    "nominee_name",
    "nominee_gender",
    "nominee_position",
    "nominee_years",
    "nominee_trade",
    "nominee_skill_level",
    "achievements",
    "contact_name",
    "contact_phone",
]
COMPARED_FIELDS = ["recommender_id" if f == "recommender" else f for f in UPDATED_FIELDS]


@dataclasses.dataclass(frozen=True)
class NominationImportSummary:
    created: int
    updated: int
    unchanged: int
    enterprises_created: int


class NominationImportRefused(Exception):
    """The workbook has errors; nothing was saved."""

    def __init__(self, errors):
        super().__init__(f"{len(errors)} errors")
        self.errors = list(errors)


def category_names(event: Event) -> dict[str, str]:
    """Return the event's nomination kinds → their categories' names."""
    return {c.kind: c.name for c in event.categories.all() if c.is_nomination}


def import_nominations(*, event: Event, source: str | IO[bytes]) -> NominationImportSummary:
    """Import the nominations workbook; raise NominationImportRefused with every error."""
    names = category_names(event)
    if not names:
        message = _("本活动未设推荐类别（优秀组织单位、优秀个人、质量工匠），不能导入推荐")
        raise NominationImportRefused([CellError(nominations_excel.SHEET, None, "", "", message)])
    parsed = nominations_excel.parse_workbook(source, categories=names)
    if not parsed.ok:
        raise NominationImportRefused(parsed.errors)
    categories = {c.kind: c for c in event.categories.filter(kind__in=names)}
    with transaction.atomic():
        Event.objects.select_for_update().filter(pk=event.pk).first()
        existing = {
            (s.category.kind, s.enterprise.name, s.title): s
            for s in Submission.objects.filter(
                event=event, category__kind__in=names
            ).select_related("category", "enterprise", "recommender", "submitter")
        }
        errors = _limit_errors(parsed, categories, existing)
        if errors:
            raise NominationImportRefused(errors)
        return _save(event, parsed.nominations, categories, existing)


def _limit_errors(parsed, categories, existing) -> list[CellError]:
    """Return an error at every row past its body's limit, counting the stored nominations.

    Bodies are told apart by name (recommending bodies and enterprises have unique names);
    a row that updates a stored nomination replaces it in the count.
    """
    rows = parsed.nominations
    matched = {existing[row.key].pk for row in rows if row.key in existing}
    counts: Counter = Counter()
    for (kind, _organization, _title), stored in existing.items():
        if stored.pk not in matched and stored.status not in NOT_COUNTED:
            counts[(kind, _body_of(stored))] += 1
    errors = []
    for row in rows:
        stored = existing.get(row.key)
        if stored is not None and stored.status in NOT_COUNTED:
            continue
        category = categories[row.category]
        if row.recommender:
            body = ("body", row.recommender)
        elif stored is not None and stored.submitter is not None:
            body = ("enterprise", stored.submitter.name)
        else:
            body = ("enterprise", row.organization)
        counts[(row.category, body)] += 1
        limit = category.nomination_limit
        if limit is not None and counts[(row.category, body)] > limit:
            message = _(
                "超出限报数量：“%(category)s”每个推荐单位限报%(limit)s项，"
                "“%(body)s”连同本行已有%(count)s项"
            ) % {
                "category": category.name,
                "limit": limit,
                "body": body[1],
                "count": counts[(row.category, body)],
            }
            key = "recommender" if row.recommender else "organization"
            errors.append(
                nominations_excel.error_at(
                    nominations_excel.SHEET, row.row, key, parsed.positions, message
                )
            )
    return errors


def _body_of(submission: Submission) -> tuple[str, str]:
    if submission.recommender_id:
        return ("body", submission.recommender.name)
    return ("enterprise", (submission.submitter or submission.enterprise).name)


def _save(event, rows, categories, existing) -> NominationImportSummary:
    enterprises, enterprises_created = _enterprises_for(rows)
    bodies = _bodies_for(rows)
    codes = {
        kind: iter(
            next_codes(
                event=event,
                category=category,
                count=sum(1 for row in rows if row.category == kind),
            )
        )
        for kind, category in categories.items()
    }
    now = timezone.now()
    to_create, to_update = [], []
    for row in rows:
        submission = existing.get(row.key)
        if submission is None:
            enterprise = enterprises[row.organization]
            submission = Submission(
                event=event,
                category=categories[row.category],
                enterprise=enterprise,
                title=row.nominee[:200],
                code=next(codes[row.category]),
                status=Status.SUBMITTED,
                submitted_at=now,
            )
            _apply(submission, row, bodies)
            to_create.append(submission)
            continue
        before = [getattr(submission, f) for f in COMPARED_FIELDS]
        _apply(submission, row, bodies)
        if before != [getattr(submission, f) for f in COMPARED_FIELDS]:
            to_update.append(submission)
    Submission.objects.bulk_create(to_create, batch_size=500)
    for submission in to_update:
        Submission.objects.filter(pk=submission.pk).update(
            **{f: getattr(submission, f) for f in UPDATED_FIELDS}, updated_at=now
        )
    unchanged = len(rows) - len(to_create) - len(to_update)
    return NominationImportSummary(len(to_create), len(to_update), unchanged, enterprises_created)


def _apply(submission: Submission, row: NominationRow, bodies: dict) -> None:
    submission.recommender = bodies.get(row.recommender)
    submission.group_name = row.organization[:120]
    submission.nominee_name = row.name
    submission.nominee_gender = row.gender
    submission.nominee_position = row.position
    submission.nominee_years = row.years
    submission.nominee_trade = row.trade
    submission.nominee_skill_level = row.skill_level
    submission.achievements = row.summary
    submission.contact_name = row.contact
    submission.contact_phone = row.phone


def _enterprises_for(rows) -> tuple[dict[str, Enterprise], int]:
    """Return the rows' organizations by name, creating those not yet known."""
    names = {row.organization for row in rows}
    found = {e.name: e for e in Enterprise.objects.filter(name__in=names)}
    missing = sorted(names - set(found))
    Enterprise.objects.bulk_create([Enterprise(name=name) for name in missing], batch_size=500)
    if missing:
        found.update({e.name: e for e in Enterprise.objects.filter(name__in=missing)})
    return found, len(missing)


def _bodies_for(rows) -> dict[str, RecommendingBody]:
    names = {row.recommender for row in rows if row.recommender}
    known = set(RecommendingBody.objects.filter(name__in=names).values_list("name", flat=True))
    RecommendingBody.objects.bulk_create(
        [RecommendingBody(name=name) for name in sorted(names - known)]
    )
    return {b.name: b for b in RecommendingBody.objects.filter(name__in=names)}
