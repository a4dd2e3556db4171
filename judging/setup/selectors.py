"""Set-up reads: the readiness checklist of an event and the events a user organizes."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Prefetch, Q
from django.urls import reverse
from django.utils.translation import gettext as _

from events.enums import AwardRule
from events.models import Category, Event, Venue
from judging.enums import CertificateAudience, SeatRole
from judging.models import CertificateDesign, Judge, ScoreItem, ScoreSheet


@dataclass(frozen=True)
class Problem:
    """One thing still missing, and the page where it is fixed."""

    text: str
    url: str


@dataclass(frozen=True)
class Check:
    key: str
    title: str
    problems: list[Problem] = field(default_factory=list)
    done_text: str = ""

    @property
    def ok(self) -> bool:
        return not self.problems


def organized_events(user):
    """Return the events a user organizes (every event for a superuser), newest first."""
    if not getattr(user, "is_authenticated", False):
        return Event.objects.none()
    if user.is_superuser:
        return Event.objects.all()
    return Event.objects.filter(staff=user)


def _admin(name: str, *args, **query) -> str:
    url = reverse(f"admin:{name}", args=args)
    if query:
        url += "?" + "&".join(f"{key}={value}" for key, value in query.items())
    return url


def _categories(event: Event, categories: list[Category]) -> Check:
    problems = []
    if not categories:
        problems.append(
            Problem(_("尚未设置任何类别"), _admin("events_category_add", event=event.pk))
        )
    return Check(
        "categories",
        _("类别"),
        problems,
        _("共 %(n)s 个类别") % {"n": len(categories)},
    )


def _sheets(event: Event, categories: list[Category], sheets: list[ScoreSheet]) -> list[Check]:
    with_sheet = {sheet.category_id for sheet in sheets}
    missing = [
        Problem(
            _("类别“%(category)s”没有评分表") % {"category": category.name},
            _admin("judging_scoresheet_add", event=event.pk, category=category.pk),
        )
        for category in categories
        if category.pk not in with_sheet
    ]
    unbalanced = []
    for sheet in sheets:
        total = sum((item.max_points for item in sheet.items.all()), Decimal("0"))
        if total != sheet.total:
            unbalanced.append(
                Problem(
                    _("评分表“%(sheet)s”的评分项满分合计 %(sum)s，不等于满分 %(total)s")
                    % {
                        "sheet": sheet.name,
                        "sum": format(total.normalize(), "f"),
                        "total": format(sheet.total.normalize(), "f"),
                    },
                    _admin("judging_scoresheet_change", sheet.pk),
                )
            )
    return [
        Check(
            "sheets",
            _("评分表"),
            missing,
            _("每个类别都有评分表（共 %(n)s 张）") % {"n": len(sheets)},
        ),
        Check("sheet_items", _("评分项合计"), unbalanced, _("各评分表的评分项合计等于满分")),
    ]


def _venues(event: Event, venues: list[Venue]) -> list[Check]:
    setup = []
    if not venues:
        setup.append(Problem(_("尚未设置任何分会场"), _admin("events_event_change", event.pk)))
    for venue in venues:
        if not venue.category_id:
            setup.append(
                Problem(
                    _("%(venue)s 没有类别") % {"venue": venue.name},
                    _admin("events_venue_change", venue.pk),
                )
            )
        category = venue.category if venue.category_id else None
        if (
            venue.is_written
            and category
            and category.readers_per_nomination < category.min_valid_cards
        ):
            setup.append(
                Problem(
                    _(
                        "%(venue)s 为书面评审，但“%(category)s”每份材料只分给 %(readers)s 位专家，"
                        "少于计入排名所需的 %(needed)s 个有效评分"
                    )
                    % {
                        "venue": venue.name,
                        "category": category.name,
                        "readers": category.readers_per_nomination,
                        "needed": category.min_valid_cards,
                    },
                    _admin("events_category_change", category.pk),
                )
            )
        if not venue.room.strip() and not venue.is_written:  # a written review has no room
            setup.append(
                Problem(
                    _("%(venue)s 没有会议室") % {"venue": venue.name},
                    _admin("events_venue_change", venue.pk),
                )
            )
    chairless = [
        Problem(
            _("%(venue)s 没有评审组长") % {"venue": venue.name},
            _admin("events_venue_change", venue.pk),
        )
        for venue in venues
        if not venue.chair_total
    ]
    return [
        Check("venues", _("分会场"), setup, _("共 %(n)s 个分会场") % {"n": len(venues)}),
        Check("chairs", _("评审组长"), chairless, _("每个分会场都有评审组长")),
    ]


def _judges(event: Event, judges: list[Judge]) -> Check:
    problems = []
    if not judges:
        problems.append(Problem(_("尚未添加评委"), _admin("judging_judge_add", event=event.pk)))
    for judge in judges:
        if not judge.seat_total:
            problems.append(
                Problem(
                    _("评委 %(judge)s 没有评审席位") % {"judge": judge},
                    _admin("judging_judge_change", judge.pk),
                )
            )
        if judge.user_id is None:
            problems.append(
                Problem(
                    _("评委 %(judge)s 没有登录账号，无法签到评审") % {"judge": judge},
                    _admin("judging_judge_change", judge.pk),
                )
            )
    return Check(
        "judges",
        _("评委"),
        problems,
        _("共 %(n)s 位评委，均已入席并可登录") % {"n": len(judges)},
    )


def _window(event: Event) -> Check:
    problems = []
    link = _admin("events_event_change", event.pk)
    if not event.submission_opens or not event.submission_closes:
        problems.append(Problem(_("尚未设置申报开始和截止时间"), link))
    elif event.submission_closes <= event.submission_opens:
        problems.append(Problem(_("申报截止时间早于开始时间"), link))
    elif event.submission_closes.date() > event.start_date:
        problems.append(Problem(_("申报截止时间晚于活动开始日期"), link))
    done = ""
    if not problems:
        done = _("%(opens)s 至 %(closes)s") % {
            "opens": f"{event.submission_opens:%Y-%m-%d}",
            "closes": f"{event.submission_closes:%Y-%m-%d}",
        }
    return Check("window", _("申报时间"), problems, done)


def rule_gap(category: Category) -> str:
    """Return what a category's award rule still lacks, or ""."""
    rule = category.award_rule
    has_quota = category.quota_percent is not None or category.quota_count is not None
    if rule == AwardRule.THRESHOLD and category.threshold is None:
        return _("按分数线评选，但没有设置分数线")
    if rule == AwardRule.QUOTA and not has_quota:
        return _("按比例或名额评选，但没有设置入选比例或固定名额")
    if rule == AwardRule.BOTH and (category.threshold is None or not has_quota):
        return _("按比例且达分数线评选，需要同时设置分数线和比例或名额")
    if rule == AwardRule.TIERS and not category.tiers:
        return _("分等级评选，但没有设置等级")
    return ""


