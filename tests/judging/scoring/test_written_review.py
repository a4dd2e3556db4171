"""Scoring a written review (书面评审) end to end: experts score only the dossiers given to
them, on the documents sheet; the lock, the chair's matrix, paper sheets and the award run
expect exactly those cards."""

import re
import uuid
from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from openpyxl import Workbook

from judging.enums import Decision, Phase, RecusalSource
from judging.models import Recusal, Result, Scorecard
from judging.schedule.review_services import assign_reviewers
from judging.schedule.services import assign_venues
from judging.scoring.chairs import advance_presenting, lock_venue
from judging.scoring.paper import import_paper_scores
from judging.scoring.selectors import completeness, control_room, missing_cards
from judging.scoring.services import submit_scorecard
from judging.scoring.sheets import sheet_for
from tests.judging.panel_setup import fast_passwords  # noqa: F401
from tests.judging.written_setup import build_written_review, documents_sheet
from tests.world import attach

pytestmark = pytest.mark.django_db

# Seed 11 gives (see tests/judging/schedule/test_written.py):
# GR-001 E1 E2 · GR-002 E2 E3 · GR-003 E1 E3 · GR-004 E1 E3 · GR-005 E1 E2.
# Each card: (D1 of 60, D2 of 40). Two cards per dossier: no trimming, the plain mean.
CARDS = {
    ("E1", "GR-001"): ("50", "35"),  # 85
    ("E2", "GR-001"): ("48", "34"),  # 82     → 83.50
    ("E2", "GR-002"): ("45", "30"),  # 75
    ("E3", "GR-002"): ("46.5", "31"),  # 77.5 → 76.25
    ("E1", "GR-003"): ("55", "36"),  # 91
    ("E3", "GR-003"): ("52", "37.5"),  # 89.5 → 90.25
    ("E1", "GR-004"): ("40", "30"),  # 70
    ("E3", "GR-004"): ("50", "39.5"),  # 89.5 → 79.75
    ("E1", "GR-005"): ("49", "31"),  # 80
    ("E2", "GR-005"): ("49.5", "30.5"),  # 80   → 80.00
}


@pytest.fixture
def review():
    written = build_written_review()
    assign_venues(event=written.event, seed=5)
    assign_reviewers(venue=written.venue, actor=written.organizer, seed=11)
    return written


def submit(review, expert, entry, d1, d2):
    return submit_scorecard(
        judge=review.expert(expert),
        submission=review.nomination(entry),
        points={"D1": d1, "D2": d2},
    )


