import re
import time
import uuid
from html import unescape

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import reverse

from judging.enums import CardStatus
from judging.models import Scorecard, VenueStatus
from judging.scoring.chairs import lock_venue, return_scorecard
from judging.scoring.ledger import head_hash
from judging.scoring.services import submit_scorecard
from judging.scoring.views import chair as chair_views
from submissions.models import Attachment
from tests.judging.panel_setup import GOOD, build_panel, fast_passwords, recuse  # noqa: F401

pytestmark = pytest.mark.django_db


def signed_in(client, judge):
    client.force_login(judge.user)
    return client


def test_judge_home_redirects_to_only_venue(client):
    panel = build_panel()
    response = signed_in(client, panel.members[0]).get(reverse("judging:judge_home"))
    assert response.url == reverse("judging:venue", args=[panel.venue.pk])


def test_venue_page_lists_running_order_presenting_and_recused(client):
    panel = build_panel()
    judge = panel.members[0]
    recuse(judge, panel.entries[1])
    VenueStatus.objects.create(venue=panel.venue, now_presenting=panel.entries[0])
    page = signed_in(client, judge).get(reverse("judging:venue", args=[panel.venue.pk]))
    html = page.content.decode()
    assert page.status_code == 200
    assert html.index(panel.entries[0].code) < html.index(panel.entries[2].code)
    assert "order-row presenting" in html
    assert "order-row recused" in html
    assert reverse("judging:scorecard", args=[panel.entries[1].pk]) not in html


def test_venue_page_of_other_venue_is_404(client):
    panel = build_panel()
    other = build_panel(event=panel.event)
    response = signed_in(client, panel.chair).get(reverse("judging:venue", args=[other.venue.pk]))
    assert response.status_code == 404


def test_scorecard_page_other_venue_entry_is_404(client):
    panel = build_panel()
    other = build_panel(event=panel.event)
    url = reverse("judging:scorecard", args=[other.entries[0].pk])
    assert signed_in(client, panel.members[0]).get(url).status_code == 404


def test_scorecard_page_recused_shows_notice_without_form(client):
    panel = build_panel()
    recuse(panel.members[0], panel.entries[0])
    url = reverse("judging:scorecard", args=[panel.entries[0].pk])
    html = signed_in(client, panel.members[0]).get(url).content.decode()
    assert 'id="recused-notice"' in html
    assert 'id="scorecard"' not in html


def test_scorecard_page_post_submit_without_javascript(client):
    panel = build_panel()
    url = reverse("judging:scorecard", args=[panel.entries[0].pk])
    data = {f"item-{code}": value for code, value in GOOD.items()} | {"action": "submit"}
    response = signed_in(client, panel.members[0]).post(url, data)
    assert response.status_code == 302
    assert Scorecard.objects.get().status == CardStatus.SUBMITTED


def test_report_view_serves_inline_only_to_the_venue_panel(client):
    panel = build_panel()
    entry = panel.entries[0]
    Attachment.objects.create(
        submission=entry,
        kind="report",
        file=ContentFile(b"%PDF-1.4 report", name="r.pdf"),
        original_name="报告.pdf",
        content_type="application/pdf",
        size=15,
        sha256="0" * 64,
    )
    url = reverse("judging:report", args=[entry.pk])
    response = signed_in(client, panel.members[0]).get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"] == "inline"
    assert b"".join(response.streaming_content) == b"%PDF-1.4 report"
    other = build_panel(event=panel.event)
    assert signed_in(client, other.chair).get(url).status_code == 404
    recuse(panel.members[1], entry)
    assert signed_in(client, panel.members[1]).get(url).status_code == 404


def test_chair_page_only_for_the_venue_chair(client):
    panel = build_panel()
    url = reverse("judging:chair", args=[panel.venue.pk])
    assert signed_in(client, panel.members[0]).get(url).status_code == 404
    other = build_panel(event=panel.event)
    assert signed_in(client, other.chair).get(url).status_code == 404
    page = signed_in(client, panel.chair).get(url)
    assert page.status_code == 200
    assert page.content.decode().count('data-state="missing"') == 9


def matrix_poll_url(html: str) -> str:
    match = re.search(r'id="matrix-poll" hx-get="([^"]+)"', html)
    assert match, "the matrix polls"
    return unescape(match.group(1))


@pytest.fixture
def chair_polling(client, monkeypatch):
    """A panel whose chair has the venue page open: (panel, the matrix's poll address). The
    poll's version renews every few minutes (then the whole matrix): the clock is held."""
    now = time.time()
    monkeypatch.setattr(chair_views, "_clock", lambda: now)
    panel = build_panel()
    signed_in(client, panel.chair)
    page = client.get(reverse("judging:chair", args=[panel.venue.pk])).content.decode()
    return panel, matrix_poll_url(page)


