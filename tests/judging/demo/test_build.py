"""The demo event cmqa-40: its shape, determinism, idempotence and logins.

The demo event also holds the 40-year honours (nominations in written reviews, tested in
test_honours.py): the tests of its entries look at the entry categories (QC, TD, PP).
"""

import io
import random
from collections import Counter
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from events.models import Category, Event, PlenaryItem, ReportSection, Venue
from judging.demo.build import seed_demo
from judging.demo.plan import build_plan
from judging.demo.scores import plausible_points
from judging.models import Judge, PanelSeat, ScoreItem, ScoreSheet
from submissions.models import Enterprise, Member, Membership, RecommendingBody, Submission
from submissions.validators import credit_code_problem

MODELS = [
    Event,
    Category,
    Venue,
    PlenaryItem,
    ReportSection,
    RecommendingBody,
    Enterprise,
    Submission,
    Member,
    Judge,
    PanelSeat,
    ScoreSheet,
    ScoreItem,
    Membership,
    get_user_model(),
]


ENTRY_KINDS = ("qc", "team", "story")


@pytest.fixture
def demo(db):
    return seed_demo(seed=40).event


def entries_of(event):
    return Submission.objects.filter(event=event, category__kind__in=ENTRY_KINDS)


def row_counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in MODELS}


def test_seed_demo_builds_the_event_of_the_real_activity(demo):
    assert demo.slug == "cmqa-40"
    assert demo.name == "机械工业第40次群众性质量管理成果、质量品牌故事交流活动"
    assert (demo.city, str(demo.start_date), str(demo.end_date)) == (
        "杭州",
        "2021-09-23",
        "2021-09-25",
    )
    assert (demo.attendance, demo.attending_organizations) == (650, 170)
    assert demo.organizers.splitlines() == [
        "中国机械工业质量管理协会",
        "中国机械冶金建材工会全国委员会",
        "中国机械工业职工思想政治工作研究会",
    ]


def test_seed_demo_has_three_entry_categories_and_two_honours_with_quotas(demo):
    rows = list(
        demo.categories.order_by("order").values_list(
            "code_prefix",
            "kind",
            "slot_minutes",
            "qa_minutes",
            "award_rule",
            "quota_count",
            "tie_rule",
            "showcase_count",
        )
    )
    assert rows == [
        ("QC", "qc", 8, 2, "quota", 155, "tiebreak", 5),
        ("TD", "team", 6, 2, "quota", 71, "tiebreak", 2),
        ("PP", "story", 4, 0, "quota", 18, "tiebreak", 2),
        ("ZZ", "org", 8, 2, "quota", 12, "tiebreak", 0),
        ("GR", "person", 8, 2, "quota", 18, "tiebreak", 0),
    ]


def test_seed_demo_has_ten_venues_on_judging_day(demo):
    venues = list(demo.venues.filter(mode="onsite").order_by("number").select_related("category"))
    assert [v.category.code_prefix for v in venues] == ["QC"] * 7 + ["TD"] * 2 + ["PP"]
    assert {str(v.day) for v in venues} == {"2021-09-24"}
    assert {
        (str(v.morning_start), str(v.morning_end), str(v.afternoon_start), str(v.afternoon_end))
        for v in venues
    } == {("08:30:00", "12:00:00", "13:30:00", "18:00:00")}
    assert all(v.room for v in venues)


def test_seed_demo_has_548_admitted_entries_with_running_codes(demo):
    entries = entries_of(demo)
    assert entries.count() == 548
    assert Counter(entries.values_list("category__code_prefix", flat=True)) == {
        "QC": 309,
        "TD": 115,
        "PP": 124,
    }
    statuses = Counter(entries.values_list("status", flat=True))
    assert statuses == {"admitted": 548 - 6, "deferred": 3, "rejected": 3}
    codes = set(entries.values_list("code", flat=True))
    assert {"QC-001", "QC-309", "TD-001", "TD-115", "PP-001", "PP-124"} <= codes
    assert "QC-310" not in codes


