"""Concurrent submits on PostgreSQL: row locks, the per-event ledger lock, exactly-once storage."""

import threading
import uuid

import pytest
from django.db import connection, connections

from judging.models import LedgerEntry, Scorecard
from judging.scoring.ledger import verify_ledger
from judging.scoring.services import submit_scorecard
from tests.conftest import require_service
from tests.judging.panel_setup import GOOD, build_panel, fast_passwords  # noqa: F401

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _postgres_database():
    require_service(
        "PostgreSQL as the test database",
        connection.vendor == "postgresql",
        "run the tests with DATABASE_URL=postgres://postgres@127.0.0.1:5432/qcx",
    )


def run_at_once(calls):
    """Run the calls in threads released together; return their results or exceptions."""
    barrier = threading.Barrier(len(calls))
    results = [None] * len(calls)

    def run(index, call):
        barrier.wait()
        try:
            results[index] = call()
        except Exception as exc:  # collected and asserted on by the test
            results[index] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def test_submit_scorecard_same_client_id_at_once_stored_once():
    panel = build_panel(judges=1, entries=1)
    client_id = uuid.uuid4()
    results = run_at_once(
        [
            lambda: submit_scorecard(
                judge=panel.chair, submission=panel.entries[0], points=GOOD, client_id=client_id
            )
        ]
        * 6
    )
    assert {card.pk for card in results} == {Scorecard.objects.get().pk}
    assert sorted(card.replayed for card in results) == [False] + [True] * 5
    assert LedgerEntry.objects.count() == 1


def test_submit_scorecard_many_judges_at_once_keep_one_chain():
    panel = build_panel(judges=4, entries=3)
    calls = [
        (lambda j=judge, e=entry: submit_scorecard(judge=j, submission=e, points=GOOD))
        for judge in panel.judges
        for entry in panel.entries
    ]
    results = run_at_once(calls)
    assert [type(r).__name__ for r in results] == ["Scorecard"] * 12
    assert list(LedgerEntry.objects.order_by("seq").values_list("seq", flat=True)) == list(
        range(1, 13)
    )
    assert verify_ledger(panel.event).ok


def test_a_tablets_resends_at_once_wait_for_the_first_and_are_answered_as_replays():
    """The JSON submit sent six times at once: one stores the card, the other five wait on the
    card's advisory lock and answer 200 with it, and no resend runs a submit of its own."""
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    panel = build_panel(judges=2, entries=1)
    judge, entry = panel.members[0], panel.entries[0]
    body = {"submission": entry.pk, "client_id": str(uuid.uuid4()), "points": GOOD}
    url = reverse("judging:api_submit")

    def send():
        client = Client()
        client.force_login(judge.user)
        with CaptureQueriesContext(connections["default"]) as queries:
            response = client.post(url, body, content_type="application/json")
        inserts = [q["sql"] for q in queries if q["sql"].startswith('INSERT INTO "judging_')]
        return response.status_code, response.json()["id"], len(inserts)

    results = run_at_once([send] * 6)
    card = Scorecard.objects.get()
    assert sorted(status for status, _id, _n in results) == [200] * 5 + [201]
    assert {card_id for _status, card_id, _n in results} == {card.pk}
    # Only the first wrote: the card, its lines, the ledger entry (and the venue's status row).
    assert sorted(n for _status, _id, n in results)[:5] == [0] * 5
    assert LedgerEntry.objects.count() == 1
    assert verify_ledger(panel.event).ok