def test_chair_matrix_poll_answers_204_until_something_it_shows_changes(client, chair_polling):
    panel, poll = chair_polling
    assert poll.startswith(reverse("judging:chair_matrix", args=[panel.venue.pk]) + "?v=")

    # Only the chair polls, whatever the versions it sends.
    member = signed_in(Client(), panel.members[0])
    assert member.get(poll, headers={"HX-Request": "true"}).status_code == 404

    # Nothing changed: htmx keeps the table (and its running countdown).
    unchanged = client.get(poll, headers={"HX-Request": "true"})
    assert (unchanged.status_code, unchanged.content) == (204, b"")
    # Without htmx (a plain reload of the fragment) it is always rendered.
    assert client.get(poll).status_code == 200

    # A submitted card changes one row: the poll sends that row alone, to be swapped in place,
    # and a new poller in place of the old one.
    submit_scorecard(judge=panel.members[0], submission=panel.entries[0], points=GOOD)
    changed = client.get(poll, headers={"HX-Request": "true"})
    assert changed.status_code == 200
    assert (changed["HX-Retarget"], changed["HX-Reswap"]) == ("#matrix-poll", "outerHTML")
    html = changed.content.decode()
    assert 'id="matrix"' not in html
    rows = re.findall(r'<tr id="matrix-entry-(\d+)" hx-swap-oob="true"', html)
    assert rows == [str(panel.entries[0].pk)]
    assert html.count('data-state="submitted"') == 1
    assert html.count('data-state="missing"') == 2  # the row's other two judges
    assert matrix_poll_url(html) != poll
    assert client.get(matrix_poll_url(html), headers={"HX-Request": "true"}).status_code == 204

    # The chair returns a card of another entry: only that row comes next.
    card = submit_scorecard(judge=panel.members[1], submission=panel.entries[2], points=GOOD)
    after_submit = client.get(matrix_poll_url(html), headers={"HX-Request": "true"}).content
    return_scorecard(card=card, actor=panel.chair.user, reason="请复核")
    returned = client.get(matrix_poll_url(after_submit.decode()), headers={"HX-Request": "true"})
    html = returned.content.decode()
    assert set(re.findall(r'<tr id="matrix-entry-(\d+)"', html)) <= {
        str(panel.entries[0].pk),
        str(panel.entries[2].pk),
    }
    assert f'data-entry="{panel.entries[2].code}" data-state="returned"' in html

    # The next presenter changes more than cards: the whole matrix, with the row marked.
    client.post(reverse("judging:chair_advance", args=[panel.venue.pk]))
    moved = client.get(matrix_poll_url(html), headers={"HX-Request": "true"})
    assert moved.status_code == 200
    assert "HX-Retarget" not in moved
    html = moved.content.decode()
    assert 'id="matrix"' in html
    assert html.count('<tr id="matrix-entry-') == 3
    assert f'<tr id="matrix-entry-{panel.entries[0].pk}" class="table-warning">' in html

    # A poll whose look-back is missing or out of range gets the whole matrix as well.
    stale = re.sub(r"since=\d+", "since=12", matrix_poll_url(html))
    submit_scorecard(judge=panel.members[0], submission=panel.entries[1], points=GOOD)
    assert 'id="matrix"' in client.get(stale, headers={"HX-Request": "true"}).content.decode()


def test_a_seat_or_judge_edited_in_the_admin_renders_the_matrix_whole(client, chair_polling):
    from tests.factories import JudgeFactory, PanelSeatFactory

    panel, poll = chair_polling
    assert client.get(poll, headers={"HX-Request": "true"}).status_code == 204
    seat = PanelSeatFactory(judge=JudgeFactory(event=panel.event, code="J99"), venue=panel.venue)
    whole = client.get(poll, headers={"HX-Request": "true"}).content.decode()
    assert 'id="matrix"' in whole and "J99" in whole
    poll = matrix_poll_url(whole)
    seat.judge.name = "新名字"
    seat.judge.save()
    renamed = client.get(poll, headers={"HX-Request": "true"}).content.decode()
    assert "新名字" in renamed
    poll = matrix_poll_url(renamed)
    seat.delete()
    assert "J99" not in client.get(poll, headers={"HX-Request": "true"}).content.decode()


def test_chair_returns_card_and_judge_sees_reason(client):
    panel = build_panel()
    card = submit_scorecard(judge=panel.members[0], submission=panel.entries[0], points=GOOD)
    url = reverse("judging:chair_card", args=[panel.venue.pk, card.pk])
    signed_in(client, panel.chair).post(url, {"reason": "B2 与陈述不符"})
    card.refresh_from_db()
    assert card.status == CardStatus.RETURNED
    page = signed_in(client, panel.members[0]).get(
        reverse("judging:scorecard", args=[panel.entries[0].pk])
    )
    assert "B2 与陈述不符" in page.content.decode()


