"""The fairness report: multi-phase alternatives by hand, the stored copy, staleness, the page."""

from decimal import Decimal as D

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from judging.awards.fairness import alternative_final
from judging.awards.fairness_services import build_fairness_report, fairness_basis
from judging.awards.services import create_override, withdraw_override
from judging.enums import JobStatus
from judging.models import (
    AwardRun,
    PanelSeat,
    Result,
    RunFairness,
    Scorecard,
    ScoreItem,
    ScoreLine,
    ScoreSheet,
    VenueAssignment,
    VenueStatus,
)
from judging.scoring import totals as scoring
from tests.factories import (
    CategoryFactory,
    EventFactory,
    JudgeFactory,
    SubmissionFactory,
    UserFactory,
    VenueFactory,
)
from tests.judging.scored_event import build_scored_event, record_ledger

pytestmark = pytest.mark.django_db


def phase(score):
    return scoring.PhaseScore(
        score=None if score is None else D(score),
        valid_count=3,
        complete=score is not None,
        trimmed=True,
        cards=(),
    )


@pytest.mark.parametrize(
    ("stored", "main", "method", "weights", "expected"),
    [
        # 0.4 × 80 + 0.6 × 87.00 = 32 + 52.2 = 84.20
        ({"documents": "80.00", "presentation": "95.00"}, "87.00", "weights",
         {"documents": D("0.4"), "presentation": D("0.6")}, D("84.20")),
        # 0.4 × 80 + 0.6 × 83.67 = 32 + 50.202 = 82.202 -> 82.20
        ({"documents": "80.00", "presentation": "90.00"}, "83.67", "weights",
         {"documents": D("0.4"), "presentation": D("0.6")}, D("82.20")),
        # 0.5 × 81.01 + 0.5 × 80.00 = 80.505 -> 80.51 (half up)
        ({"documents": "81.01", "presentation": "70.00"}, "80.00", "weights",
         {"documents": D("0.5"), "presentation": D("0.5")}, D("80.51")),
        # sum: 40.50 + 45.25 = 85.75; the stored presentation score is replaced
        ({"documents": "40.50", "presentation": "50.00"}, "45.25", "sum", {}, D("85.75")),
        # an incomplete other phase leaves no final score
        ({"documents": None, "presentation": "50.00"}, "45.25", "sum", {}, None),
    ],
)  # fmt: skip
def test_alternative_final_combines_main_phase_with_stored_phases(
    stored, main, method, weights, expected
):
    final = alternative_final(stored, "presentation", phase(main), method=method, weights=weights)
    assert final == expected


def two_phase_event():
    """Two entries scored in a documents phase (weight 0.4) and a presentation phase (0.6).

    QC-001: documents 80, 80, 80 -> 80.00; presentation 70, 95, 96 -> 95.00 (trimmed);
            final 0.4 × 80 + 0.6 × 95 = 89.00. Plain mean of the presentation:
            (70 + 95 + 96) / 3 = 87.00 -> 0.4 × 80 + 0.6 × 87 = 84.20.
    QC-002: documents 92, 92, 92 -> 92.00; presentation 84, 85, 86 -> 85.00;
            final 36.80 + 51.00 = 87.80; plain mean 85.00 -> 87.80.
    One benchmark place: QC-001 is chosen; by plain means QC-002 (87.80 > 84.20) would be.
    Judge effects on the presentation (complete design): panel means J1 77, J2 90, J3 91,
    overall 86, so J1 -9, J2 +4, J3 +5. Corrected QC-001: 79, 91, 91 -> 91 -> 86.60;
    QC-002: 93, 81, 81 -> 81 -> 84.60: QC-001 stays ahead, nothing flips.
    """
    category = CategoryFactory(
        event=EventFactory(slug="phases"),
        phase_combination="weights",
        award_rule="quota",
        quota_count=1,
        quota_percent=None,
        quota_scope="category",
    )
    event = category.event
    docs = ScoreSheet.objects.create(
        event=event, category=category, phase="documents", name="资料", weight=D("0.4")
    )
    talk = ScoreSheet.objects.create(
        event=event, category=category, phase="presentation", name="发表", weight=D("0.6")
    )
    items = {
        sheet.pk: ScoreItem.objects.create(sheet=sheet, code=code, name=code, max_points=100)
        for sheet, code in ((docs, "D1"), (talk, "P1"))
    }
    venue = VenueFactory(category=category, number=1, name="第1分会场")
    VenueStatus.objects.create(venue=venue, locked_at=timezone.now())
    judges = [JudgeFactory(event=event, code=f"J{i}") for i in (1, 2, 3)]
    for judge in judges:
        PanelSeat.objects.create(judge=judge, venue=venue)
    table = {
        "QC-001": ([80, 80, 80], [70, 95, 96]),
        "QC-002": ([92, 92, 92], [84, 85, 86]),
    }
    for draw, (code, (documents, presentation)) in enumerate(table.items(), start=1):
        sub = SubmissionFactory(category=category, event=event, code=code)
        VenueAssignment.objects.create(submission=sub, venue=venue, draw_number=draw)
        for sheet, totals in ((docs, documents), (talk, presentation)):
            for judge, total in zip(judges, totals, strict=True):
                card = Scorecard.objects.create(
                    judge=judge, submission=sub, sheet=sheet, status="submitted", total=D(total)
                )
                ScoreLine.objects.create(card=card, item=items[sheet.pk], points=D(total))
    record_ledger(event)
    return event


