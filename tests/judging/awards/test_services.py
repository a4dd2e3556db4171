"""Award runs on the database: results, marks, digest, refusals, overrides, bounded queries."""

import io
import re
from decimal import Decimal as D

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from judging.awards.selectors import active_overrides
from judging.awards.services import (
    AwardError,
    create_override,
    propose_showcase,
    start_award_run,
)
from judging.enums import Decision, RunStatus
from judging.models import AwardRun, Recusal, Result, Scorecard, ScoreLine, VenueStatus
from judging.scoring.ledger import append_card_entry, append_entry
from tests.factories import (
    CategoryFactory,
    EventFactory,
    JudgeFactory,
    PanelSeatFactory,
    SubmissionFactory,
    UserFactory,
    VenueFactory,
    problem_solving_sheet,
)
from tests.judging.scored_event import build_scored_event, record_ledger

pytestmark = pytest.mark.django_db


def test_run_summary_in_the_starters_language_and_digest_the_same_in_any(
    run_awards, english_catalogue, django_capture_on_commit_callbacks
):
    """The summary follows the organizer's language; the results and digest do not."""
    event = build_scored_event(slug="q-en", kinds=(("qc", "QC成果", 2, 10),))
    chinese = run_awards(event=event)
    with django_capture_on_commit_callbacks() as queued:
        with translation.override("en"):
            english = start_award_run(event=event)
    for callback in queued:  # the worker runs without the organizer's language
        callback()
    english.refresh_from_db()
    assert english.message == "QC成果: 20 entries, 10 chosen, 0 without enough scores"
    assert english.digest == chinese.digest
    reasons = dict(Result.objects.filter(run=english).values_list("submission_id", "reason"))
    assert reasons == dict(
        Result.objects.filter(run=chinese).values_list("submission_id", "reason")
    )


def test_run_decides_per_venue_quota_and_stores_digest(run_awards):
    event = build_scored_event(slug="q1", kinds=(("qc", "QC成果", 2, 10),))
    run = run_awards(event=event)
    run.refresh_from_db()
    assert run.status == RunStatus.DONE
    assert re.fullmatch(r"[0-9a-f]{64}", run.digest)
    results = Result.objects.filter(run=run)
    assert results.count() == 20
    assert results.filter(decision=Decision.BENCHMARK).count() == 10
    assert run.message == "QC成果：20项，入选10项，评分不足0项"
    first = results.get(rank_in_venue=1, venue__number=1)
    assert first.reason.startswith("第1分会场第1名，得分")
    assert first.reason.endswith("位于前50%（5名）内")
    marks = sorted(c["mark"] for c in first.cards)
    assert marks == ["counted", "counted", "counted", "dropped_high", "dropped_low"]


def test_run_twice_gives_the_same_digest(run_awards):
    event = build_scored_event(slug="q2", recusal_every=7)
    first = run_awards(event=event)
    second = run_awards(event=event)
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.pk != second.pk
    assert first.digest == second.digest


def test_changed_card_changes_the_digest(run_awards):
    event = build_scored_event(slug="q3")
    first = run_awards(event=event)
    card = Scorecard.objects.filter(submission__event=event).first()
    # A legitimate change: the card and its line change, and the ledger records it.
    Scorecard.objects.filter(pk=card.pk).update(total=card.total - D("0.5"))
    line = ScoreLine.objects.filter(card=card).order_by("pk").first()
    ScoreLine.objects.filter(pk=line.pk).update(points=line.points - D("0.5"))
    card = Scorecard.objects.select_related("judge", "submission__event").get(pk=card.pk)
    append_card_entry(card=card, action="confirm")
    second = run_awards(event=event)
    first.refresh_from_db()
    second.refresh_from_db()
    assert second.status == RunStatus.DONE
    assert first.digest != second.digest


