"""The SQL statements of a submit: only what it needs, whatever the size of the ledger."""

import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from judging.models import LedgerEntry, Scorecard
from judging.scoring.ledger import verify_ledger
from judging.scoring.services import submit_scorecard
from tests.judging.panel_setup import GOOD, build_panel, fast_passwords  # noqa: F401

pytestmark = pytest.mark.django_db

# The replay look-up, the sheet and its items, where the entry is (seat and recusal in one
# query), the venue's lock (shared), the card (select, savepoint, insert, release), its lines,
# the card's row, the venue's chain (its row locked for the append), the chain's end and the
# ledger entry; in a test the submit's own transaction is a
# savepoint too (two statements more). The venue's first card also creates its status row.
SERVICE_STATEMENTS = 16


def statements(fn) -> list[str]:
    with CaptureQueriesContext(connection) as ctx:
        fn()
    return [q["sql"] for q in ctx.captured_queries]


def test_a_submit_runs_a_fixed_small_number_of_statements():
    panel = build_panel(judges=3, entries=3)
    counts = []
    for entry in panel.entries:
        for judge in panel.judges:
            sql = statements(
                lambda judge=judge, entry=entry: submit_scorecard(
                    judge=judge, submission=entry, points=GOOD
                )
            )
            counts.append(len(sql))
    assert set(counts[1:]) == {counts[1]}, counts  # the ledger's length costs nothing
    assert counts[1] <= SERVICE_STATEMENTS, "\n".join(sql)
    # No statement locks or reads the event row: venues append side by side.
    assert not any('"events_event"' in s and "FOR UPDATE" in s for s in sql)
    assert LedgerEntry.objects.filter(chain=f"venue:{panel.venue.pk}").count() == 9
    assert verify_ledger(panel.event).ok


def test_venues_have_chains_of_their_own():
    first = build_panel(judges=2, entries=1)
    second = build_panel(judges=2, entries=1, event=first.event)
    for panel in (first, second):
        for judge in panel.judges:
            submit_scorecard(judge=judge, submission=panel.entries[0], points=GOOD)
    chains = dict(
        LedgerEntry.objects.values_list("chain", "seq").order_by("chain", "-seq").distinct()
    )
    assert set(LedgerEntry.objects.values_list("chain", flat=True)) == {
        f"venue:{first.venue.pk}",
        f"venue:{second.venue.pk}",
    }
    assert len(chains) == 2
    assert verify_ledger(first.event).ok


def test_api_submit_statements(client):
    panel = build_panel(judges=2, entries=2)
    judge = panel.judges[1]
    client.force_login(judge.user)
    url = reverse("judging:api_submit")
    for entry in panel.entries:
        body = {"submission": entry.pk, "client_id": str(uuid.uuid4()), "points": GOOD}
        sql = statements(lambda body=body: client.post(url, body, content_type="application/json"))
        print(f"API submit: {len(sql)} statements")
    # The session and the user; the transaction (begin, savepoint, release, commit); the card's
    # advisory lock (PostgreSQL), the replay look-up, the seat, the entry (which says the judge
    # has no card for it yet); then the service's: the venue's lock (shared), the card's insert
    # and its lines, the chain's lock, end and entry. The sheet comes from memory.
    budget = 16 if connection.vendor == "postgresql" else 15
    assert len(sql) <= budget, "\n".join(sql)
    assert not any("FOR UPDATE" in s and '"judging_scorecard"' in s for s in sql)
    assert Scorecard.objects.filter(judge=judge, status="submitted").count() == 2


def test_api_submit_over_a_draft_saved_since_the_entry_was_looked_up(client):
    """The entry's look-up said the judge had no card; a draft saved in between is taken over
    by the submit, not left beside it or answered with an error."""
    from judging.rules import entry_for_judge_or_404
    from judging.scoring.services import save_draft

    panel = build_panel(judges=2, entries=1)
    judge, entry = panel.judges[1], panel.entries[0]
    seat, found = entry_for_judge_or_404(judge.user, entry.pk)
    assert seat.checked_no_card
    save_draft(judge=judge, submission=entry, points={"B1": "10"})
    card = submit_scorecard(
        judge=seat.judge, submission=found, points=GOOD, seat=seat, actor=judge.user
    )
    assert card.status == "submitted" and not card.replayed
    assert Scorecard.objects.filter(judge=judge, submission=entry).count() == 1
    assert {line.item.code: str(line.points) for line in card.lines.all()} == {
        code: f"{float(points):.2f}" for code, points in GOOD.items()
    }
    assert verify_ledger(panel.event).ok
    # With the draft there, the next look-up says so and the submit takes the card locked.
    _seat, _found = entry_for_judge_or_404(panel.judges[0].user, entry.pk)
    assert _seat.checked_no_card
    save_draft(judge=panel.judges[0], submission=entry, points={"B1": "9"})
    seat, found = entry_for_judge_or_404(panel.judges[0].user, entry.pk)
    assert not seat.checked_no_card
