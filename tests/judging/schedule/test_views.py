"""Organizers' venue pages and the public schedule: main paths and permission edges."""

import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from judging.models import Draw, Recusal, VenueAssignment, VenueStatus
from judging.schedule.services import assign_venues
from tests.factories import (
    CategoryFactory,
    EnterpriseFactory,
    EventFactory,
    JudgeFactory,
    PanelSeatFactory,
    SubmissionFactory,
    UserFactory,
    VenueFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup():
    event = EventFactory(slug="demo")
    category = CategoryFactory(event=event)
    venues = [VenueFactory(event=event, category=category, number=n) for n in (1, 2)]
    xcmg = EnterpriseFactory(name="徐工集团工程机械股份有限公司", short_name="徐工")
    for i in range(1, 7):
        SubmissionFactory(
            event=event,
            category=category,
            code=f"QC-{i:03d}",
            enterprise=xcmg if i <= 2 else EnterpriseFactory(),
            group_name=f"第{i}QC小组",
        )
    for n, venue in enumerate(venues):
        for k in range(3):
            PanelSeatFactory(judge=JudgeFactory(event=event, code=f"J{n}{k}"), venue=venue)
    assign_venues(event=event, seed=1)
    organizer = UserFactory(username="orga")
    event.staff.add(organizer)
    return event, venues, organizer


def test_overview_lists_venues_for_the_organizer(client, setup):
    event, _venues, organizer = setup
    client.force_login(organizer)
    response = client.get(reverse("schedule:overview", args=[event.slug]))
    assert response.status_code == 200
    assert [b.count for b in response.context["boards"]] == [3, 3]


def test_overview_is_404_for_other_users(client, setup):
    event, _venues, _organizer = setup
    client.force_login(UserFactory(username="someone"))
    assert client.get(reverse("schedule:overview", args=[event.slug])).status_code == 404


def test_overview_needs_login(client, setup):
    event, _venues, _organizer = setup
    response = client.get(reverse("schedule:overview", args=[event.slug]))
    assert response.status_code == 302


def test_venue_page_query_count_does_not_grow_with_entries(client, setup):
    event, venues, organizer = setup
    client.force_login(organizer)
    url = reverse("schedule:venue", args=[event.slug, 1])
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for i in range(7, 17):
        SubmissionFactory(event=event, category=venues[0].category, code=f"QC-{i:03d}")
    assign_venues(event=event, seed=1)
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)
    assert response.context["board"].count == 8
    assert len(many) == len(few)


def test_move_action_moves_and_locks(client, setup):
    event, venues, organizer = setup
    client.force_login(organizer)
    row = VenueAssignment.objects.filter(venue=venues[0]).first()
    response = client.post(
        reverse("schedule:entry_action", args=[event.slug, row.pk]),
        {"action": "move", "venue": 2},
    )
    assert response.status_code == 302
    row.refresh_from_db()
    assert (row.venue, row.locked) == (venues[1], True)


def test_entry_action_of_another_event_is_404(client, setup):
    _event, _venues, organizer = setup
    other = EventFactory(slug="other")
    other.staff.add(organizer)
    row = VenueAssignment.objects.first()
    client.force_login(organizer)
    response = client.post(
        reverse("schedule:entry_action", args=[other.slug, row.pk]), {"action": "lock"}
    )
    assert response.status_code == 404


def test_redraw_action_logs_reason(client, setup):
    event, venues, organizer = setup
    client.force_login(organizer)
    client.post(
        reverse("schedule:redraw", args=[event.slug, 1]), {"reason": "现场重抽", "seed": "42"}
    )
    assert Draw.objects.filter(venue=venues[0]).first().reason == "现场重抽"
    assert Draw.objects.filter(venue=venues[0]).first().seed == 42


def test_manual_recusal_action_shows_on_the_venue_page(client, setup):
    event, venues, organizer = setup
    client.force_login(organizer)
    judge = venues[0].seats.first().judge
    code = VenueAssignment.objects.filter(venue=venues[0]).first().submission.code
    client.post(
        reverse("schedule:recuse", args=[event.slug, 1]),
        {"judge": judge.pk, "entry": code, "reason": "曾担任该小组顾问"},
    )
    assert Recusal.objects.get().reason == "曾担任该小组顾问"
    response = client.get(reverse("schedule:venue", args=[event.slug, 1]))
    row = next(r for r in response.context["board"].rows if r.submission.code == code)
    assert row.eligible == 2
    assert response.context["board"].thin == 1


