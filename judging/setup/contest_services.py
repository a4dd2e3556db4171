"""Set-up writes: a contest or an honour announced at an event (create_contest).

The plenary of one event announces the next contest (a notice read out, such as the
machinery industry's "质量工匠" contest at the 40th exchange): the contest is an event of its
own, with nomination categories (org, person, craftsman), a written-review score sheet for
each, and its notice as text and/or a PDF. Everything happens in one transaction.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from events.enums import CategoryKind, PhaseCombination, VenueMode
from events.models import Category, Event, Venue
from events.services import record_audit
from judging.enums import Phase
from judging.models import ScoreSheet
from judging.scoring.sheets import ItemInput, save_score_sheet
from judging.setup import contest_defaults
from judging.setup.services import SLUG_PATTERN
from submissions.filetypes import PDF, size_problem, sniff

# Settings a contest takes over from the event it is announced at: the same association
# organizes it, numbers its certificates and keeps its notice window the same way.
ANNOUNCER_FIELDS = (
    "organizers",
    "co_organizers",
    "recuse_parent_group",
    "recuse_province",
    "recuse_recommender",
    "notice_days",
    "upload_max_mb",
    "certificate_number_pattern",
)


@dataclass(frozen=True)
class ContestCategory:
    """One category of a new contest: a nomination kind (org, person or craftsman)."""

    kind: str
    name: str
    honour: str
    code_prefix: str
    honour_prefix: str = ""
    nomination_limit: int | None = None
    readers_per_nomination: int = 3
    quota_count: int | None = None
    # An on-site defence or skills test after the written review, combined with it by weights.
    defence: bool = False


def _check_slug(slug: str, field: str = "slug") -> str:
    slug = (slug or "").strip()
    if not SLUG_PATTERN.match(slug):
        raise ValidationError(
            {field: _("活动标识“%(slug)s”只能包含字母、数字、连字符和下划线。") % {"slug": slug}}
        )
    if Event.objects.filter(slug=slug).exists():
        raise ValidationError({field: _("活动标识“%(slug)s”已被使用，请换一个。") % {"slug": slug}})
    return slug


def check_contest_dates(
    *,
    start_date: dt.date,
    end_date: dt.date,
    submission_opens: dt.datetime,
    submission_closes: dt.datetime,
) -> None:
    """Raise ValidationError, by field, unless the dates follow one another."""
    errors = {}
    if end_date < start_date:
        errors["end_date"] = _("结束日期 %(end)s 早于开始日期 %(start)s。") % {
            "end": end_date,
            "start": start_date,
        }
    if submission_closes <= submission_opens:
        errors["submission_closes"] = _("申报截止时间必须晚于申报开始时间。")
    elif submission_closes.date() > start_date:
        errors["submission_closes"] = _(
            "申报截止（%(closes)s）晚于活动开始日期 %(start)s：评审和表彰须在申报截止之后。"
        ) % {"closes": f"{submission_closes:%Y-%m-%d}", "start": start_date}
    if errors:
        raise ValidationError(errors)


def check_contest_categories(categories: list[ContestCategory]) -> None:
    """Raise ValidationError unless there is at least one category, each of a nomination kind
    at most once, with a name, an honour and a code prefix of its own."""
    if not categories:
        raise ValidationError(_("请至少选择一个评选类别（优秀组织单位、优秀个人或质量工匠）。"))
    problems = []
    kinds, prefixes = set(), set()
    for category in categories:
        label = (
            CategoryKind(category.kind).label
            if category.kind in CategoryKind.values
            else category.kind
        )
        if category.kind not in CategoryKind.nominations():
            problems.append(_("类别“%(kind)s”不是推荐评选类别。") % {"kind": label})
        if category.kind in kinds:
            problems.append(_("类别“%(kind)s”重复。") % {"kind": label})
        kinds.add(category.kind)
        for value, what in (
            (category.name, _("名称")),
            (category.honour, _("荣誉名称")),
            (category.code_prefix, _("编号前缀")),
        ):
            if not (value or "").strip():
                problems.append(_("类别“%(kind)s”缺少%(what)s。") % {"kind": label, "what": what})
        prefix = (category.code_prefix or "").strip()
        if prefix and prefix in prefixes:
            problems.append(
                _("编号前缀“%(prefix)s”被两个类别使用，每个类别的前缀须不同。") % {"prefix": prefix}
            )
        prefixes.add(prefix)
        if category.readers_per_nomination < 1:
            problems.append(_("类别“%(kind)s”：每份材料至少由 1 位专家评审。") % {"kind": label})
    if problems:
        raise ValidationError(problems)


def check_notice_file(upload, *, max_bytes: int) -> None:
    """Raise ValidationError unless the upload is a PDF, recognised by its content."""
    size = upload.size
    if size > max_bytes:
        problem = size_problem(size, max_bytes)
    elif size == 0:
        problem = _("文件为空")
    else:
        verdict = sniff(upload)
        problem = verdict.problem
        if problem is None and verdict.content_type != PDF:
            problem = _("通知文件只接受 PDF 文件")
    if problem:
        raise ValidationError(
            {"notice_file": _("%(name)s：%(problem)s") % {"name": upload.name, "problem": problem}}
        )


def _default_sheet(event: Event, category: Category) -> ScoreSheet | None:
    defaults = contest_defaults.DEFAULTS.get(category.kind)
    if defaults is None:
        return None
    sheet = ScoreSheet(
        event=event,
        category=category,
        phase=Phase.DOCUMENTS,
        name=defaults.sheet_name,
        total=contest_defaults.SHEET_TOTAL,
        note=contest_defaults.SHEET_NOTE,
    )
    items = [
        ItemInput(item.code, item.name, item.max_points, item.criteria, contest_defaults.ITEM_STEP)
        for item in defaults.items
    ]
    return save_score_sheet(sheet=sheet, items=items)


def _defence(event: Event, category: Category, number: int, written_sheet: ScoreSheet) -> Venue:
    """Give the category a second phase on site: its sheet (weighted against the written
    review's) and its venue on the event's first day, where the organizer seats the panel."""
    sheet_name, venue_name, items = contest_defaults.DEFENCE_SHEETS.get(
        category.kind, contest_defaults.DEFAULT_DEFENCE_SHEET
    )
    written, onsite = contest_defaults.DEFENCE_WEIGHTS
    written_sheet.weight = written
    written_sheet.save(update_fields=["weight"])
    save_score_sheet(
        sheet=ScoreSheet(
            event=event,
            category=category,
            phase=Phase.ONSITE,
            name=sheet_name,
            total=contest_defaults.SHEET_TOTAL,
            weight=onsite,
            note=contest_defaults.SHEET_NOTE,
        ),
        items=[
            ItemInput(i.code, i.name, i.max_points, i.criteria, contest_defaults.ITEM_STEP)
            for i in items
        ],
    )
    return Venue.objects.create(
        event=event,
        category=category,
        number=number,
        name=f"{venue_name}（{category.name}）",
        mode=VenueMode.ONSITE,
        day=event.start_date,
    )


def _written_review(event: Event, category: Category, number: int) -> Venue:
    """Give the category its written-review panel, due the day before the event opens:
    the organizer seats its experts, and dossiers are assigned to them."""
    return Venue.objects.create(
        event=event,
        category=category,
        number=number,
        name=_("书面评审组%(number)s") % {"number": number},
        mode=VenueMode.WRITTEN,
        day=event.start_date - dt.timedelta(days=1),
    )


def _contest_categories(specs: list[ContestCategory]) -> list[Category]:
    """Return the categories, unsaved and checked field by field (the event aside)."""
    built, problems = [], []
    for order, spec in enumerate(specs, start=1):
        category = Category(
            kind=spec.kind,
            name=spec.name.strip(),
            code_prefix=spec.code_prefix.strip(),
            honour=spec.honour.strip(),
            honour_prefix=(spec.honour_prefix or "").strip(),
            order=order,
            min_members=0,
            nomination_limit=spec.nomination_limit,
            readers_per_nomination=spec.readers_per_nomination,
            quota_count=spec.quota_count,
        )
        try:
            category.full_clean(exclude=["event"], validate_constraints=False)
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                label = Category._meta.get_field(field).verbose_name
                problems += [
                    _("类别“%(category)s”的%(field)s：%(message)s")
                    % {"category": category.name, "field": label, "message": message}
                    for message in messages
                ]
        built.append(category)
    if problems:
        raise ValidationError(problems)
    return built


@transaction.atomic
def create_contest(
    *,
    announced_at: Event,
    slug: str,
    name: str,
    start_date: dt.date,
    end_date: dt.date,
    submission_opens: dt.datetime,
    submission_closes: dt.datetime,
    categories: list[ContestCategory],
    short_name: str = "",
    notice: str = "",
    notice_file=None,
    is_public: bool = True,
    user=None,
    request=None,
) -> Event:
    """Create a contest or honour announced at ``announced_at``; return it.

    The new event has the given categories (nomination kinds), each with a written-review
    score sheet of the kind's default items (they add up to 100), the notice as text and/or
    a PDF (checked by its content), the announcing event's organizers and numbering, and
    the user who created it as its organizer. Every problem is raised at once in one
    ValidationError, by field where there is one ("__all__" otherwise); nothing is saved.
    """
    errors: dict[str, list] = {}

    def collect(check, *args, **kwargs):
        try:
            return check(*args, **kwargs)
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                by_field = error.error_dict
            else:
                by_field = {NON_FIELD_ERRORS: error.error_list}
            for field, messages in by_field.items():
                errors.setdefault(field, []).extend(messages)
            return None

    name = (name or "").strip()
    notice = (notice or "").strip()
    if not name:
        errors["name"] = [ValidationError(_("请填写活动名称。"))]
    slug = collect(_check_slug, slug)
    collect(
        check_contest_dates,
        start_date=start_date,
        end_date=end_date,
        submission_opens=submission_opens,
        submission_closes=submission_closes,
    )
    collect(check_contest_categories, categories)
    built = collect(_contest_categories, categories) if categories else None
    if not notice and not notice_file:
        errors.setdefault("notice", []).append(
            ValidationError(_("请填写通知正文或上传通知 PDF，至少一项。"))
        )
    if notice_file:
        megabytes = announced_at.upload_max_mb or settings.QCX_UPLOAD_MAX_MB
        collect(check_notice_file, notice_file, max_bytes=megabytes * 1024 * 1024)
    if errors:
        raise ValidationError(errors)

    event = Event(
        slug=slug,
        name=name,
        short_name=(short_name or "").strip(),
        start_date=start_date,
        end_date=end_date,
        submission_opens=submission_opens,
        submission_closes=submission_closes,
        announced_at=announced_at,
        notice=notice,
        is_public=is_public,
        **{field: getattr(announced_at, field) for field in ANNOUNCER_FIELDS},
    )
    if notice_file:
        notice_file.seek(0)
        event.notice_file.save(f"{slug}.pdf", notice_file, save=False)
    event.save()
    if user is not None and getattr(user, "is_authenticated", False):
        event.staff.add(user)
    defended = []  # (category, its written review's sheet)
    for number, (category, spec) in enumerate(zip(built, categories, strict=True), start=1):
        category.event = event
        # A dossier read by fewer experts than ranking needs would end 评分不足.
        category.min_valid_cards = min(category.min_valid_cards, category.readers_per_nomination)
        if spec.defence:
            category.phase_combination = PhaseCombination.WEIGHTS
        category.save()
        sheet = _default_sheet(event, category)
        _written_review(event, category, number)
        if spec.defence:
            defended.append((category, sheet))
    for number, (category, sheet) in enumerate(defended, start=len(built) + 1):
        _defence(event, category, number, sheet)
    record_audit(
        actor=user,
        action="create_contest",
        event=event,
        target=event.slug,
        details={
            "announced_at": announced_at.slug,
            "categories": [category.kind for category in built],
            "defence": [category.kind for category, _sheet in defended],
            "notice_file": bool(notice_file),
        },
        request=request,
    )
    return event