def test_multi_phase_flips_combine_the_presentation_alternative_by_weights(run_awards):
    run = run_awards(event=two_phase_event())
    finals = {r.submission.code: r.final_score for r in Result.objects.filter(run=run)}
    assert finals == {"QC-001": D("89.00"), "QC-002": D("87.80")}
    (category,) = build_fairness_report(run).categories
    assert category.multi_phase
    assert category.corrected_flips == []
    plain = [
        (f.code, f.score, f.alternative, f.decision, f.alternative_decision)
        for f in category.plain_flips
    ]
    assert plain == [
        ("QC-001", D("89.00"), D("84.20"), "benchmark", "none"),
        ("QC-002", D("87.80"), D("87.80"), "none", "benchmark"),
    ]


def test_award_run_task_stores_the_report(run_awards):
    event = build_scored_event(slug="stored", kinds=(("qc", "QC成果", 2, 6),))
    run = run_awards(event=event)
    stored = RunFairness.objects.get(run=run)
    assert stored.status == JobStatus.DONE
    assert stored.computed_at is not None
    assert stored.basis == fairness_basis(run)
    assert stored.data == build_fairness_report(run).as_json()
    assert [v["name"] for v in stored.data["venues"]] == ["第1分会场", "第2分会场"]


def organizer_client(client, event):
    user = UserFactory()
    event.staff.add(user)
    client.force_login(user)
    return user


def test_page_shows_the_stored_report_without_building_it(run_awards, client):
    small = build_scored_event(slug="page-s", kinds=(("qc", "QC成果", 1, 4),))
    large = build_scored_event(slug="page-l", kinds=(("qc", "QC成果", 3, 12),))
    counts = []
    for event in (small, large):
        run = run_awards(event=event)
        stored = RunFairness.objects.get(run=run)
        stored.data["venues"][0]["name"] = "存储的报告"
        stored.save(update_fields=["data"])
        organizer_client(client, event)
        with CaptureQueriesContext(connection) as ctx:
            page = client.get(reverse("awards:fairness", args=[event.slug]))
        counts.append(len(ctx.captured_queries))
        text = page.content.decode()
        assert page.status_code == 200
        assert "存储的报告" in text  # read from the store, not rebuilt
        assert timezone.localtime(stored.computed_at).strftime("%Y-%m-%d %H:%M:%S") in text
        assert "报告已过期" not in text
        assert 'hx-trigger="every 2s"' not in text
    assert counts[0] == counts[1]
    assert counts[1] <= 12


def test_override_marks_the_report_stale_until_it_is_recomputed(
    run_awards, client, django_capture_on_commit_callbacks
):
    event = build_scored_event(slug="stale", kinds=(("qc", "QC成果", 1, 6),))
    run = run_awards(event=event)
    user = organizer_client(client, event)
    url = reverse("awards:fairness", args=[event.slug])
    (category,) = RunFairness.objects.get(run=run).data["categories"]
    assert category["rule_counts"][0] == ["当前规则", 3, 0, {}]
    result = Result.objects.filter(run=run, decision="none").order_by("rank_in_venue").first()
    # The override's recomputation is queued but has not run yet (no worker got to it)
    create_override(
        event=event, submission=result.submission, decision="benchmark", reason="复核", user=user
    )
    stored = RunFairness.objects.get(run=run)
    assert stored.status == JobStatus.PENDING
    text = client.get(url).content.decode()
    assert "报告已过期" in text
    assert 'hx-trigger="every 2s"' in text
    status = client.get(
        reverse("awards:fairness_status", args=[event.slug]), HTTP_HX_REQUEST="true"
    )
    assert "报告已过期" in status.content.decode()
    assert "HX-Refresh" not in status
    # The queued task runs: the report is current again and knows the committee's decision
    with django_capture_on_commit_callbacks(execute=True):
        withdraw_override(override=event.overrides.get(), user=user)
        create_override(
            event=event,
            submission=result.submission,
            decision="benchmark",
            reason="复核",
            user=user,
        )
    stored.refresh_from_db()
    assert (stored.status, stored.basis) == (JobStatus.DONE, fairness_basis(run))
    text = client.get(url).content.decode()
    assert "报告已过期" not in text
    status = client.get(
        reverse("awards:fairness_status", args=[event.slug]), HTTP_HX_REQUEST="true"
    )
    assert status["HX-Refresh"] == "true"
    # The rules choose as the run did; the committee's benchmark is the one difference
    (category,) = stored.data["categories"]
    assert category["rule_counts"][0][0] == "当前规则"
    assert category["rule_counts"][0][2] == 1


