"""The tablet offers 成果报告 only for entries whose report was uploaded."""

import pytest
from django.urls import reverse

from tests.judging.panel_setup import build_panel
from tests.world import attach

pytestmark = pytest.mark.django_db


def test_report_button_only_for_entries_with_a_report(client):
    panel = build_panel(judges=1, entries=2)
    with_report, without = panel.entries
    attach(with_report)
    client.force_login(panel.chair.user)
    text = client.get(reverse("judging:venue", args=[panel.venue.pk])).content.decode()
    assert reverse("judging:report", args=[with_report.pk]) in text
    assert reverse("judging:report", args=[without.pk]) not in text
    assert text.count("未上传成果报告") == 1

    card = client.get(reverse("judging:scorecard", args=[without.pk])).content.decode()
    assert reverse("judging:report", args=[without.pk]) not in card
    card = client.get(reverse("judging:scorecard", args=[with_report.pk])).content.decode()
    assert reverse("judging:report", args=[with_report.pk]) in card