def test_run_refuses_while_a_venue_is_unlocked(run_awards):
    event = build_scored_event(slug="q4", kinds=(("qc", "QC成果", 2, 4),))
    VenueStatus.objects.filter(venue__number=2, venue__event=event).update(locked_at=None)
    venue = event.venues.get(number=2)
    append_entry(event=event, action="unlock", venue=venue, data={"venue": 2, "reason": "复核"})
    with pytest.raises(AwardError, match="以下分会场尚未锁定，不能计算评选结果：第2分会场"):
        run_awards(event=event)
    with pytest.raises(AwardError, match="强制计算必须填写原因"):
        run_awards(event=event, force=True, reason=" ")
    run = run_awards(event=event, force=True, reason="第2分会场纸质评分已复核")
    run.refresh_from_db()
    assert (run.status, run.forced_reason) == (RunStatus.DONE, "第2分会场纸质评分已复核")


def hand_scored_event():
    """One venue, four judges, three entries with known totals; J4 recused from the third."""
    category = CategoryFactory(
        event=EventFactory(slug="hand"), quota_percent=D("50"), quota_scope="venue"
    )
    sheet = problem_solving_sheet(category)
    venue = VenueFactory(category=category, number=1, name="第1分会场")
    VenueStatus.objects.create(venue=venue, locked_at=timezone.now())
    judges = [JudgeFactory(event=category.event, code=f"J{i}") for i in range(1, 5)]
    for judge in judges:
        PanelSeatFactory(judge=judge, venue=venue)
    items = list(sheet.items.order_by("order"))
    table = {
        "QC-001": [80, 82, 86, 90],  # (82 + 86) / 2 = 84.00
        "QC-002": [87, 87.01, 95, 70],  # (87 + 87.01) / 2 = 87.005 -> 87.01
        "QC-003": [88, 88, 88, None],  # J4 recused: 3 valid, 88.00
    }
    from judging.models import VenueAssignment

    for draw, (code, totals) in enumerate(table.items(), start=1):
        sub = SubmissionFactory(category=category, event=category.event, code=code)
        VenueAssignment.objects.create(submission=sub, venue=venue, draw_number=draw)
        for judge, total in zip(judges, totals, strict=True):
            if total is None:
                Recusal.objects.create(judge=judge, submission=sub, source="enterprise")
                continue
            card = Scorecard.objects.create(
                judge=judge, submission=sub, sheet=sheet, status="submitted", total=D(str(total))
            )
            ScoreLine.objects.create(card=card, item=items[0], points=D(str(total)) - 25)
            ScoreLine.objects.create(card=card, item=items[1], points=D("25"))
    record_ledger(category.event)
    return category.event


def test_results_carry_hand_computed_scores_and_marks(run_awards):
    event = hand_scored_event()
    run = run_awards(event=event)
    results = {r.submission.code: r for r in Result.objects.filter(run=run)}
    assert {c: r.final_score for c, r in results.items()} == {
        "QC-001": D("84.00"),
        "QC-002": D("87.01"),
        "QC-003": D("88.00"),
    }
    assert [(c["judge"], c["mark"]) for c in results["QC-003"].cards] == [
        ("J1", "dropped_low"),
        ("J2", "counted"),
        ("J3", "dropped_high"),
        ("J4", "recused"),
    ]
    # 50% of 3 rounds half-up to 2 places
    assert results["QC-003"].reason == "第1分会场第1名，得分88.00，位于前50%（2名）内"
    assert results["QC-001"].decision == Decision.NONE
    assert results["QC-002"].tiebreak_value == D("25")


def test_unsubmitted_cards_do_not_count(run_awards):
    event = hand_scored_event()
    Scorecard.objects.filter(submission__code="QC-001", judge__code="J4").update(status="draft")
    record_ledger(event)
    run = run_awards(event=event)
    result = Result.objects.get(run=run, submission__code="QC-001")
    # 80, 82, 86: 82.00
    assert result.final_score == D("82.00")
    assert result.cards[-1] == {
        "judge": "J4",
        "phase": "presentation",
        "total": None,
        "mark": "unsubmitted",
    }


