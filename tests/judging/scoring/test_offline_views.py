"""The service worker's script and the venue manifest that say what a tablet keeps offline."""

import pytest
from django.urls import reverse

from judging.scoring.views.offline import OWNER_HEADER
from tests.judging.panel_setup import build_panel, fast_passwords, recuse  # noqa: F401

pytestmark = pytest.mark.django_db


def test_service_worker_is_served_for_the_judge_scope_and_never_cached(client):
    response = client.get(reverse("judging:service_worker"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert response["Service-Worker-Allowed"] == "/judge/"
    assert response["Cache-Control"] == "no-cache"
    assert b'addEventListener("fetch"' in response.content


def test_manifest_lists_the_venue_pages_sheets_and_assets_but_not_recused_entries(client):
    panel = build_panel(judges=2, entries=3)
    judge = panel.members[0]
    recuse(judge, panel.entries[1])
    client.force_login(judge.user)
    data = client.get(reverse("judging:offline_manifest", args=[panel.venue.pk])).json()
    venue = panel.venue.pk
    kept = [panel.entries[0].pk, panel.entries[2].pk]
    assert data["pages"] == [
        f"/judge/venues/{venue}/",
        f"/judge/venues/{venue}/order/",
        *[
            url
            for pk in kept
            for url in (f"/judge/entries/{pk}/", f"/api/judge/entries/{pk}/sheet/")
        ],
    ]
    assert data["entries"] == 2
    assert data["cache"] == f"qcx-judge-{data['owner']}-{venue}"
    assert str(judge.user.pk) != data["owner"] and len(data["owner"]) == 20
    assert "/static/js/scorecard.js" in data["assets"]
    assert "/static/vendor/htmx/htmx.min.js" in data["assets"]
    assert "/i18n/js/" in data["assets"]


def test_each_user_gets_caches_of_their_own_and_pages_say_whose_they_are(client):
    panel = build_panel(judges=2, entries=1)
    owners = []
    for judge in (panel.chair, panel.members[0]):
        client.force_login(judge.user)
        manifest = client.get(reverse("judging:offline_manifest", args=[panel.venue.pk])).json()
        for url in manifest["pages"][:3]:
            assert client.get(url)[OWNER_HEADER] == manifest["owner"], url
        owners.append(manifest["owner"])
    assert owners[0] != owners[1]


def test_manifest_of_another_venue_is_404_and_needs_a_sign_in(client):
    panel = build_panel(judges=1, entries=1)
    other = build_panel(judges=1, entries=1)
    url = reverse("judging:offline_manifest", args=[other.venue.pk])
    assert client.get(url).status_code == 302
    client.force_login(panel.chair.user)
    assert client.get(url).status_code == 404