def test_seed_demo_qc_entries_have_realistic_topic_types(demo):
    types = Counter(
        Submission.objects.filter(event=demo, category__code_prefix="QC").values_list(
            "topic_type", flat=True
        )
    )
    assert set(types) == {"onsite", "tackling", "management", "service", "innovation"}
    assert types["onsite"] > types["management"] > types["service"]
    assert (
        not Submission.objects.filter(event=demo)
        .exclude(category__code_prefix="QC")
        .exclude(topic_type="")
        .exists()
    )


def test_seed_demo_entries_have_three_to_ten_members_with_roles(demo):
    for entry in entries_of(demo).prefetch_related("members"):
        roles = [m.role for m in entry.members.all()]
        assert 3 <= len(roles) <= 10, entry.code
        if entry.category.kind == "story":
            assert "speaker" in roles, entry.code
        else:
            assert roles.count("leader") == 1, entry.code


def test_seed_demo_showcase_entries_carry_the_real_group_names(demo):
    pairs = set(Submission.objects.filter(event=demo).values_list("enterprise__name", "group_name"))
    assert ("上汽大众汽车有限公司", "质行先锋QC小组") in pairs
    assert ("一汽解放汽车有限公司无锡柴油机厂", "6DL内装二组") in pairs
    titles = set(Submission.objects.filter(event=demo).values_list("enterprise__name", "title"))
    assert ("吉利汽车集团有限公司", "无惧翻滚、守护生命") in titles


def test_seed_demo_plenary_follows_the_programme(demo):
    items = list(PlenaryItem.objects.filter(event=demo).order_by("order"))
    kinds = [item.kind for item in items]
    assert kinds[0] == "opening" and kinds[-1] == "closing"
    report = next(item for item in items if item.kind == "work_report")
    assert (report.title, report.speaker) == ("标杆引领、质量创新", "刘建新")
    showcase = next(item for item in items if item.kind == "showcase")
    assert "祺无缺QC小组" in showcase.summary and "第一荣耀" in showcase.summary
    announcement = next(item for item in items if item.kind == "announcement")
    assert "质量工匠" in announcement.title


def test_seed_demo_score_sheets_follow_the_defaults(demo):
    sheets = {
        (s.category.code_prefix, s.topic_type): [i.max_points for i in s.items.all()]
        for s in ScoreSheet.objects.filter(event=demo)
        .select_related("category")
        .prefetch_related("items")
    }
    points = lambda *values: [Decimal(v) for v in values]  # noqa: E731
    assert sheets == {
        ("QC", ""): points(15, 30, 20, 20, 5, 10),
        ("QC", "innovation"): points(20, 30, 20, 15, 5, 10),
        ("TD", ""): points(15, 25, 15, 20, 10, 15),
        ("PP", ""): points(40, 20, 10, 15, 5, 10),
        ("ZZ", ""): points(20, 25, 30, 15, 10),
        ("GR", ""): points(15, 35, 25, 15, 10),
    }
    assert set(ScoreItem.objects.filter(sheet__event=demo).values_list("step", flat=True)) == {
        Decimal("0.5")
    }
    assert not ScoreItem.objects.filter(sheet__event=demo, criteria="").exists()


def test_seed_demo_enterprises_have_valid_credit_codes(demo):
    enterprises = Enterprise.objects.filter(submissions__event=demo).distinct()
    assert enterprises.count() == 170
    codes = list(enterprises.values_list("credit_code", flat=True))
    assert [code for code in codes if credit_code_problem(code)] == []
    assert not enterprises.filter(province="").exists()
    assert not enterprises.filter(industry="").exists()
    assert not Submission.objects.filter(event=demo, recommender__isnull=True).exists()


