"""A nomination read in writing, then defended on site (答辩): two phases, two panels, one award.

The written review (venue 9, experts E1–E3, two readers a dossier) scores the documents sheet
(D1 of 60, D2 of 40); the defence (venue 1, judges J1–J3, every one scores every nomination)
scores the on-site sheet (A1 of 60, A2 of 40). The award run combines the two phases by the
category's phase rule.
"""

from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError

from judging.awards.fairness_services import build_fairness_report
from judging.dossiers import dossier_ids
from judging.enums import Decision, Phase
from judging.models import LedgerEntry, Result, ReviewAssignment, VenueAssignment
from judging.schedule.review_services import assign_reviewers
from judging.schedule.services import assign_venues
from judging.scoring.chairs import lock_venue
from judging.scoring.ledger import verify_ledger
from judging.scoring.selectors import completeness, control_room, missing_cards
from judging.scoring.services import submit_scorecard
from tests.factories import (
    JudgeFactory,
    PanelSeatFactory,
    ScoreItemFactory,
    ScoreSheetFactory,
    VenueFactory,
)
from tests.judging.panel_setup import fast_passwords  # noqa: F401
from tests.judging.written_setup import build_written_review

pytestmark = pytest.mark.django_db

# Each dossier's two readers, the first and the second by code: (D1, D2).
READERS = {
    "GR-001": [("55", "35"), ("50", "34")],  # 90, 84 → mean 87.00
    "GR-002": [("48", "32"), ("46", "30")],  # 80, 76 → mean 78.00
}
# The defence panel: (A1, A2) of J1, J2, J3. Three cards: the highest and lowest are dropped.
DEFENCE = {
    "GR-001": {"J1": ("50", "30"), "J2": ("42", "28"), "J3": ("45", "30")},  # 80, 70, 75 → 75
    "GR-002": {"J1": ("44", "28"), "J2": ("44", "30"), "J3": ("42", "28")},  # 72, 74, 70 → 72
}


@pytest.fixture
def defence():
    review = build_written_review(readers=2)
    category = review.category
    for nomination in review.nominations[2:]:  # two nominations are enough
        nomination.status = "deferred"
        nomination.save(update_fields=["status"])
    review.nominations = review.nominations[:2]
    review.sheet.weight = D("0.6")
    review.sheet.save(update_fields=["weight"])
    sheet = ScoreSheetFactory(
        category=category,
        event=review.event,
        phase=Phase.ONSITE,
        name="现场答辩评分表",
        total=D("100"),
        weight=D("0.4"),
    )
    ScoreItemFactory(sheet=sheet, code="A1", name="陈述", max_points=D("60"), order=0)
    ScoreItemFactory(sheet=sheet, code="A2", name="答辩", max_points=D("40"), order=1)
    onsite = VenueFactory(event=review.event, category=category, number=1, name="答辩会场")
    panel = []
    for index, code in enumerate(("J1", "J2", "J3")):
        judge = JudgeFactory(event=review.event, code=code, name=f"评委{code}")
        PanelSeatFactory(judge=judge, venue=onsite, role="chair" if index == 0 else "member")
        panel.append(judge)
    category.phase_combination = "weights"
    category.threshold = D("80")
    category.save(update_fields=["phase_combination", "threshold"])
    review.onsite, review.panel, review.defence_sheet = onsite, panel, sheet
    return review


def judge_of(review, code):
    return next(j for j in [*review.experts, *review.panel] if j.code == code)


def score(review, code, entry, first, second):
    sheet_codes = ("A1", "A2") if code.startswith("J") else ("D1", "D2")
    return submit_scorecard(
        judge=judge_of(review, code),
        submission=review.nomination(entry),
        points=dict(zip(sheet_codes, (first, second), strict=True)),
    )


def results(run):
    return {
        r.submission.code: r for r in Result.objects.filter(run=run).select_related("submission")
    }


