"""Write the demo event cmqa-40 to the database; running it again changes nothing."""

import datetime as dt
import functools
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.utils import timezone

from events.models import Category, Event, PlenaryItem, ReportSection, Venue
from judging.demo import catalogue as cat
from judging.demo.honours import seed_contest, seed_honours
from judging.demo.people import seed_people
from judging.demo.plan import DemoPlan, build_plan
from judging.models import Judge, PanelSeat, ScoreSheet
from judging.scoring.sheets import ItemInput, save_score_sheet
from submissions.enums import Status
from submissions.models import Enterprise, Member, Membership, RecommendingBody, Submission

ORGANIZER_APPS = ("events", "submissions", "judging")


@dataclass
class DemoResult:
    event: Event
    created: dict[str, int] = field(default_factory=dict)
    logins: list[tuple[str, str, str, str]] = field(default_factory=list)
    contest: Event | None = None


@functools.cache
def _password_hash(password: str) -> str:
    """Hash a demo password once per process: hashing is deliberately slow."""
    return make_password(password)


def _aware(value: dt.datetime) -> dt.datetime:
    return timezone.make_aware(value, timezone.get_default_timezone())


@transaction.atomic
def seed_demo(*, seed: int = 40, scale: int = 1) -> DemoResult:
    """Create whatever of the demo event is missing and return what was created: the event
    with its entries, people and 40-year honours, and the 质量工匠 contest announced at it."""
    plan = build_plan(seed=seed, scale=scale)
    event, created = Event.objects.get_or_create(
        slug=cat.EVENT["slug"],
        defaults={
            **{k: v for k, v in cat.EVENT.items() if k != "slug"},
            "submission_opens": _aware(cat.SUBMISSION_WINDOW[0]),
            "submission_closes": _aware(cat.SUBMISSION_WINDOW[1]),
        },
    )
    result = DemoResult(event=event, created={"event": int(created)})
    categories = _categories(event, result)
    _score_sheets(event, categories, result)
    venues = _venues(event, categories, result)
    _programme(event, result)
    enterprises = _enterprises(plan, result)
    _submissions(event, plan, categories, enterprises, result)
    _judges(event, plan, venues, enterprises, result)
    _accounts(event, enterprises, result)
    seed_people(event=event, seed=seed, result=result)
    # After the people: the formal review and the delegates above concern the entries only.
    seed_honours(event=event, plan=plan, seed=seed, result=result)
    result.contest = seed_contest(
        announcer=event, plan=plan, seed=seed, result=result, today=timezone.localdate()
    )
    return result


def _categories(event: Event, result: DemoResult) -> dict[str, Category]:
    categories, count = {}, 0
    for spec in cat.CATEGORIES:
        category, created = Category.objects.get_or_create(
            event=event,
            code_prefix=spec["code_prefix"],
            defaults={
                **spec,
                "honour_prefix": "机械工业",
                "award_rule": "quota",
                "quota_scope": "category",
                "tie_rule": "tiebreak",
            },
        )
        categories[category.code_prefix] = category
        count += created
    result.created["categories"] = count
    return categories


def _score_sheets(event: Event, categories: dict[str, Category], result: DemoResult) -> None:
    count = 0
    for spec in cat.SHEETS:
        category = categories[spec["prefix"]]
        if ScoreSheet.objects.filter(
            category=category, topic_type=spec["topic_type"], phase="presentation"
        ).exists():
            continue
        sheet = ScoreSheet(
            event=event,
            category=category,
            topic_type=spec["topic_type"],
            phase="presentation",
            name=spec["name"],
            note=cat.SHEET_NOTE,
        )
        items = [
            ItemInput(code, name, Decimal(points), criteria, cat.ITEM_STEP)
            for code, name, points, criteria in spec["items"]
        ]
        save_score_sheet(sheet=sheet, items=items)
        count += 1
    result.created["score_sheets"] = count


def _venues(event: Event, categories: dict[str, Category], result: DemoResult) -> dict[int, Venue]:
    morning_start, morning_end, afternoon_start, afternoon_end = cat.SESSIONS
    venues, count = {}, 0
    for number, prefix in sorted(cat.VENUE_CATEGORIES.items()):
        venue, created = Venue.objects.get_or_create(
            event=event,
            number=number,
            defaults={
                "category": categories[prefix],
                "name": f"第{number}分会场",
                "room": cat.ROOMS[number - 1],
                "day": cat.EVENT["judging_date"],
                "morning_start": morning_start,
                "morning_end": morning_end,
                "afternoon_start": afternoon_start,
                "afternoon_end": afternoon_end,
            },
        )
        venues[number] = venue
        count += created
    result.created["venues"] = count
    return venues


