"""The people of the demo event: about 650 delegates from about 170 organizations, checked
in as on the day; the plenary's showcase of the report's 9 entries with the judges' comments;
a handful of entries through the formal review (完善后参评, 缓评, 不评) with their log.

Everything is written in bulk and only when missing, so running seed_demo again changes
nothing. Names and numbers come from seeded random generators: the same seed, the same people.
"""

from __future__ import annotations

import datetime as dt
import random

from django.utils import timezone

from events.models import Event
from judging.demo import catalogue as cat
from judging.demo.names import JUDGE_INSTITUTIONS
from judging.demo.plan import person_name
from judging.models import CheckIn, Judge, PanelSeat, Showcase
from judging.models.people import PLENARY, session_key
from judging.people.services import register_judges
from submissions.enums import DelegateKind, OrganizationKind, Status
from submissions.models import Delegate, Member, ReviewLog, Submission

ENTERPRISES = 160
ASSOCIATIONS = 10
PER_ORGANIZATION = (3, 3, 4, 4)  # drawn per organization: about 650 with the judges
TITLES = ("质量部部长", "质量管理处处长", "QC小组组长", "质量工程师", "工会主席", "质量总监")
SHOWCASE_COMMENTS = (
    "选题紧扣现场痛点，现状调查数据翔实，要因确认逐条用数据验证，效果巩固写入作业标准，是一篇规范的现场型成果。",
    "课题目标挑战性强，方案对比充分，统计方法运用恰当，经济效益经财务部门确认，值得同类企业借鉴。",
    "创新型课题的典型：从借鉴到突破思路清晰，方案评价客观，装置已在多条产线推广应用。",
    "以顾客抱怨为切入点，分层分析透彻，对策实施后缺陷率持续下降，体现了全员参与的质量文化。",
    "问题聚焦、逻辑严密、数据真实，PDCA循环完整，成果巩固措施落实到位。",
    "班组把质量信得过建设融入日常管理，自主管理机制健全，质量指标连续多年保持领先。",
    "班组建设特色鲜明，师带徒与技能比武相结合，现场管理和质量改进成效显著。",
    "故事真实感人，以细节讲品牌，把企业几十年的质量坚守讲得具体可信。",
    "以安全为主线讲品牌，情节紧凑、数据支撑有力，彰显了中国汽车品牌的质量担当。",
)
REVIEW = (
    # status, how many per category (counted from the end), message
    (Status.RETURNED, 3, "成果报告缺少效果验证数据，请补充后参评。"),
    (Status.DEFERRED, 1, "课题注册信息与推荐材料不一致，待推荐单位核实后缓评。"),
    (Status.REJECTED, 1, "成果活动时间不足规定周期，不予评审。"),
)
FIXED = "已按要求补充效果验证数据，同意参评。"


def seed_people(*, event: Event, seed: int, result) -> None:
    """Create the demo's delegates, check-ins, showcase and formal review where missing."""
    _formal_review(event, result)
    _showcase(event, result)
    _delegates(event, seed, result)


def showcase_submission_ids(event: Event) -> set[int]:
    """Return the ids of the entries the 2021 report showcased."""
    wanted = {(enterprise, title) for _prefix, enterprise, _group, title in cat.SHOWCASE}
    rows = Submission.objects.filter(event=event).values_list("pk", "enterprise__name", "title")
    return {pk for pk, enterprise, title in rows if (enterprise, title) in wanted}


def _formal_review(event: Event, result) -> None:
    if ReviewLog.objects.filter(submission__event=event).exists():
        result.created["review_log"] = 0
        return
    showcased = showcase_submission_ids(event)
    now = timezone.now()
    logs, changed = [], []
    for category in event.categories.order_by("order"):
        candidates = list(
            Submission.objects.filter(event=event, category=category, status=Status.ADMITTED)
            .exclude(pk__in=showcased)
            .order_by("-code")
        )
        for status, count, message in REVIEW:
            for entry in candidates[:count]:
                logs.append(
                    ReviewLog(
                        submission=entry,
                        from_status=Status.SUBMITTED,
                        to_status=status,
                        message=message,
                    )
                )
                entry.status, entry.review_message = status, message
                if status == Status.RETURNED:
                    # Fixed in time: 完善后参评, then admitted to the judging day.
                    entry.fix_deadline = now + dt.timedelta(days=7)
                    logs.append(
                        ReviewLog(
                            submission=entry,
                            from_status=Status.RETURNED,
                            to_status=Status.ADMITTED,
                            message=FIXED,
                        )
                    )
                    entry.status, entry.review_message = Status.ADMITTED, FIXED
                changed.append(entry)
            candidates = candidates[count:]
    ReviewLog.objects.bulk_create(logs)
    Submission.objects.bulk_update(changed, ["status", "review_message", "fix_deadline"])
    result.created["review_log"] = len(logs)


