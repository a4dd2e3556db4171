"""The fairness report covers honour categories, whose written review gives each dossier to
three of the panel's five experts, not to all of them."""

import pytest

from judging.awards.fairness_services import (
    build_fairness_report,
    compute_fairness_report,
    fairness_page,
)
from judging.enums import JobStatus
from judging.models import Result

pytestmark = pytest.mark.django_db


def test_fairness_report_of_a_written_review_of_nominations(honours):
    _, _, run = honours
    stored = compute_fairness_report(run_id=run.pk)
    assert stored.status == JobStatus.DONE
    report = fairness_page(run)["report"]
    [category] = report["categories"]
    assert category["name"] == "优秀个人"
    # The three honoured as decided; 3 of 6 is 50 % of the one panel: the same three.
    assert [tuple(row) for row in category["rule_counts"]] == [
        ("当前规则", 3, 0),
        ("每个分会场同比例（50.00%）", 3, 0),
    ]
    # Every dossier has a rank interval within the one panel, ranks 1 to 6.
    intervals = {code: (low, high) for code, _v, _r, low, high, _h in category["intervals"]}
    assert sorted(intervals) == [f"GR-{n:03d}" for n in range(1, 7)]
    assert all(1 <= low <= high <= 6 for low, high in intervals.values())
    [venue] = report["venues"]
    assert venue["name"] == "书面评审组"
    # Each expert read three or four of the six dossiers; each has a leniency row.
    assert sorted((row["judge"], row["count"]) for row in venue["leniency"]) == [
        ("E1", 4), ("E2", 4), ("E3", 4), ("E4", 3), ("E5", 3),
    ]  # fmt: skip
    assert "<svg" in venue["histogram_svg"] and "<svg" in venue["leniency_svg"]


def test_fairness_report_when_results_list_only_the_readers_cards(honours):
    """An award run may store only the assigned experts' cards: the report reads the same."""
    _, _, run = honours
    for result in Result.objects.filter(run=run):
        result.cards = [card for card in result.cards if card["mark"] != "unsubmitted"]
        result.save(update_fields=["cards"])
    report = build_fairness_report(run).as_json()
    [category] = report["categories"]
    assert [tuple(row[:3]) for row in category["rule_counts"]][0] == ("当前规则", 3, 0)
    assert len(category["intervals"]) == 6
    [venue] = report["venues"]
    assert sorted((row["judge"], row["count"]) for row in venue["leniency"]) == [
        ("E1", 4), ("E2", 4), ("E3", 4), ("E4", 3), ("E5", 3),
    ]  # fmt: skip
