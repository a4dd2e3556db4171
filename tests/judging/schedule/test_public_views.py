"""The public schedule's board is rendered once and shared by its readers for a few seconds."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.judging.panel_setup import build_panel

pytestmark = pytest.mark.django_db


def test_public_schedule_board_is_shared_for_a_few_seconds(client, settings):
    settings.QCX_PUBLIC_CACHE_SECONDS = 15
    panel = build_panel(judges=1, entries=5)
    url = reverse("schedule:public", args=[panel.event.slug])
    with CaptureQueriesContext(connection) as first:
        page = client.get(url).content.decode()
    with CaptureQueriesContext(connection) as second:
        again = client.get(url).content.decode()
    board = page.split('id="schedule-board"')[1]
    assert again.split('id="schedule-board"')[1] == board
    assert all(entry.group_name in again for entry in panel.entries)
    assert len(second) < len(first)  # the board's queries are not run again

    searched = client.get(url, {"q": panel.entries[0].group_name}).content.decode()
    assert panel.entries[0].group_name in searched
    assert panel.entries[1].group_name not in searched