def test_seed_demo_venues_have_five_to_seven_judges_and_one_chair(demo):
    for venue in Venue.objects.filter(event=demo):
        roles = list(venue.seats.values_list("role", flat=True))
        assert 5 <= len(roles) <= 7, venue.name
        assert roles.count("chair") == 1, venue.name
    assert set(Judge.objects.filter(event=demo).values_list("qualification", flat=True)) == {
        "中机质协诊断师"
    }
    assert Judge.objects.filter(event=demo, code="J01").exists()


def test_seed_demo_some_judges_work_for_enterprises_entering_their_venue_category(demo):
    conflicted = [
        seat
        for seat in PanelSeat.objects.filter(
            venue__event=demo, judge__affiliation__isnull=False
        ).select_related("judge", "venue")
        if Submission.objects.filter(
            event=demo, category=seat.venue.category_id, enterprise=seat.judge.affiliation_id
        ).exists()
    ]
    assert len(conflicted) >= 5
    assert Judge.objects.filter(event=demo, affiliation__isnull=True).count() >= 30


def test_seed_demo_logins_work(demo):
    User = get_user_model()
    organizer = User.objects.get(username="organizer")
    assert organizer.is_staff and not organizer.is_superuser
    assert organizer.check_password("demo-organizer-2021")
    assert list(demo.staff.all()) == [organizer]
    assert organizer.has_perm("submissions.change_submission")
    chair = Judge.objects.get(event=demo, user__username="chair1")
    assert (chair.seats.get().role, chair.seats.get().venue.number) == ("chair", 1)
    judge = Judge.objects.get(event=demo, user__username="judge1")
    assert (judge.seats.get().role, judge.seats.get().venue.number) == ("member", 1)
    assert User.objects.get(username="chair1").check_password("demo-judge-2021")
    assert User.objects.get(username="judge1").check_password("demo-judge-2021")
    enterprise_user = User.objects.get(username="enterprise")
    assert enterprise_user.check_password("demo-enterprise-2021")
    assert enterprise_user.membership.enterprise.name == "上汽大众汽车有限公司"
    assert not User.objects.get(username="cmqa40-j03").has_usable_password()


def test_seed_demo_second_run_changes_nothing(demo):
    before = row_counts()
    titles = list(
        Submission.objects.order_by("code").values_list("code", "title", "enterprise__name")
    )
    result = seed_demo(seed=40)
    assert row_counts() == before
    assert set(result.created.values()) == {0}
    assert (
        list(Submission.objects.order_by("code").values_list("code", "title", "enterprise__name"))
        == titles
    )


def test_seed_demo_rows_follow_the_plan_of_the_seed(demo):
    plan = build_plan(seed=40)
    stored = list(
        entries_of(demo)
        .order_by("code")
        .values_list("code", "enterprise__name", "group_name", "title")
    )
    planned = sorted((e.code, e.enterprise, e.group_name, e.title) for e in plan.entries)
    assert stored == planned


def test_build_plan_is_the_same_for_the_same_seed():
    assert build_plan(seed=7) == build_plan(seed=7)
    assert build_plan(seed=7).entries != build_plan(seed=8).entries


def test_build_plan_scale_extends_the_base_demo_with_continuing_codes():
    base, double = build_plan(seed=40), build_plan(seed=40, scale=2)
    assert len(double.entries) == 2 * 548
    assert len(double.enterprises) == 2 * 170
    assert set(base.entries) <= set(double.entries)
    assert "QC-310" in {e.code for e in double.entries}
    assert len({e.credit_code for e in double.enterprises}) == 340
    assert double.judges == base.judges


def test_seed_demo_scale_two_on_top_of_the_base_adds_the_second_block(demo):
    seed_demo(seed=40, scale=2)
    assert entries_of(demo).count() == 1096
    assert Submission.objects.filter(event=demo, code="PP-248").exists()


