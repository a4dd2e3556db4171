"""Cards submitted in bulk: the tablet's checks, the same rows and ledger as one by one."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from judging.enums import CardStatus
from judging.models import LedgerEntry, Scorecard
from judging.scoring.bulk import NewCard, submit_cards_in_bulk
from judging.scoring.chairs import lock_venue
from judging.scoring.ledger import verify_ledger
from judging.scoring.services import submit_scorecard
from tests.judging.panel_setup import GOOD, GOOD_TOTAL, build_panel, recuse

pytestmark = pytest.mark.django_db


def _cards(panel, entries):
    return [
        NewCard(judge=judge, submission=entry, sheet=panel.sheet, points=GOOD)
        for entry in entries
        for judge in panel.judges
    ]


def test_bulk_cards_match_single_submits_and_the_ledger_verifies(django_assert_max_num_queries):
    panel = build_panel(judges=3, entries=3)
    submit_scorecard(judge=panel.judges[0], submission=panel.entries[0], points=GOOD)
    rest = [c for c in _cards(panel, panel.entries) if c.submission != panel.entries[0]]
    # A fixed number of reads (the written review's assignments among them) and inserts, then
    # three statements per venue's chain (one here).
    with django_assert_max_num_queries(13 + 3):
        assert submit_cards_in_bulk(event_id=panel.event.pk, cards=rest) == 6
    cards = Scorecard.objects.filter(submission__event=panel.event)
    assert [(c.status, c.total, c.lines.count()) for c in cards] == [
        (CardStatus.SUBMITTED, GOOD_TOTAL, 6)
    ] * 7
    assert LedgerEntry.objects.filter(event=panel.event).count() == 7
    check = verify_ledger(panel.event)
    assert (check.ok, check.cards) == (True, 7)


def test_bulk_refuses_what_a_tablet_refuses_and_stores_nothing():
    panel = build_panel(judges=2, entries=2)
    recuse(panel.judges[1], panel.entries[1])
    bad_points = {**GOOD, "B1": "12.3"}
    cards = _cards(panel, panel.entries) + [
        NewCard(
            judge=panel.judges[0], submission=panel.entries[0], sheet=panel.sheet, points=bad_points
        )
    ]
    with pytest.raises(ValidationError) as caught:
        submit_cards_in_bulk(event_id=panel.event.pk, cards=cards)
    text = " ".join(caught.value.messages)
    assert f"{panel.judges[1].code}→{panel.entries[1].code}: 评委须回避" in text
    assert f"{panel.judges[0].code}→{panel.entries[0].code}: 评分卡已存在" in text
    assert Scorecard.objects.count() == 0


def test_bulk_refuses_a_locked_venue():
    panel = build_panel(judges=1, entries=1)
    lock_venue(venue=panel.venue, actor=panel.chair.user, override_reason="测试")
    card = NewCard(
        judge=panel.judges[0], submission=panel.entries[0], sheet=panel.sheet, points=GOOD
    )
    with pytest.raises(ValidationError, match="分会场已锁定"):
        submit_cards_in_bulk(event_id=panel.event.pk, cards=[card])
    assert Decimal(0) == sum(c.total for c in Scorecard.objects.all())
