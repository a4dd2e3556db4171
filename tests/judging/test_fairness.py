"""The fairness report: multi-phase alternatives by hand."""

from decimal import Decimal as D

import pytest
from django.utils import timezone

from judging import scoring
from judging.fairness import alternative_final, build_fairness_report
from judging.models import (
    PanelSeat,
    Result,
    Scorecard,
    ScoreSheet,
    VenueAssignment,
    VenueStatus,
)
from judging.services_awards import start_award_run
from tests.factories import (
    CategoryFactory,
    EventFactory,
    JudgeFactory,
    SubmissionFactory,
    VenueFactory,
)

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


@pytest.fixture
def run_awards(django_capture_on_commit_callbacks):
    def run(**kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            award_run = start_award_run(**kwargs)
        award_run.refresh_from_db()
        return award_run

    return run


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
                Scorecard.objects.create(
                    judge=judge, submission=sub, sheet=sheet, status="submitted", total=D(total)
                )
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