def test_seed_demo_command_prints_the_logins(db):
    out = io.StringIO()
    call_command("seed_demo", "--seed", "40", stdout=out)
    text = out.getvalue()
    for username, password in [
        ("organizer", "demo-organizer-2021"),
        ("chair1", "demo-judge-2021"),
        ("judge1", "demo-judge-2021"),
        ("enterprise", "demo-enterprise-2021"),
    ]:
        assert f"{username}" in text and password in text


def test_seed_demo_command_refuses_scale_below_one(db):
    with pytest.raises(CommandError, match="--scale"):
        call_command("seed_demo", "--scale", "0", stdout=io.StringIO())


@pytest.mark.parametrize(
    ("max_points", "step", "level"),
    [
        (Decimal("15"), Decimal("0.5"), 0.8),
        (Decimal("30"), Decimal("0.5"), 0.99),
        (Decimal("5"), Decimal("0.5"), 0.05),
        (Decimal("40"), Decimal("0.01"), 0.9),
    ],
)
def test_plausible_points_stay_on_the_step_grid_within_range(max_points, step, level):
    rng = random.Random(1)
    for _ in range(200):
        points = plausible_points(rng, max_points=max_points, step=step, level=level)
        assert Decimal("0") <= points <= max_points
        assert points % step == 0


def test_seed_demo_scores_fill_every_card_and_lock_every_venue(demo):
    from judging.models import Recusal, Scorecard, VenueAssignment, VenueStatus

    # A judged day of a few entries per venue keeps the test short (a full day is ~3,300 cards).
    kept = [f"QC-{n:03d}" for n in range(1, 22)] + ["TD-001", "TD-002", "TD-003", "PP-001"]
    Submission.objects.filter(event=demo).exclude(code__in=kept).update(status="deferred")
    call_command("seed_demo", "--scores", stdout=io.StringIO())
    recused = set(Recusal.objects.filter(judge__event=demo).values_list("judge", "submission"))
    expected = {
        (seat.judge_id, assignment.submission_id)
        for assignment in VenueAssignment.objects.filter(venue__event=demo).prefetch_related(
            "venue__seats"
        )
        for seat in assignment.venue.seats.all()
    } - recused
    cards = Scorecard.objects.filter(judge__event=demo)
    assert VenueAssignment.objects.filter(venue__event=demo).count() == len(kept)
    assert set(cards.values_list("judge", "submission")) == expected
    assert set(cards.values_list("status", flat=True)) == {"submitted"}
    # the two written reviews too (their nominations are out of this judged day)
    assert VenueStatus.objects.filter(venue__event=demo, locked_at__isnull=False).count() == 12

    call_command("seed_demo", "--scores", stdout=io.StringIO())
    assert Scorecard.objects.filter(judge__event=demo).count() == len(expected)


def test_seed_demo_people_showcase_and_review(demo):
    from judging.models import CheckIn, Showcase
    from submissions.models import Delegate, ReviewLog

    delegates = Delegate.objects.filter(event=demo)
    organizations = set(delegates.values_list("organization", flat=True))
    assert 600 <= delegates.count() <= 700
    assert 160 <= len(organizations) <= 200
    assert delegates.filter(organization_kind="association").exists()
    assert delegates.filter(kind="judge").count() == Judge.objects.filter(event=demo).count()
    assert CheckIn.objects.filter(event=demo, session="plenary").count() > 0.85 * delegates.count()
    showcase = Showcase.objects.filter(event=demo).order_by("order")
    assert [s.submission.title for s in showcase][-1] == "无惧翻滚、守护生命"
    assert all(s.judges_comment and s.commenting_judge for s in showcase)
    returned = ReviewLog.objects.filter(submission__event=demo, to_status="returned").count()
    assert returned == 9
    before = (delegates.count(), CheckIn.objects.count(), ReviewLog.objects.count())
    seed_demo(seed=40)
    assert (delegates.count(), CheckIn.objects.count(), ReviewLog.objects.count()) == before
