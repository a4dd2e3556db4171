"""The award run verifies the ledger and every card's total before it decides.

Finding 7 of the trust review: one item of one card lowered directly in the database changed
that card's real total, yet the award run returned the same digest.
"""

import io

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from judging.awards.publication import publish_results
from judging.awards.services import execute_award_run
from judging.enums import RunStatus
from judging.models import AnchorKind, AwardRun, LedgerAnchor, Scorecard, ScoreLine
from judging.scoring.anchors import parse_anchor_text
from judging.scoring.ledger import append_card_entry, verify_ledger
from tests.judging.scored_event import build_scored_event

pytestmark = pytest.mark.django_db


def lower_one_item(event) -> Scorecard:
    card = Scorecard.objects.filter(submission__event=event).order_by("pk")[7]
    line = ScoreLine.objects.filter(card=card).order_by("pk").first()
    ScoreLine.objects.filter(pk=line.pk).update(points=line.points - 1)
    return Scorecard.objects.select_related("judge", "submission").get(pk=card.pk)


def test_scored_event_ledger_verifies():
    event = build_scored_event(slug="v0", kinds=(("qc", "QC成果", 2, 4),))
    check = verify_ledger(event)
    assert check.ok, check.problem
    assert check.cards == 2 * 4 * 5


def test_run_refuses_a_card_whose_line_was_lowered_in_the_database(run_awards):
    event = build_scored_event(slug="v1", kinds=(("qc", "QC成果", 2, 4),))
    assert run_awards(event=event).status == RunStatus.DONE
    card = lower_one_item(event)
    run = run_awards(event=event)
    assert run.status == RunStatus.FAILED
    assert run.digest == ""
    assert run.message.startswith("评分账本校验未通过，评选计算已停止：")
    assert f"评分卡 {card.judge.code}→{card.submission.code}" in run.message
    assert not run.results.exists()


@pytest.mark.django_db(transaction=True)
def test_compute_awards_command_names_the_card():
    event = build_scored_event(slug="v2", kinds=(("qc", "QC成果", 1, 4),))
    card = lower_one_item(event)
    with pytest.raises(CommandError) as raised:
        call_command("compute_awards", event.slug, stdout=io.StringIO())
    assert f"{card.judge.code}→{card.submission.code}" in str(raised.value)


def test_run_refuses_a_total_that_is_not_the_sum_of_its_lines(run_awards):
    """Card and ledger agree (the wrong total was recorded), the lines do not add up to it."""
    event = build_scored_event(slug="v3", kinds=(("qc", "QC成果", 1, 4),))
    card = Scorecard.objects.filter(submission__event=event).select_related(
        "judge", "submission__event"
    )[3]
    card.total -= 1
    card.save(update_fields=["total"])
    append_card_entry(card=card, action="confirm")
    run = run_awards(event=event)
    assert run.status == RunStatus.FAILED
    assert f"评分卡 {card.judge.code}→{card.submission.code}：总分" in run.message
    assert "与评分明细之和" in run.message


def test_verification_keeps_the_query_count_constant():
    small = build_scored_event(slug="vs", kinds=(("qc", "QC成果", 1, 4),))
    large = build_scored_event(slug="vl", kinds=(("qc", "QC成果", 3, 20),))
    counts = []
    for event in (small, large):
        run = AwardRun.objects.create(event=event)
        with CaptureQueriesContext(connection) as ctx:
            execute_award_run(run_id=run.pk)
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1]


def test_published_page_shows_the_ledger_head_and_the_digest(run_awards, client):
    event = build_scored_event(slug="v4", kinds=(("qc", "QC成果", 1, 4),))
    event.is_public = True
    event.save()
    run = run_awards(event=event)
    publish_results(event=event)
    anchor = LedgerAnchor.objects.get(kind=AnchorKind.PUBLICATION)
    assert anchor.run_id == run.pk
    page = client.get(reverse("awards_public:results", args=[event.slug])).content.decode()
    assert run.digest in page
    assert anchor.head in page and 'id="ledger-anchor"' in page
    text = client.get(reverse("awards_public:ledger_anchor", args=[event.slug])).content.decode()
    assert run.digest in text
    published = parse_anchor_text(text)
    assert published.head == anchor.head
    assert verify_ledger(event, anchors=[published]).ok


def test_a_run_leaves_the_cycle_collector_as_it_found_it(run_awards, monkeypatch):
    """The run holds the collector back while it holds the whole event, and only then."""
    import gc

    from judging.awards import services

    event = build_scored_event(slug="v5", kinds=(("qc", "QC成果", 1, 4),))
    seen = []
    original = services.verify_scores

    def watching(event):
        seen.append(gc.isenabled())
        return original(event)

    monkeypatch.setattr(services, "verify_scores", watching)
    assert run_awards(event=event).status == RunStatus.DONE
    assert gc.isenabled()
    lower_one_item(event)  # the next run fails verification
    assert run_awards(event=event).status == RunStatus.FAILED
    assert gc.isenabled()
    gc.disable()
    try:
        run_awards(event=event)
        assert not gc.isenabled()  # nor does a run switch it on
    finally:
        gc.enable()
    assert seen == [False, False, False]