def test_print_page_and_pdf(client, setup):
    event, _venues, organizer = setup
    client.force_login(organizer)
    page = client.get(reverse("schedule:print", args=[event.slug, 1]))
    assert page.status_code == 200
    assert "第1分会场" in page.content.decode()
    pdf = client.get(reverse("schedule:pdf", args=[event.slug, 1]))
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")


def test_excel_has_a_sheet_per_venue(client, setup):
    from openpyxl import load_workbook

    event, _venues, organizer = setup
    client.force_login(organizer)
    response = client.get(reverse("schedule:export", args=[event.slug]))
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["分会场", "第1分会场", "第2分会场"]
    sheet = workbook["第1分会场"]
    assert [c.value for c in sheet[1]][:4] == ["抽签号", "开始", "结束", "编号"]
    assert sheet.max_row == 4
    assert sheet["B2"].value == "08:30"


def test_public_schedule_search_by_enterprise(client, setup):
    event, _venues, _organizer = setup
    response = client.get(reverse("schedule:public", args=[event.slug]), {"q": "徐工"})
    assert response.status_code == 200
    assert response.context["hits"] == 2
    codes = sorted(r.submission.code for b in response.context["boards"] for r in b.rows)
    assert codes == ["QC-001", "QC-002"]


def test_public_schedule_shows_now_and_next(client, setup):
    event, venues, _organizer = setup
    first, second = VenueAssignment.objects.filter(venue=venues[0]).order_by("draw_number")[:2]
    VenueStatus.objects.create(venue=venues[0], now_presenting=first.submission)
    response = client.get(reverse("schedule:public", args=[event.slug]))
    board = response.context["boards"][0]
    assert (board.now, board.next) == (first, second)
    assert "正在发表" in response.content.decode()


def test_public_schedule_of_a_private_event_is_404(client, setup):
    event, _venues, _organizer = setup
    event.is_public = False
    event.save()
    assert client.get(reverse("schedule:public", args=[event.slug])).status_code == 404


def test_public_live_json_follows_the_venue_status(client, setup):
    event, venues, _organizer = setup
    first, second = VenueAssignment.objects.filter(venue=venues[0]).order_by("draw_number")[:2]
    VenueStatus.objects.create(venue=venues[0], now_presenting=second.submission)
    data = client.get(reverse("schedule:live", args=[event.slug])).json()
    assert data["venues"]["1"]["now"]["code"] == second.submission.code
    last = VenueAssignment.objects.filter(venue=venues[0]).order_by("draw_number")[2]
    assert data["venues"]["1"]["next"]["code"] == last.submission.code
    assert data["venues"]["2"] == {"now": None, "next": None}


def test_assign_action_warns_of_an_overfull_venue(client, setup):
    event, venues, organizer = setup
    venues[0].afternoon_start = venues[0].afternoon_end = None
    venues[0].morning_end = venues[0].morning_start.replace(hour=8, minute=50)
    venues[0].save()
    client.force_login(organizer)
    response = client.post(
        reverse("schedule:assign", args=[event.slug]), {"seed": "3"}, follow=True
    )
    texts = [str(m) for m in response.context["messages"]]
    assert texts == ["已分配 6 项成果并完成抽签。", "第1分会场容纳不下 1 项，超出 10 分钟。"]


def test_assign_action_rejects_a_bad_seed(client, setup):
    event, _venues, organizer = setup
    client.force_login(organizer)
    response = client.post(
        reverse("schedule:assign", args=[event.slug]), {"seed": "abc"}, follow=True
    )
    assert [str(m) for m in response.context["messages"]] == ["随机种子应为不超过 15 位的正整数。"]


def test_public_schedule_query_count_does_not_grow_with_entries(client, setup):
    event, venues, _organizer = setup
    url = reverse("schedule:public", args=[event.slug])
    client.get(url)  # the first reader looks the event's id up for the page cache's versions
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for i in range(7, 17):
        SubmissionFactory(event=event, category=venues[0].category, code=f"QC-{i:03d}")
    assign_venues(event=event, seed=1)
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)
    assert response.context["hits"] == 16
    assert len(many) == len(few)