def _programme(event: Event, result: DemoResult) -> None:
    count = 0
    for order, kind, (hour, minute), title, chair, speaker, speaker_title, summary in cat.PLENARY:
        _, created = PlenaryItem.objects.get_or_create(
            event=event,
            order=order,
            defaults={
                "kind": kind,
                "starts_at": _aware(dt.datetime.combine(cat.PLENARY_DAY, dt.time(hour, minute))),
                "title": title,
                "chair": chair,
                "speaker": speaker,
                "speaker_title": speaker_title,
                "summary": summary,
            },
        )
        count += created
    result.created["plenary_items"] = count
    count = 0
    for order, title, body in cat.REPORT_SECTIONS:
        _, created = ReportSection.objects.get_or_create(
            event=event, order=order, defaults={"title": title, "body": body}
        )
        count += created
    result.created["report_sections"] = count


def _enterprises(plan: DemoPlan, result: DemoResult) -> dict[str, Enterprise]:
    existing = set(RecommendingBody.objects.values_list("name", flat=True))
    missing = [
        RecommendingBody(name=name, province=province)
        for name, province in plan.recommenders
        if name not in existing
    ]
    RecommendingBody.objects.bulk_create(missing)
    result.created["recommending_bodies"] = len(missing)

    names = [e.name for e in plan.enterprises]
    existing = set(Enterprise.objects.filter(name__in=names).values_list("name", flat=True))
    taken_codes = set(
        Enterprise.objects.filter(credit_code__in=[e.credit_code for e in plan.enterprises])
        .exclude(name__in=names)
        .values_list("credit_code", flat=True)
    )
    missing = [
        Enterprise(
            name=spec.name,
            short_name=spec.short_name,
            credit_code=None if spec.credit_code in taken_codes else spec.credit_code,
            province=spec.province,
            industry=spec.industry,
            parent_group=spec.parent_group,
        )
        for spec in plan.enterprises
        if spec.name not in existing
    ]
    Enterprise.objects.bulk_create(missing, batch_size=500)
    result.created["enterprises"] = len(missing)
    return {e.name: e for e in Enterprise.objects.filter(name__in=names)}


def _submissions(event, plan, categories, enterprises, result) -> None:
    recommenders = dict(RecommendingBody.objects.values_list("name", "pk"))
    existing = set(Submission.objects.filter(event=event).values_list("code", flat=True))
    missing = [
        Submission(
            event=event,
            category=categories[spec.prefix],
            code=spec.code,
            enterprise=enterprises[spec.enterprise],
            recommender_id=recommenders.get(spec.recommender),
            group_name=spec.group_name,
            title=spec.title,
            topic_type=spec.topic_type,
            group_reg_no=spec.group_reg_no,
            topic_reg_no=spec.topic_reg_no,
            activity_start=spec.activity_start,
            activity_end=spec.activity_end,
            meetings=spec.meetings,
            attendance_rate=spec.attendance_rate,
            benefit_wan=spec.benefit_wan,
            recommender_opinion="同意推荐。",
            contact_name=spec.contact_name,
            contact_phone=spec.contact_phone,
            contact_email=spec.contact_email,
            status=Status.ADMITTED,
            submitted_at=_aware(dt.datetime.combine(spec.submitted_on, dt.time(10, 0))),
        )
        for spec in plan.entries
        if spec.code not in existing
    ]
    Submission.objects.bulk_create(missing, batch_size=500)
    result.created["submissions"] = len(missing)

    ids = dict(Submission.objects.filter(event=event).values_list("code", "pk"))
    have = set(Member.objects.filter(submission__event=event).values_list("submission_id", "order"))
    members = [
        Member(
            submission_id=ids[spec.code],
            order=order,
            name=member.name,
            role=member.role,
            post=member.post,
            title=member.title,
            gender=member.gender,
            education=member.education,
        )
        for spec in plan.entries
        for order, member in enumerate(spec.members, start=1)
        if (ids[spec.code], order) not in have
    ]
    Member.objects.bulk_create(members, batch_size=1000)
    result.created["members"] = len(members)