def test_chair_card_of_other_venue_is_404(client):
    panel = build_panel()
    other = build_panel(event=panel.event)
    card = submit_scorecard(judge=other.chair, submission=other.entries[0], points=GOOD)
    url = reverse("judging:chair_card", args=[panel.venue.pk, card.pk])
    assert signed_in(client, panel.chair).get(url).status_code == 404


def test_chair_lock_refused_while_missing_then_override(client):
    panel = build_panel()
    url = reverse("judging:chair_lock", args=[panel.venue.pk])
    signed_in(client, panel.chair)
    response = client.post(url, {}, follow=True)
    assert "还有 9 张评分卡未提交" in response.content.decode()
    client.post(url, {"override_reason": "评委临时离场"})
    assert VenueStatus.objects.get(venue=panel.venue).is_locked


def test_chair_advance_sets_presenting_and_screen_shows_it(client):
    panel = build_panel()
    signed_in(client, panel.chair).post(reverse("judging:chair_advance", args=[panel.venue.pk]))
    screen = client.get(reverse("judging:screen", args=[panel.event.slug, panel.venue.number]))
    html = screen.content.decode()
    assert panel.entries[0].code in html
    assert 'data-remaining="600"' in html or 'data-remaining="599"' in html


def test_control_room_only_for_organizers_shows_progress_and_head(client):
    panel = build_panel()
    submit_scorecard(judge=panel.chair, submission=panel.entries[0], points=GOOD)
    url = reverse("judging:control_room", args=[panel.event.slug])
    assert signed_in(client, panel.chair).get(url).status_code == 404
    client.force_login(panel.organizer)
    html = client.get(url).content.decode()
    assert head_hash(panel.event) in html  # the event head over the venues' chains
    live = client.get(reverse("judging:control_live", args=[panel.event.slug])).content.decode()
    assert '<strong class="js-cards-in">1</strong> / 9' in live


def test_control_room_unlock_needs_reason(client):
    panel = build_panel(judges=1, entries=1)
    submit_scorecard(judge=panel.chair, submission=panel.entries[0], points=GOOD)
    lock_venue(venue=panel.venue, actor=panel.chair.user)
    client.force_login(panel.organizer)
    url = reverse("judging:unlock_venue", args=[panel.event.slug, panel.venue.number])
    client.post(url, {"reason": ""})
    assert VenueStatus.objects.get(venue=panel.venue).is_locked
    client.post(url, {"reason": "评委更正笔误"})
    assert not VenueStatus.objects.get(venue=panel.venue).is_locked


def test_api_venues_lists_running_order(client):
    panel = build_panel()
    recuse(panel.members[0], panel.entries[2])
    data = signed_in(client, panel.members[0]).get(reverse("judging:api_venues")).json()
    assert [e["code"] for e in data[0]["running_order"]] == [e.code for e in panel.entries]
    assert [e["recused"] for e in data[0]["running_order"]] == [False, False, True]


def test_api_sheet_and_other_venue_404(client):
    panel = build_panel()
    signed_in(client, panel.members[0])
    data = client.get(reverse("judging:api_sheet", args=[panel.entries[0].pk])).json()
    assert [i["code"] for i in data["items"]] == ["B1", "B2", "B3", "B4", "B5", "B6"]
    assert data["items"][0]["max_points"] == "15.00"
    other = build_panel(event=panel.event)
    assert client.get(reverse("judging:api_sheet", args=[other.entries[0].pk])).status_code == 404


def test_api_submit_idempotent_by_client_id(client):
    panel = build_panel()
    signed_in(client, panel.members[0])
    body = {
        "submission": panel.entries[0].pk,
        "client_id": str(uuid.uuid4()),
        "points": GOOD,
        "comment": "好",
    }
    url = reverse("judging:api_submit")
    first = client.post(url, body, content_type="application/json")
    again = client.post(url, body, content_type="application/json")
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["total"] == "82.50"
    assert Scorecard.objects.count() == 1


def test_api_submit_validation_and_recusal_errors(client):
    panel = build_panel()
    recuse(panel.members[0], panel.entries[1])
    signed_in(client, panel.members[0])
    url = reverse("judging:api_submit")
    bad = client.post(
        url,
        {
            "submission": panel.entries[0].pk,
            "client_id": str(uuid.uuid4()),
            "points": GOOD | {"B1": "16"},
        },
        content_type="application/json",
    )
    assert bad.status_code == 400
    assert bad.json()["errors"] == ["评分项 B1（选题） 的分数 16 超出范围 0–15"]
    refused = client.post(
        url,
        {"submission": panel.entries[1].pk, "client_id": str(uuid.uuid4()), "points": GOOD},
        content_type="application/json",
    )
    assert refused.status_code == 400
    assert "须回避" in refused.json()["errors"][0]


