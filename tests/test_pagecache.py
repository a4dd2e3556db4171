"""Anonymous pages from the shared cache: nothing per request, 304s, never stale, signed-in past it."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from judging.awards.publication import publish_results
from judging.awards.services import start_award_run
from judging.schedule.services import move_entry
from judging.scoring.chairs import set_presenting
from tests.judging.panel_setup import build_panel
from tests.judging.scored_event import build_scored_event

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def shared_for_a_minute(settings):
    settings.QCX_PUBLIC_CACHE_SECONDS = 60


@pytest.fixture
def published(django_capture_on_commit_callbacks):
    event = build_scored_event(slug="shared", kinds=(("qc", "QC成果", 2, 6),))
    with django_capture_on_commit_callbacks(execute=True):
        start_award_run(event=event)
    publish_results(event=event, days=5)
    return event


def test_anonymous_page_has_no_csrf_token_no_cookie_and_no_vary_cookie(client):
    panel = build_panel()
    response = client.get(reverse("events:detail", args=[panel.event.slug]))
    html = response.content.decode()
    assert response.status_code == 200
    assert ("csrfmiddlewaretoken" in html, "X-CSRFToken" in html) == (False, False)
    assert "Cookie" not in response.get("Vary", "")
    assert dict(response.cookies) == {}
    assert reverse("switch_language", args=["en"]) + "?next=" in html


def test_repeated_conditional_request_is_answered_304(client):
    panel = build_panel()
    url = reverse("schedule:public", args=[panel.event.slug])
    first = client.get(url)
    etag = first["ETag"]
    again = client.get(url, headers={"If-None-Match": etag})
    assert (again.status_code, again.content, again["ETag"]) == (304, b"", etag)


def test_repeated_page_is_served_without_a_query(client, django_assert_num_queries):
    panel = build_panel()
    url = reverse("judging:screen", args=[panel.event.slug, panel.venue.number])
    first = client.get(url)
    with django_assert_num_queries(0):
        again = client.get(url)
    assert again.content == first.content


def test_results_page_is_not_stale_after_a_publish(client, published):
    url = reverse("awards_public:results", args=[published.slug])
    before = client.get(url)
    ends = (timezone.localdate() + dt.timedelta(days=9)).isoformat()
    assert ends not in before.content.decode()
    publish_results(event=published, days=9)
    after = client.get(url, headers={"If-None-Match": before["ETag"]})
    assert after.status_code == 200
    assert ends in after.content.decode()
    assert after["ETag"] != before["ETag"]


def test_venue_screen_shows_the_new_presenter_at_once(client):
    panel = build_panel()
    url = reverse("judging:screen_live", args=[panel.event.slug, panel.venue.number])
    entry = panel.entries[1]
    assert entry.code not in client.get(url).content.decode()
    set_presenting(venue=panel.venue, actor=panel.chair.user, submission=entry)
    assert entry.code in client.get(url).content.decode()


def test_pages_are_shared_per_language(client):
    panel = build_panel()
    url = reverse("events:detail", args=[panel.event.slug])
    chinese = client.get(url)
    switched = client.get(reverse("switch_language", args=["en"]), {"next": url})
    assert (switched.status_code, switched["Location"]) == (302, url)
    english = client.get(url)
    assert english["ETag"] != chinese["ETag"]
    assert '<html lang="en">' in english.content.decode()


def test_language_switch_refuses_another_site(client):
    response = client.get(
        reverse("switch_language", args=["en"]), {"next": "https://evil.example/"}
    )
    assert response["Location"] == "/"


def test_signed_in_reader_goes_past_the_cache(client):
    panel = build_panel()
    url = reverse("events:detail", args=[panel.event.slug])
    anonymous = client.get(url)
    client.force_login(panel.organizer)
    signed_in = client.get(url)
    html = signed_in.content.decode()
    assert signed_in.status_code == 200
    assert "ETag" not in signed_in
    assert "X-CSRFToken" in html
    assert signed_in.content != anonymous.content


def test_schedule_board_is_not_stale_after_a_move(client):
    panel = build_panel()
    other = build_panel(event=panel.event)
    url = reverse("schedule:public", args=[panel.event.slug])
    entry = panel.entries[0]
    assert client.get(url).status_code == 200
    other.venue.category = panel.venue.category
    other.venue.save()
    move_entry(assignment=entry.assignment, venue=other.venue)
    html = client.get(url).content.decode()
    board = html.split(other.venue.name, 1)[1]
    assert entry.code in board


def test_a_submitted_card_leaves_the_public_pages_cached(client):
    from judging.scoring.services import submit_scorecard
    from tests.judging.panel_setup import GOOD

    panel = build_panel()
    url = reverse("schedule:public", args=[panel.event.slug])
    etag = client.get(url)["ETag"]
    submit_scorecard(judge=panel.judges[1], submission=panel.entries[0], points=GOOD)
    assert client.get(url, headers={"If-None-Match": etag}).status_code == 304