def _rules(categories: list[Category]) -> Check:
    problems = []
    for category in categories:
        gap = rule_gap(category)
        if gap:
            problems.append(
                Problem(
                    _("类别“%(category)s”：%(gap)s") % {"category": category.name, "gap": gap},
                    _admin("events_category_change", category.pk),
                )
            )
    return Check("rules", _("评选规则"), problems, _("每个类别的评选规则完整"))


def _designs(event: Event, categories: list[Category], designs: list[CertificateDesign]) -> Check:
    # The main certificate of each category: the group's, or an honoured nomination's.
    covered = {(d.audience, d.category_id) for d in designs}
    problems = [
        Problem(
            _("类别“%(category)s”没有证书样式（将使用系统默认样式）") % {"category": category.name},
            _admin(
                "judging_certificatedesign_add",
                event=event.pk,
                category=category.pk,
                audience=audience,
            ),
        )
        for category in categories
        for audience in [CertificateAudience.for_kind(category.kind)]
        if (audience, None) not in covered and (audience, category.pk) not in covered
    ]
    return Check("designs", _("证书样式"), problems, _("共 %(n)s 个证书样式") % {"n": len(designs)})


def readiness(event: Event) -> list[Check]:
    """Return the event's set-up checklist, each check naming what is still missing."""
    categories = list(Category.objects.filter(event=event).order_by("order", "pk"))
    sheets = list(
        ScoreSheet.objects.filter(event=event).prefetch_related(
            Prefetch("items", queryset=ScoreItem.objects.only("sheet_id", "max_points"))
        )
    )
    venues = list(
        Venue.objects.filter(event=event)
        .select_related("category")
        .annotate(chair_total=Count("seats", filter=Q(seats__role=SeatRole.CHAIR)))
        .order_by("number")
    )
    judges = list(
        Judge.objects.filter(event=event).annotate(seat_total=Count("seats")).order_by("code")
    )
    designs = list(CertificateDesign.objects.filter(event=event))
    return [
        _categories(event, categories),
        *_sheets(event, categories, sheets),
        *_venues(event, venues),
        _judges(event, judges),
        _window(event),
        _rules(categories),
        _designs(event, categories, designs),
    ]