def plain(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_written_review_from_assignment_to_awards(review, run_awards):
    # The event's rules recuse E2 from GR-003 (E2 works at its enterprise).
    assert (
        Recusal.objects.filter(judge=review.expert("E2"), submission=review.nomination("GR-003"))
        .values_list("source", flat=True)
        .get()
        == RecusalSource.ENTERPRISE
    )
    assert len(missing_cards(review.venue)) == 10

    for (expert, entry), (d1, d2) in CARDS.items():
        card = submit(review, expert, entry, d1, d2)
        assert card.sheet == review.sheet  # the documents sheet

    with pytest.raises(ValidationError, match="没有分给专家 E3") as refused:
        submit(review, "E3", "GR-001", "50", "30")
    assert refused.value.code == "unassigned"
    with pytest.raises(ValidationError, match="须回避"):
        submit(review, "E2", "GR-003", "50", "30")
    assert Scorecard.objects.count() == 10

    assert missing_cards(review.venue) == []
    status = lock_venue(venue=review.venue, actor=review.expert("E1").user)
    assert status.is_locked
    assert status.lock_override_reason == ""

    run = run_awards(event=review.event)
    results = {
        r.submission.code: r for r in Result.objects.filter(run=run).select_related("submission")
    }
    assert {code: (r.final_score, r.decision) for code, r in results.items()} == {
        "GR-001": (D("83.50"), Decision.BENCHMARK),
        "GR-002": (D("76.25"), Decision.NONE),
        "GR-003": (D("90.25"), Decision.BENCHMARK),
        "GR-004": (D("79.75"), Decision.NONE),
        "GR-005": (D("80.00"), Decision.BENCHMARK),
    }
    assert [code for code, _r in sorted(results.items(), key=lambda p: p[1].rank_in_category)] == [
        "GR-003", "GR-001", "GR-005", "GR-004", "GR-002",
    ]  # fmt: skip
    gr003 = results["GR-003"]
    assert gr003.phase_scores == {Phase.DOCUMENTS: "90.25"}
    assert gr003.valid_cards == 2
    # Only the two experts given the dossier are in its panel: E2 is neither missing nor recused.
    assert [(c["judge"], c["phase"], c["total"], c["mark"]) for c in gr003.cards] == [
        ("E1", "documents", "91.00", "counted"),
        ("E3", "documents", "89.50", "counted"),
    ]


def test_the_documents_sheet_is_used_in_a_written_review_and_the_presentation_one_on_site(review):
    presentation = documents_sheet(review.category, phase=Phase.PRESENTATION, name="发表评审表")
    entry = review.nomination("GR-001")
    assert sheet_for(entry) == review.sheet
    assert sheet_for(entry, phase=Phase.PRESENTATION) == presentation
    review.venue.mode = "onsite"
    review.venue.save()
    assert sheet_for(entry) == presentation


def test_a_written_review_without_a_documents_sheet_scores_on_the_presentation_sheet(review):
    review.sheet.phase = Phase.PRESENTATION
    review.sheet.save()
    assert sheet_for(review.nomination("GR-002")) == review.sheet


def test_the_matrix_shows_unassigned_cells_apart_and_counts_only_given_cards(review):
    submit(review, "E1", "GR-001", "50", "35")
    judges, rows = completeness(review.venue)
    assert [j.code for j in judges] == ["E1", "E2", "E3"]
    states = {row.entry.code: [state for _j, state, _c in row.cells] for row in rows}
    assert states == {
        "GR-001": ["submitted", "missing", "unassigned"],
        "GR-002": ["unassigned", "missing", "missing"],
        "GR-003": ["missing", "recused", "missing"],
        "GR-004": ["missing", "unassigned", "missing"],
        "GR-005": ["missing", "missing", "unassigned"],
    }
    assert len(missing_cards(review.venue)) == 9
    progress, _head = control_room(review.event)
    venue = next(p for p in progress if p.venue == review.venue)
    assert (venue.entries, venue.expected, venue.submitted) == (5, 10, 1)


def test_the_lock_waits_for_the_given_cards_only(review):
    for (expert, entry), (d1, d2) in list(CARDS.items())[:-1]:
        submit(review, expert, entry, d1, d2)
    with pytest.raises(ValidationError, match="还有 1 张评分卡未提交（E2→GR-005）"):
        lock_venue(venue=review.venue, actor=review.expert("E1").user)


def test_a_written_review_has_no_presentation_to_call(review):
    with pytest.raises(ValidationError, match="没有现场发表"):
        advance_presenting(venue=review.venue, actor=review.expert("E1").user)


def paper(tmp_path, *rows):
    book = Workbook()
    sheet = book.active
    sheet.title = "scores"
    sheet.append(["编号", "评委", "D1", "D2"])
    for row in rows:
        sheet.append(list(row))
    path = tmp_path / "paper.xlsx"
    book.save(path)
    return path


def test_paper_sheets_refuse_a_dossier_not_given_to_the_expert(review, tmp_path):
    path = paper(tmp_path, ("GR-001", "E1", 50, 35), ("GR-001", "E3", 50, 35))
    with pytest.raises(ValidationError) as refused:
        import_paper_scores(event=review.event, workbook=path, by=review.organizer)
    assert refused.value.messages == [
        "工作表 scores 第 3 行：推荐材料 GR-001 没有分给专家 E3（书面评审），不能评分"
    ]
    assert Scorecard.objects.count() == 0


def test_paper_sheets_of_given_dossiers_land_on_the_documents_sheet(review, tmp_path):
    path = paper(tmp_path, ("GR-001", "E1", 50, 35), ("GR-001", "E2", 48, 34))
    import_paper_scores(event=review.event, workbook=path, by=review.organizer)
    cards = Scorecard.objects.order_by("judge__code")
    assert [(c.judge.code, c.sheet, c.total) for c in cards] == [
        ("E1", review.sheet, D("85.00")),
        ("E2", review.sheet, D("82.00")),
    ]


def test_the_expert_sees_only_their_dossiers_with_the_nominee_and_evidence(client, review):
    evidence = attach(
        review.nomination("GR-001"), kind="evidence", name="荣誉证书.pdf", content=b"%PDF-1.4 x"
    )
    client.force_login(review.expert("E2").user)
    venue_url = reverse("judging:venue", args=[review.venue.pk])
    text = plain(client.get(venue_url).content.decode())
    assert re.findall(r"GR-\d{3}", text) == ["GR-001", "GR-002", "GR-005"]
    assert "候选人1" in text and "第1精密机械有限公司" in text
    assert "2021-09-10 截止" in text

    page = client.get(reverse("judging:scorecard", args=[review.nomination("GR-001").pk]))
    assert page.status_code == 200
    body = page.content.decode()
    assert "候选人1主持质量攻关十余项。" in body
    file_url = reverse("judging:entry_file", args=[review.nomination("GR-001").pk, evidence.pk])
    assert file_url in body
    assert 'name="item-D1"' in body  # the documents sheet's items
    served = client.get(file_url)
    assert served.status_code == 200
    assert b"".join(served.streaming_content) == b"%PDF-1.4 x"

    for code in ("GR-003", "GR-004"):  # recused from one, not given the other
        entry = review.nomination(code)
        assert client.get(reverse("judging:scorecard", args=[entry.pk])).status_code == 404
        assert client.get(reverse("judging:api_sheet", args=[entry.pk])).status_code == 404
    other_file = reverse("judging:entry_file", args=[review.nomination("GR-004").pk, evidence.pk])
    assert client.get(other_file).status_code == 404

    venues = client.get(reverse("judging:api_venues")).json()
    assert [e["code"] for e in venues[0]["running_order"]] == ["GR-001", "GR-002", "GR-005"]
    manifest = client.get(reverse("judging:offline_manifest", args=[review.venue.pk])).json()
    assert manifest["entries"] == 3


def test_the_api_refuses_a_submit_for_a_dossier_not_given(client, review):
    client.force_login(review.expert("E3").user)
    response = client.post(
        reverse("judging:api_submit"),
        {
            "submission": review.nomination("GR-001").pk,
            "points": {"D1": "50", "D2": "30"},
            "client_id": str(uuid.uuid4()),
        },
        content_type="application/json",
    )
    assert response.status_code == 404
    assert Scorecard.objects.count() == 0


def test_the_chair_sees_dashes_for_dossiers_not_given_and_no_presentation_controls(client, review):
    client.force_login(review.expert("E1").user)
    page = client.get(reverse("judging:chair", args=[review.venue.pk]))
    body = page.content.decode()
    assert page.status_code == 200
    assert body.count('data-state="unassigned"') == 4
    assert body.count('data-state="missing"') == 10
    assert 'id="advance"' not in body
    assert "下一个发表" not in body
    screen = reverse("judging:screen", args=[review.event.slug, review.venue.number])
    assert client.get(screen).status_code == 404


def test_the_control_room_shows_a_written_review_by_its_due_date_and_given_cards(client, review):
    submit(review, "E1", "GR-001", "50", "35")
    client.force_login(review.organizer)
    text = plain(
        client.get(reverse("judging:control_room", args=[review.event.slug])).content.decode()
    )
    assert "优秀个人 · 书面评审 09-10 截止" in text
    assert "已交评分卡： 1 / 10" in text
    assert "正在发表：" not in text
