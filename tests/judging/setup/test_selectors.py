"""The readiness checklist names each missing thing and links to where it is fixed."""

import datetime as dt
from decimal import Decimal

import pytest

from judging.models import CertificateDesign, ScoreItem
from judging.setup.selectors import readiness
from tests.factories import (
    CategoryFactory,
    EventFactory,
    JudgeFactory,
    PanelSeatFactory,
    VenueFactory,
    problem_solving_sheet,
)

pytestmark = pytest.mark.django_db
SHANGHAI = dt.timezone(dt.timedelta(hours=8))


def problems(event) -> dict[str, list[tuple[str, str]]]:
    return {check.key: [(p.text, p.url) for p in check.problems] for check in readiness(event)}


@pytest.fixture
def ready_event():
    """An event with nothing missing."""
    event = EventFactory(
        submission_opens=dt.datetime(2021, 4, 1, 9, 0, tzinfo=SHANGHAI),
        submission_closes=dt.datetime(2021, 5, 20, 17, 0, tzinfo=SHANGHAI),
    )
    category = CategoryFactory(event=event, quota_percent=Decimal("50"))
    problem_solving_sheet(category)
    venue = VenueFactory(event=event, category=category, room="西湖厅")
    PanelSeatFactory(judge=JudgeFactory(event=event), venue=venue, role="chair")
    CertificateDesign.objects.create(
        event=event, audience="group", issuing_body="协会", issue_date=dt.date(2021, 9, 25)
    )
    return event


def test_a_ready_event_has_no_problem(ready_event):
    assert problems(ready_event) == {
        key: []
        for key in (
            "categories",
            "sheets",
            "sheet_items",
            "venues",
            "chairs",
            "judges",
            "window",
            "rules",
            "designs",
        )
    }


def test_an_empty_event_names_what_comes_first():
    event = EventFactory()
    found = problems(event)
    assert [text for text, _ in found["categories"]] == ["尚未设置任何类别"]
    assert found["categories"][0][1] == f"/admin/events/category/add/?event={event.pk}"
    assert [text for text, _ in found["venues"]] == ["尚未设置任何分会场"]
    assert [text for text, _ in found["judges"]] == ["尚未添加评委"]
    assert [text for text, _ in found["window"]] == ["尚未设置申报开始和截止时间"]


def test_category_without_score_sheet(ready_event):
    team = CategoryFactory(
        event=ready_event, kind="team", name="质量信得过班组", code_prefix="TD", quota_count=3
    )
    assert problems(ready_event)["sheets"] == [
        (
            "类别“质量信得过班组”没有评分表",
            f"/admin/judging/scoresheet/add/?event={ready_event.pk}&category={team.pk}",
        )
    ]


def test_sheet_whose_items_do_not_add_up(ready_event):
    sheet = ready_event.score_sheets.get()
    ScoreItem.objects.filter(sheet=sheet, code="B1").update(max_points=Decimal("10"))
    assert problems(ready_event)["sheet_items"] == [
        (
            "评分表“问题解决型课题成果评审表”的评分项满分合计 95，不等于满分 100",
            f"/admin/judging/scoresheet/{sheet.pk}/change/",
        )
    ]


def test_venue_without_room_or_chair(ready_event):
    # A number after the event's own (the factory numbers venues from a sequence of the run).
    number = max(ready_event.venues.values_list("number", flat=True)) + 1
    venue = VenueFactory(event=ready_event, category=ready_event.categories.get(), number=number)
    link = f"/admin/events/venue/{venue.pk}/change/"
    found = problems(ready_event)
    assert found["venues"] == [(f"第{number}分会场 没有会议室", link)]
    assert found["chairs"] == [(f"第{number}分会场 没有评审组长", link)]


def test_judges_without_seat_or_sign_in(ready_event):
    seatless = JudgeFactory(event=ready_event, code="R08", name="王评委")
    no_account = JudgeFactory(event=ready_event, code="R09", name="李评委", user=None)
    PanelSeatFactory(judge=no_account, venue=ready_event.venues.get())
    assert problems(ready_event)["judges"] == [
        ("评委 R08 王评委 没有评审席位", f"/admin/judging/judge/{seatless.pk}/change/"),
        (
            "评委 R09 李评委 没有登录账号，无法签到评审",
            f"/admin/judging/judge/{no_account.pk}/change/",
        ),
    ]


def test_submission_window_in_the_wrong_order(ready_event):
    ready_event.submission_closes = ready_event.submission_opens - dt.timedelta(days=1)
    ready_event.save()
    assert [t for t, _ in problems(ready_event)["window"]] == ["申报截止时间早于开始时间"]


@pytest.mark.parametrize(
    ("fields", "gap"),
    [
        ({"award_rule": "threshold", "threshold": None}, "按分数线评选，但没有设置分数线"),
        (
            {"award_rule": "quota", "quota_percent": None, "quota_count": None},
            "按比例或名额评选，但没有设置入选比例或固定名额",
        ),
        (
            {"award_rule": "both", "threshold": None},
            "按比例且达分数线评选，需要同时设置分数线和比例或名额",
        ),
        ({"award_rule": "tiers", "tiers": []}, "分等级评选，但没有设置等级"),
    ],
)
def test_incomplete_award_rule(ready_event, fields, gap):
    category = ready_event.categories.get()
    for name, value in fields.items():
        setattr(category, name, value)
    category.save()
    assert problems(ready_event)["rules"] == [
        (f"类别“QC成果”：{gap}", f"/admin/events/category/{category.pk}/change/")
    ]


def test_missing_certificate_design(ready_event):
    CertificateDesign.objects.filter(event=ready_event).delete()
    category = ready_event.categories.get()
    assert problems(ready_event)["designs"] == [
        (
            "类别“QC成果”没有证书样式（将使用系统默认样式）",
            f"/admin/judging/certificatedesign/add/?event={ready_event.pk}"
            f"&category={category.pk}&audience=group",
        )
    ]


def test_an_honour_category_needs_a_design_of_its_own_audience(ready_event):
    """The event's general group design words entries; a person honour needs a person design."""
    category = CategoryFactory(
        event=ready_event, kind="person", name="优秀个人", code_prefix="GR", honour="优秀个人"
    )
    assert problems(ready_event)["designs"] == [
        (
            "类别“优秀个人”没有证书样式（将使用系统默认样式）",
            f"/admin/judging/certificatedesign/add/?event={ready_event.pk}"
            f"&category={category.pk}&audience=person",
        )
    ]
    CertificateDesign.objects.create(
        event=ready_event,
        audience="person",
        wording="授予{name}同志（{organization}）",
        issuing_body="协会",
        issue_date=dt.date(2021, 9, 25),
    )
    assert problems(ready_event)["designs"] == []


def test_checklist_reads_in_a_fixed_number_of_queries(ready_event, django_assert_num_queries):
    for number in range(2, 8):
        VenueFactory(event=ready_event, category=ready_event.categories.get(), number=number)
        JudgeFactory(event=ready_event)
    with django_assert_num_queries(6):
        readiness(ready_event)
