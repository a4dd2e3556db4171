"""Concurrent submits of one card on every supported database (SQLite has no row locks)."""

import threading
import uuid

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connections, transaction

from judging.enums import LedgerAction
from judging.models import LedgerEntry, Scorecard
from judging.scoring.chairs import return_scorecard
from judging.scoring.services import save_draft, submit_scorecard
from tests.judging.panel_setup import GOOD, build_panel, fast_passwords  # noqa: F401

pytestmark = pytest.mark.django_db(transaction=True)


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


@pytest.mark.parametrize("draft_first", [False, True])
def test_submit_scorecard_retry_and_resend_at_once_record_one_submit(draft_first):
    panel = build_panel(judges=1, entries=1)
    judge, entry = panel.chair, panel.entries[0]
    if draft_first:
        save_draft(judge=judge, submission=entry, points={"B1": "10"})
    client_id = uuid.uuid4()
    for _round in range(3):
        results = run_at_once(
            [
                lambda: submit_scorecard(
                    judge=judge, submission=entry, points=GOOD, client_id=client_id
                )
            ]
            * 2
        )
        assert [type(r).__name__ for r in results] == ["Scorecard"] * 2, results
    card = Scorecard.objects.get()
    assert {r.pk for r in results} == {card.pk}
    assert LedgerEntry.objects.filter(card=card, action=LedgerAction.SUBMIT).count() == 1


def test_ledger_refuses_a_second_submit_entry_for_one_card_submission():
    panel = build_panel(judges=1, entries=1)
    client_id = uuid.uuid4()
    card = submit_scorecard(
        judge=panel.chair, submission=panel.entries[0], points=GOOD, client_id=client_id
    )
    first = LedgerEntry.objects.get(card=card, action=LedgerAction.SUBMIT)
    assert first.request_id == client_id
    with pytest.raises(IntegrityError), transaction.atomic():
        LedgerEntry.objects.create(
            event=panel.event,
            seq=first.seq + 1,
            action=LedgerAction.SUBMIT,
            card=card,
            payload="{}",
            prev_hash=first.hash,
            hash="f" * 64,
            request_id=client_id,
        )


def test_stale_resend_after_a_return_is_refused_with_a_message():
    panel = build_panel(judges=2, entries=1)
    judge, entry = panel.members[0], panel.entries[0]
    client_id = uuid.uuid4()
    card = submit_scorecard(judge=judge, submission=entry, points=GOOD, client_id=client_id)
    return_scorecard(card=card, actor=panel.chair.user, reason="B1 有误")
    with pytest.raises(ValidationError) as refused:
        submit_scorecard(judge=judge, submission=entry, points=GOOD, client_id=client_id)
    assert refused.value.error_list[0].code == "client_id"
    assert LedgerEntry.objects.filter(card=card, action=LedgerAction.SUBMIT).count() == 1