def test_fixed_count_per_category_breaks_the_boundary_tie(run_awards):
    event = hand_scored_event()
    event.categories.update(quota_count=1, quota_scope="category", quota_percent=None)
    Scorecard.objects.filter(submission__code="QC-003").update(total=D("87.01"))
    lines = ScoreLine.objects.filter(card__submission__code="QC-003")
    lines.filter(item__order=1).update(points=D("26"))
    lines.filter(item__order=0).update(points=D("61.01"))
    record_ledger(event)
    run = run_awards(event=event)
    chosen = Result.objects.filter(run=run, decision=Decision.BENCHMARK)
    assert [r.submission.code for r in chosen] == ["QC-003"]
    assert "名额边界同分" in chosen[0].reason


def test_calibration_entries_are_excluded(run_awards):
    event = hand_scored_event()
    event.submissions.filter(code="QC-003").update(is_calibration=True)
    run = run_awards(event=event)
    result = Result.objects.get(run=run, submission__code="QC-003")
    assert (result.decision, result.rank_in_venue) == (Decision.EXCLUDED, None)


def test_query_count_does_not_grow_with_entries():
    small = build_scored_event(slug="small", kinds=(("qc", "QC成果", 1, 4),))
    large = build_scored_event(
        slug="large", kinds=(("qc", "QC成果", 3, 30), ("team", "质量信得过班组", 1, 6))
    )
    counts = []
    for event in (small, large):
        run = AwardRun.objects.create(event=event)
        from judging.awards.services import execute_award_run

        with CaptureQueriesContext(connection) as ctx:
            execute_award_run(run_id=run.pk)
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1]
    assert counts[1] <= 30  # 5 of them verify the ledger and the cards' totals


def test_override_stands_beside_the_computed_result(run_awards):
    event = hand_scored_event()
    run = run_awards(event=event)
    user = UserFactory()
    sub = event.submissions.get(code="QC-001")
    with pytest.raises(AwardError, match="必须填写理由"):
        create_override(event=event, submission=sub, decision="benchmark", reason="", user=user)
    create_override(
        event=event, submission=sub, decision="benchmark", reason="异议成立，复核后入选", user=user
    )
    assert Result.objects.get(run=run, submission=sub).decision == Decision.NONE
    assert active_overrides(event)[sub.pk].decision == "benchmark"
    create_override(event=event, submission=sub, decision="none", reason="撤回前次审定", user=user)
    assert active_overrides(event)[sub.pk].decision == "none"
    assert event.overrides.count() == 2


def test_showcase_proposal_takes_top_results_with_enterprise_diversity(run_awards):
    event = build_scored_event(slug="show", kinds=(("qc", "QC成果", 2, 10),))
    event.categories.update(showcase_count=3)
    run = run_awards(event=event)
    rows = propose_showcase(event=event, run=run)
    assert len(rows) == 3
    assert len({r.submission.enterprise_id for r in rows}) == 3


@pytest.mark.django_db(transaction=True)
def test_compute_awards_command_prints_the_same_digest_twice():
    event = build_scored_event(slug="cmd")
    outputs = []
    for _ in range(2):
        out = io.StringIO()
        call_command("compute_awards", event.slug, "--wait", "5", stdout=out)
        outputs.append(out.getvalue())
    digests = [re.search(r"digest ([0-9a-f]{64})", o).group(1) for o in outputs]
    assert digests[0] == digests[1]
    assert "QC成果：20项，入选10项" in outputs[0]


@pytest.mark.django_db(transaction=True)
def test_compute_awards_command_refuses_unlocked_venues():
    event = build_scored_event(slug="cmd2", lock=False)
    with pytest.raises(CommandError, match="尚未锁定"):
        call_command("compute_awards", event.slug, stdout=io.StringIO())