def test_recompute_button_stores_a_fresh_report(
    run_awards, client, django_capture_on_commit_callbacks
):
    event = build_scored_event(slug="button", kinds=(("qc", "QC成果", 1, 4),))
    run = run_awards(event=event)
    organizer_client(client, event)
    RunFairness.objects.filter(run=run).update(data={}, computed_at=None, basis="")
    page = client.get(reverse("awards:fairness", args=[event.slug])).content.decode()
    assert "尚无公平性报告" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("awards:fairness_compute", args=[event.slug]))
    assert response.status_code == 302
    stored = RunFairness.objects.get(run=run)
    assert stored.status == JobStatus.DONE
    assert stored.basis == fairness_basis(run)
    assert len(stored.data["venues"]) == 1


def test_runs_before_stored_reports_offer_the_computation(client):
    event = build_scored_event(slug="old", kinds=(("qc", "QC成果", 1, 4),))
    run = AwardRun.objects.create(event=event, status="done")
    organizer_client(client, event)
    page = client.get(reverse("awards:fairness", args=[event.slug]))
    assert page.status_code == 200
    assert "尚无公平性报告" in page.content.decode()
    assert not RunFairness.objects.filter(run=run).exists()


def test_changed_rules_mark_the_report_stale(run_awards, client):
    event = build_scored_event(slug="rules", kinds=(("qc", "QC成果", 1, 4),))
    run_awards(event=event)
    organizer_client(client, event)
    url = reverse("awards:fairness", args=[event.slug])
    assert "报告已过期" not in client.get(url).content.decode()
    event.categories.update(threshold=D("85.00"))
    text = client.get(url).content.decode()
    assert "报告已过期" in text
    assert "请重新计算" in text  # nothing is queued: the organizer is asked to recompute


def _plain_row(code, totals, decision, category):
    from judging.awards.fairness import StoredResult, _cards, _Row

    judges = ("J1", "J2", "J3")
    final = D(sorted(totals)[1])
    stored = StoredResult(
        submission_id=len(code), venue_id=1, final_score=final,
        phase_scores={"presentation": f"{final:.2f}"}, valid_cards=3, rank_in_venue=None,
        decision=decision,
        cards=[
            {"judge": j, "phase": "presentation", "total": f"{t:.2f}", "mark": "counted"}
            for j, t in zip(judges, totals, strict=True)
        ],
        tiebreak_value=None, spread=D("2"), draw_number=1, code=code, category_id=category.pk,
        topic_type="", venue_name="第一分会场", venue_number=1,
    )  # fmt: skip
    return _Row(
        result=stored, code=code, category=category, venue_name="第一分会场", venue_order=1,
        current=decision, overridden=False, main_phase="presentation",
        main_cards=_cards(stored, "presentation"), weights={"presentation": D("1")},
    )  # fmt: skip


def test_the_report_is_a_pure_function_of_plain_rows():
    """No query: the selector loads plain rows, the statistics only compute."""
    from judging.awards import decide
    from judging.awards.fairness import CategoryInput, FairnessInput, fairness_report

    category = CategoryInput(
        pk=1, name="QC成果", phase_combination="sum", trim_min_cards=3, min_valid_cards=3,
        threshold=D("85"), quota_scope="venue",
        rules=decide.Rules(rule=decide.THRESHOLD, threshold=D("85"), scope="venue"),
    )  # fmt: skip
    rows = [
        _plain_row("A", (90, 91, 92), "benchmark", category),
        _plain_row("B", (80, 81, 82), "none", category),
        _plain_row("C", (85, 86, 87), "benchmark", category),
    ]
    data = FairnessInput(run=None, rows=rows, judge_venue={}, mad_multiple=D("3"))
    with CaptureQueriesContext(connection) as queries:
        report = fairness_report(data, resamples=20)
    assert len(queries) == 0
    (venue,) = report.venues
    assert (venue.name, venue.scores) == ("第一分会场", [D("81"), D("86"), D("91")])
    (result,) = report.categories
    assert result.rule_counts == [("当前规则", 2, 0, {})]
    assert (result.corrected_flips, result.plain_flips) == ([], [])
    assert report.severity == []