def _showcase(event: Event, result) -> None:
    if Showcase.objects.filter(event=event).exists():
        result.created["showcase"] = 0
        return
    entries = {
        (s.enterprise.name, s.title): s
        for s in Submission.objects.filter(pk__in=showcase_submission_ids(event)).select_related(
            "enterprise", "category"
        )
    }
    chairs = {
        seat.venue.category_id: seat.judge
        for seat in PanelSeat.objects.filter(venue__event=event, role="chair")
        .select_related("venue", "judge")
        .order_by("venue__number")
    }
    rows = []
    for order, (_prefix, enterprise, _group, title) in enumerate(cat.SHOWCASE, start=1):
        entry = entries.get((enterprise, title))
        if entry is None:
            continue
        rows.append(
            Showcase(
                event=event,
                submission=entry,
                order=order,
                reason="2021年交流大会展示的优秀交流成果代表",
                commenting_judge=chairs.get(entry.category_id),
                judges_comment=SHOWCASE_COMMENTS[order - 1],
            )
        )
    Showcase.objects.bulk_create(rows)
    result.created["showcase"] = len(rows)


def _delegates(event: Event, seed: int, result) -> None:
    if Delegate.objects.filter(event=event).exists():
        result.created["delegates"] = 0
        result.created["checkins"] = 0
        return
    rng = random.Random(f"{seed}:delegates")
    entries = list(
        Submission.objects.filter(event=event)
        .select_related("enterprise", "category")
        .order_by("code")
    )
    by_enterprise: dict[int, list[Submission]] = {}
    for entry in entries:
        by_enterprise.setdefault(entry.enterprise_id, []).append(entry)
    enterprises = [items[0].enterprise for items in by_enterprise.values()][:ENTERPRISES]
    members: dict[int, list[Member]] = {}
    for member in Member.objects.filter(submission__event=event).order_by("pk"):
        members.setdefault(member.submission_id, []).append(member)
    venues_by_category: dict[int, list] = {}
    for venue in event.venues.order_by("number"):
        venues_by_category.setdefault(venue.category_id, []).append(venue)
    judge_phones = set(Judge.objects.filter(event=event).values_list("phone", flat=True))

    delegates, venue_links = [], []
    serial = iter(range(10**6))

    def mobile() -> str:
        while True:
            number = f"13{(seed * 7919 + next(serial) * 104729) % 10**9:09d}"
            if number not in judge_phones:
                return number

    for enterprise in enterprises:
        own = by_enterprise[enterprise.pk]
        people = rng.choice(PER_ORGANIZATION)
        named = [m for entry in own for m in members.get(entry.pk, [])[:2]]
        for index in range(people):
            member = named[index] if index < len(named) else None
            entry = own[index % len(own)]
            delegate = Delegate(
                event=event,
                name=member.name if member else person_name(rng),
                enterprise=enterprise,
                organization=enterprise.name,
                organization_kind=OrganizationKind.ENTERPRISE,
                province=enterprise.province,
                title=rng.choice(TITLES),
                mobile=mobile(),
                kind=DelegateKind.DELEGATE,
                arrival=event.start_date,
                departure=event.end_date,
                lodging=rng.random() < 0.8,
                member=member,
            )
            delegates.append(delegate)
            choices = venues_by_category.get(entry.category_id, [])
            if choices:
                venue_links.append((delegate, choices[rng.randrange(len(choices))]))
    for name, province in JUDGE_INSTITUTIONS[:ASSOCIATIONS]:
        for _index in range(rng.choice((2, 3))):
            delegates.append(
                Delegate(
                    event=event, name=person_name(rng), organization=name,
                    organization_kind=OrganizationKind.ASSOCIATION, province=province,
                    title=rng.choice(("秘书长", "副秘书长", "部长")), mobile=mobile(),
                    kind=DelegateKind.GUEST, arrival=event.start_date,
                    departure=event.end_date, lodging=True,
                )
            )  # fmt: skip
    Delegate.objects.bulk_create(delegates, batch_size=500)
    through = Delegate.venues.through
    through.objects.bulk_create(
        [through(delegate_id=d.pk, venue_id=v.pk) for d, v in venue_links], batch_size=1000
    )
    register_judges(event=event)
    result.created["delegates"] = Delegate.objects.filter(event=event).count()
    result.created["checkins"] = _checkins(event, rng, venue_links)


def _checkins(event: Event, rng: random.Random, venue_links) -> int:
    """Check the delegates in as on the day: most at the plenary, most at their venue."""
    tz = timezone.get_default_timezone()
    judging_day = event.judging_date or event.start_date
    plenary_day = cat.PLENARY_DAY if event.slug == cat.EVENT["slug"] else event.end_date

    def at(day, hour, minute) -> dt.datetime:
        return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)), tz)

    rows = []
    for delegate in Delegate.objects.filter(event=event).order_by("pk"):
        if rng.random() < 0.93:
            minute = rng.randrange(0, 40)
            rows.append(CheckIn(event=event, delegate=delegate, session=PLENARY,
                                at=at(plenary_day, 7 + (50 + minute) // 60, (50 + minute) % 60),
                                door=rng.choice(("东门", "西门"))))  # fmt: skip
    for delegate, venue in venue_links:
        if rng.random() < 0.88:
            minute = rng.randrange(0, 30)
            rows.append(CheckIn(event=event, delegate=delegate, session=session_key(venue),
                                venue=venue, at=at(judging_day, 8, minute), door=venue.name))  # fmt: skip
    CheckIn.objects.bulk_create(rows, batch_size=1000)
    return len(rows)