def test_a_nomination_read_in_writing_and_defended_on_site(defence, run_awards):
    review = defence
    assign_venues(event=review.event, seed=5)
    # The defence venue takes the nominations; the written panel still holds the dossiers.
    assert set(
        VenueAssignment.objects.filter(venue=review.onsite).values_list(
            "submission__code", flat=True
        )
    ) == {"GR-001", "GR-002"}
    assert dossier_ids(review.venue) == [n.pk for n in review.nominations]
    assign_reviewers(venue=review.venue, seed=11)
    readers = {
        n.code: sorted(
            ReviewAssignment.objects.filter(submission=n, venue=review.venue).values_list(
                "judge__code", flat=True
            )
        )
        for n in review.nominations
    }
    assert {code: len(codes) for code, codes in readers.items()} == {"GR-001": 2, "GR-002": 2}

    # Phase 1, in writing: the readers score the documents sheet at the written panel.
    for entry, cards in READERS.items():
        for code, (d1, d2) in zip(readers[entry], cards, strict=True):
            card = score(review, code, entry, d1, d2)
            assert card.sheet == review.sheet
    expert = next(e.code for e in review.experts if e.code not in readers["GR-001"])
    # An expert not given the dossier scores it nowhere: not in writing, and not on site.
    with pytest.raises(ValidationError, match="不在 答辩会场 的评审组中"):
        submit_scorecard(
            judge=judge_of(review, expert),
            submission=review.nomination("GR-001"),
            points={"A1": "40", "A2": "30"},
        )
    # The defence panel has not scored yet: the written panel is complete, the venue is not.
    assert missing_cards(review.venue) == []
    assert len(missing_cards(review.onsite)) == 6
    lock_venue(venue=review.venue, actor=review.expert("E1").user)

    # Phase 2, on site: every judge of the defence panel scores the on-site sheet.
    for entry, cards in DEFENCE.items():
        for code, (a1, a2) in cards.items():
            card = score(review, code, entry, a1, a2)
            assert card.sheet == review.defence_sheet
    judges, rows = completeness(review.onsite)
    assert [j.code for j in judges] == ["J1", "J2", "J3"]
    assert {state for row in rows for _judge, state, _card in row.cells} == {"submitted"}
    progress = {
        p.venue.number: (p.entries, p.expected, p.submitted) for p in control_room(review.event)[0]
    }
    assert progress == {1: (2, 6, 6), 9: (2, 4, 4)}
    lock_venue(venue=review.onsite, actor=review.panel[0].user)
    chains = set(LedgerEntry.objects.values_list("chain", flat=True))
    assert chains == {f"venue:{review.venue.pk}", f"venue:{review.onsite.pk}"}
    assert verify_ledger(review.event).ok

    # Weights 0.6 and 0.4: GR-001 87 × 0.6 + 75 × 0.4 = 82.20 (≥ 80, honoured);
    # GR-002 78 × 0.6 + 72 × 0.4 = 75.60 (not).
    run = run_awards(event=review.event)
    found = results(run)
    assert {code: (r.final_score, r.decision) for code, r in found.items()} == {
        "GR-001": (D("82.20"), Decision.BENCHMARK),
        "GR-002": (D("75.60"), Decision.NONE),
    }
    gr001 = found["GR-001"]
    assert gr001.phase_scores == {Phase.DOCUMENTS: "87.00", Phase.ONSITE: "75.00"}
    assert [(c["judge"], c["phase"], c["total"], c["mark"]) for c in gr001.cards] == [
        (readers["GR-001"][0], "documents", "90.00", "counted"),
        (readers["GR-001"][1], "documents", "84.00", "counted"),
        ("J1", "onsite", "80.00", "dropped_high"),
        ("J2", "onsite", "70.00", "dropped_low"),
        ("J3", "onsite", "75.00", "counted"),
    ]
    report = build_fairness_report(run, resamples=20)
    # The report reads the defence at its venue (the on-site panel's cards), the written phase
    # kept as stored in each final score.
    [venue] = report.as_json()["venues"]
    assert (venue["name"], [e[0] for e in venue["effects"]]) == ("答辩会场", ["J1", "J2", "J3"])
    assert venue["scores"] == ["75.60", "82.20"]
    assert [c["multi_phase"] for c in report.as_json()["categories"]] == [True]

    # The sum of the phases, against a line of 160: 87 + 75 = 162 (honoured), 78 + 72 = 150.
    review.category.phase_combination = "sum"
    review.category.threshold = D("160")
    review.category.save(update_fields=["phase_combination", "threshold"])
    again = results(run_awards(event=review.event))
    assert {code: (r.final_score, r.decision) for code, r in again.items()} == {
        "GR-001": (D("162.00"), Decision.BENCHMARK),
        "GR-002": (D("150.00"), Decision.NONE),
    }


def test_an_expert_on_both_panels_scores_in_writing_until_the_written_panel_locks(defence):
    review = defence
    assign_venues(event=review.event, seed=5)
    assign_reviewers(venue=review.venue, seed=11)
    reader = ReviewAssignment.objects.filter(submission=review.nomination("GR-001")).first().judge
    PanelSeatFactory(judge=reader, venue=review.onsite, role="member")
    card = score(review, reader.code, "GR-001", "50", "30")
    assert card.sheet == review.sheet
    lock_venue(venue=review.venue, actor=review.expert("E1").user, override_reason="提前答辩")
    card = submit_scorecard(
        judge=reader, submission=review.nomination("GR-001"), points={"A1": "40", "A2": "30"}
    )
    assert card.sheet == review.defence_sheet


def test_the_tablets_submit_finds_the_panel_where_the_expert_scores_now(defence, client):
    """The JSON submit (the tablet's): an expert seated on both panels of a nomination sends
    the documents sheet to the written panel while it is open, the on-site sheet to the
    defence once it is locked; the cards land on their own venue's chain."""
    import uuid

    from django.urls import reverse

    review = defence
    assign_venues(event=review.event, seed=5)
    assign_reviewers(venue=review.venue, seed=11)
    nomination = review.nomination("GR-001")
    reader = ReviewAssignment.objects.filter(submission=nomination).first().judge
    PanelSeatFactory(judge=reader, venue=review.onsite, role="member")
    client.force_login(reader.user)
    url = reverse("judging:api_submit")

    def send(points):
        body = {"submission": nomination.pk, "client_id": str(uuid.uuid4()), "points": points}
        return client.post(url, body, content_type="application/json")

    # The on-site sheet's items are not the written panel's: refused while it is open.
    assert send({"A1": "40", "A2": "30"}).status_code == 400
    written = send({"D1": "50", "D2": "30"})
    assert written.status_code == 201, written.content
    lock_venue(venue=review.venue, actor=review.expert("E1").user, override_reason="提前答辩")
    defended = send({"A1": "40", "A2": "30"})
    assert defended.status_code == 201, defended.content
    chains = dict(
        LedgerEntry.objects.filter(card__judge=reader).values_list("card__sheet__phase", "chain")
    )
    assert chains == {
        Phase.DOCUMENTS: f"venue:{review.venue.pk}",
        Phase.ONSITE: f"venue:{review.onsite.pk}",
    }
    assert verify_ledger(review.event).ok