def _judge_username(judge) -> str:
    if judge.venue == 1 and judge.role == "chair":
        return cat.CHAIR_USERNAME
    if judge.code == "J02":
        return cat.JUDGE_USERNAME
    return f"cmqa40-{judge.code.lower()}"


def _judges(event, plan, venues, enterprises, result) -> None:
    User = get_user_model()
    usernames = {j.code: _judge_username(j) for j in plan.judges}
    existing_users = set(
        User.objects.filter(username__in=usernames.values()).values_list("username", flat=True)
    )
    password = _password_hash(cat.JUDGE_PASSWORD)
    printed = {cat.CHAIR_USERNAME, cat.JUDGE_USERNAME}
    User.objects.bulk_create(
        [
            User(
                username=name,
                first_name=judge.name,
                password=password if name in printed else make_password(None),
            )
            for judge in plan.judges
            if (name := usernames[judge.code]) not in existing_users
        ]
    )
    users = dict(User.objects.filter(username__in=usernames.values()).values_list("username", "pk"))

    existing = set(Judge.objects.filter(event=event).values_list("code", flat=True))
    missing = [
        Judge(
            event=event,
            code=judge.code,
            user_id=users[usernames[judge.code]],
            name=judge.name,
            affiliation=enterprises.get(judge.enterprise) if judge.enterprise else None,
            affiliation_name=judge.affiliation_name,
            parent_group=judge.parent_group,
            province=judge.province,
            qualification="中机质协诊断师",
            phone=judge.phone,
        )
        for judge in plan.judges
        if judge.code not in existing
    ]
    Judge.objects.bulk_create(missing)
    result.created["judges"] = len(missing)

    judge_ids = dict(Judge.objects.filter(event=event).values_list("code", "pk"))
    seated = set(PanelSeat.objects.filter(venue__event=event).values_list("judge_id", "venue_id"))
    seats = [
        PanelSeat(judge_id=judge_ids[judge.code], venue=venues[judge.venue], role=judge.role)
        for judge in plan.judges
        if (judge_ids[judge.code], venues[judge.venue].pk) not in seated
    ]
    PanelSeat.objects.bulk_create(seats)
    result.created["panel_seats"] = len(seats)
    chair = next(j for j in plan.judges if j.venue == 1 and j.role == "chair")
    judge = next(j for j in plan.judges if j.code == "J02")
    result.logins += [
        (
            "评审组长",
            cat.CHAIR_USERNAME,
            cat.JUDGE_PASSWORD,
            f"{chair.code} {chair.name}，第1分会场",
        ),
        ("评委", cat.JUDGE_USERNAME, cat.JUDGE_PASSWORD, f"{judge.code} {judge.name}，第1分会场"),
    ]


def _accounts(event: Event, enterprises: dict[str, Enterprise], result: DemoResult) -> None:
    User = get_user_model()
    group, _ = Group.objects.get_or_create(name=cat.ORGANIZER_GROUP)
    # add() skips what the group has, so only permissions of models new since the last run are added.
    group.permissions.add(*Permission.objects.filter(content_type__app_label__in=ORGANIZER_APPS))
    organizer, created = User.objects.get_or_create(
        username=cat.ORGANIZER_USERNAME,
        defaults={
            "is_staff": True,
            "first_name": "组织者",
            "password": _password_hash(cat.ORGANIZER_PASSWORD),
        },
    )
    if created:
        organizer.groups.add(group)
    event.staff.add(organizer)

    company = enterprises[cat.ENTERPRISE_USER_COMPANY]
    user, created = User.objects.get_or_create(
        username=cat.ENTERPRISE_USERNAME,
        defaults={"first_name": "企业联系人", "password": _password_hash(cat.ENTERPRISE_PASSWORD)},
    )
    if created:
        Membership.objects.create(user=user, enterprise=company, is_admin=True)
    result.logins[:0] = [("组织者", cat.ORGANIZER_USERNAME, cat.ORGANIZER_PASSWORD, "后台 /admin/")]
    result.logins.append(
        ("企业用户", cat.ENTERPRISE_USERNAME, cat.ENTERPRISE_PASSWORD, f"{company.name}，/portal/")
    )
