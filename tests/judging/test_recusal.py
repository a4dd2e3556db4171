"""Recusal decided when a card is opened and when it is submitted, whenever the judge was seated.

A judge seated after venues were assigned has no stored recusal: the event's rules on their
affiliation (and parent group) against the entry's enterprise must still stand them aside.
"""

import uuid

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from judging.models import Recusal, Scorecard
from judging.scoring import selectors
from judging.scoring.chairs import lock_venue
from judging.scoring.selectors import missing_cards
from judging.scoring.services import submit_scorecard
from tests.factories import EnterpriseFactory, JudgeFactory, PanelSeatFactory
from tests.judging.panel_setup import GOOD, build_panel, fast_passwords  # noqa: F401

pytestmark = pytest.mark.django_db


def seat_late(panel, **judge_fields):
    """Seat a judge after the venues were assigned (no automatic recusal was stored)."""
    judge = JudgeFactory(event=panel.event, **judge_fields)
    PanelSeatFactory(judge=judge, venue=panel.venue, role="member")
    return judge


def test_judge_seated_late_from_the_entrys_enterprise_is_recused_everywhere(client):
    panel = build_panel(judges=3, entries=2)
    own = panel.entries[0]
    judge = seat_late(panel, affiliation=own.enterprise)
    assert not Recusal.objects.exists()
    client.force_login(judge.user)

    sheet = client.get(reverse("judging:api_sheet", args=[own.pk])).json()
    assert sheet["recused"] is True
    other = client.get(reverse("judging:api_sheet", args=[panel.entries[1].pk])).json()
    assert other["recused"] is False

    refused = client.post(
        reverse("judging:api_submit"),
        {"submission": own.pk, "client_id": str(uuid.uuid4()), "points": GOOD},
        content_type="application/json",
    )
    assert refused.status_code == 400
    assert "须回避" in refused.json()["errors"][0]
    assert not Scorecard.objects.filter(judge=judge).exists()

    page = client.get(reverse("judging:scorecard", args=[own.pk]))
    assert page.context["recused"] is True
    posted = client.post(
        reverse("judging:scorecard", args=[own.pk]),
        {f"item-{code}": value for code, value in GOOD.items()} | {"action": "submit"},
    )
    assert posted.status_code == 200
    assert not Scorecard.objects.filter(judge=judge).exists()
    assert client.get(reverse("judging:report", args=[own.pk])).status_code == 404

    board = {
        row.entry.pk: row.recused for row in selectors.venue_board(venue=panel.venue, judge=judge)
    }
    assert board == {own.pk: True, panel.entries[1].pk: False}


def test_submit_scorecard_refuses_a_late_seated_judge_by_name_of_the_employer():
    panel = build_panel(judges=1, entries=1)
    entry = panel.entries[0]
    judge = seat_late(panel, affiliation_name=f" {entry.enterprise.name} ")
    with pytest.raises(ValidationError) as refused:
        submit_scorecard(judge=judge, submission=entry, points=GOOD)
    assert refused.value.error_list[0].code == "recused"


def test_submit_scorecard_refuses_same_parent_group_when_the_event_recuses_it():
    panel = build_panel(judges=1, entries=1)
    panel.event.recuse_parent_group = True
    panel.event.save()
    entry = panel.entries[0]
    entry.enterprise.parent_group = "中国机械工业集团"
    entry.enterprise.save()
    sister = EnterpriseFactory(parent_group="中国机械工业集团")
    judge = seat_late(panel, affiliation=sister)
    with pytest.raises(ValidationError) as refused:
        submit_scorecard(judge=judge, submission=entry, points=GOOD)
    assert refused.value.error_list[0].code == "recused"
    # Without the event's rule the same judge may score.
    panel.event.recuse_parent_group = False
    panel.event.save()
    judge.refresh_from_db()
    assert submit_scorecard(judge=judge, submission=entry, points=GOOD).status == "submitted"


def test_chair_matrix_and_completeness_treat_the_late_judge_as_recused(client):
    panel = build_panel(judges=2, entries=2)
    own = panel.entries[0]
    judge = seat_late(panel, affiliation=own.enterprise)
    _judges, rows = selectors.completeness(panel.venue)
    states = {(j.pk, row.entry.pk): state for row in rows for j, state, _card in row.cells}
    assert states[(judge.pk, own.pk)] == "recused"
    assert states[(judge.pk, panel.entries[1].pk)] == "missing"
    assert (judge, own) not in missing_cards(panel.venue)

    for member in panel.judges + [judge]:
        for entry in panel.entries:
            if not (member == judge and entry == own):
                submit_scorecard(judge=member, submission=entry, points=GOOD)
    status = lock_venue(venue=panel.venue, actor=panel.chair.user)
    assert status.is_locked and status.lock_override_reason == ""

    progress, _head = selectors.control_room(panel.event)
    assert progress[0].expected == 3 * 2 - 1


def test_submit_checks_venue_seat_and_recusal_in_a_fixed_number_of_queries():
    counts = []
    for judges in (2, 6):
        panel = build_panel(judges=judges, entries=3)
        judge = seat_late(panel, affiliation=EnterpriseFactory())
        for _ in range(judges):
            Recusal.objects.create(
                judge=JudgeFactory(event=panel.event),
                submission=panel.entries[0],
                source="manual",
                reason="旧单位",
            )
        with CaptureQueriesContext(connection) as queries:
            submit_scorecard(judge=judge, submission=panel.entries[0], points=GOOD)
        counts.append(len(queries))
    assert counts[0] == counts[1]