def test_api_submit_other_venue_404_and_anonymous_refused(client):
    panel = build_panel()
    other = build_panel(event=panel.event)
    url = reverse("judging:api_submit")
    body = {"submission": other.entries[0].pk, "client_id": str(uuid.uuid4()), "points": GOOD}
    assert client.post(url, body, content_type="application/json").status_code == 403
    signed_in(client, panel.chair)
    assert client.post(url, body, content_type="application/json").status_code == 404


def test_api_draft_then_locked_conflict(client):
    panel = build_panel(judges=1, entries=1)
    signed_in(client, panel.chair)
    url = reverse("judging:api_draft", args=[panel.entries[0].pk])
    assert client.post(url, {"points": {"B1": "10"}}, content_type="application/json").json()[
        "points"
    ] == {"B1": "10.00"}
    lock_venue(venue=panel.venue, actor=panel.chair.user, override_reason="测试")
    assert client.post(url, {"points": {}}, content_type="application/json").status_code == 409


def test_api_schema_and_docs_served_locally(client):
    panel = build_panel(judges=1, entries=1)
    signed_in(client, panel.chair)
    schema = client.get("/api/schema/")
    assert schema.status_code == 200
    assert b"/api/judge/scorecards/" in schema.content
    docs = client.get("/api/docs/").content.decode()
    assert "cdn" not in docs.lower()
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/" in docs


def test_venue_outliers_and_lock_needs_review(client):
    from judging.scoring.selectors import venue_outliers

    panel = build_panel(judges=5, entries=1)
    entry = panel.entries[0]
    for judge in panel.judges[:4]:
        submit_scorecard(judge=judge, submission=entry, points=GOOD)
    odd = submit_scorecard(judge=panel.judges[4], submission=entry, points=GOOD | {"B2": "5"})
    found = venue_outliers(panel.venue)
    assert [(o.card, o.item) for o in found] == [(odd, "B2"), (odd, "总分")]
    signed_in(client, panel.chair)
    page = client.get(reverse("judging:chair", args=[panel.venue.pk])).content.decode()
    assert "偏离评审组的评分" in page
    url = reverse("judging:chair_lock", args=[panel.venue.pk])
    client.post(url, {})
    assert not VenueStatus.objects.filter(venue=panel.venue, locked_at__isnull=False).exists()
    client.post(url, {"outliers_reviewed": "on"})
    assert VenueStatus.objects.get(venue=panel.venue).is_locked


def test_venue_order_partial_for_polling(client):
    panel = build_panel()
    VenueStatus.objects.create(venue=panel.venue, now_presenting=panel.entries[2])
    html = (
        signed_in(client, panel.members[0])
        .get(reverse("judging:venue_order", args=[panel.venue.pk]))
        .content.decode()
    )
    assert html.startswith('<ol class="list-unstyled running-order" id="running-order"')
    assert html.count("order-row presenting") == 1


def test_unchanged_matrix_poll_reads_only_the_session_user_and_seat(
    client, django_assert_num_queries
):
    panel = build_panel()
    signed_in(client, panel.chair)
    poll = matrix_poll_url(
        client.get(reverse("judging:chair", args=[panel.venue.pk])).content.decode()
    )
    # The session, the user and the chair's seat: no card, entry or status row.
    with django_assert_num_queries(3):
        response = client.get(poll, headers={"HX-Request": "true"})
    assert response.status_code == 204


def test_matrix_poll_sees_a_return_and_a_lock(client):
    panel = build_panel(judges=2, entries=1)
    for judge in panel.judges:
        submit_scorecard(judge=judge, submission=panel.entries[0], points=GOOD)
    signed_in(client, panel.chair)
    poll = matrix_poll_url(
        client.get(reverse("judging:chair", args=[panel.venue.pk])).content.decode()
    )
    lock_venue(venue=panel.venue, actor=panel.chair.user)
    assert client.get(poll, headers={"HX-Request": "true"}).status_code == 200


def test_unchanged_control_room_poll_reads_no_venue(client, django_assert_num_queries):
    panel = build_panel()
    client.force_login(panel.organizer)
    url = reverse("judging:control_live", args=[panel.event.slug])
    html = client.get(url).content.decode()
    poll = re.search(r'hx-get="([^"]+)"', html).group(1).replace("&amp;", "&")
    assert poll.startswith(url + "?v=")
    # The session, the user, the event and its staff check: no venue, card or ledger row.
    with django_assert_num_queries(4):
        unchanged = client.get(poll, headers={"HX-Request": "true"})
    assert unchanged.status_code == 204
    submit_scorecard(judge=panel.judges[1], submission=panel.entries[0], points=GOOD)
    assert client.get(poll, headers={"HX-Request": "true"}).status_code == 200
