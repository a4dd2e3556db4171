from decimal import Decimal

import pytest
from django.utils import translation

from judging.scoring.checks import (
    TOTAL,
    ItemRule,
    Outlier,
    check_points,
    find_outliers,
    median,
)

D = Decimal
ITEMS = [ItemRule("A1", "选题", D("10"), D("0.5")), ItemRule("A2", "效果", D("30"), D("1"))]


@pytest.mark.parametrize(
    ("raw", "points", "errors"),
    [
        ({"A1": "9.5", "A2": 28}, {"A1": D("9.50"), "A2": D("28.00")}, []),
        ({"A1": "0", "A2": "30"}, {"A1": D("0.00"), "A2": D("30.00")}, []),
        (
            {"A1": "10.5", "A2": "1"},
            {"A2": D("1.00")},
            ["评分项 A1（选题） 的分数 10.5 超出范围 0–10"],
        ),
        ({"A1": "-1", "A2": "1"}, {"A2": D("1.00")}, ["评分项 A1（选题） 的分数 -1 超出范围 0–10"]),
        (
            {"A1": "9.3", "A2": "1"},
            {"A2": D("1.00")},
            ["评分项 A1（选题） 的分数 9.3 不符合步长 0.5"],
        ),
        ({"A1": "abc", "A2": "1"}, {"A2": D("1.00")}, ["评分项 A1（选题） 的分数“abc”不是数字"]),
        ({"A2": "1"}, {"A2": D("1.00")}, ["评分项 A1（选题） 未打分"]),
        (
            {"A1": "1", "A2": "1", "X9": "1"},
            {"A1": D("1.00"), "A2": D("1.00")},
            ["评分项 X9 不在评分表中"],
        ),
    ],
)
def test_check_points_table(raw, points, errors):
    check = check_points(ITEMS, raw)
    assert check.points == points
    assert check.errors == errors


@pytest.mark.parametrize(
    ("raw", "errors"),
    [
        ({"A1": "10.5", "A2": "1"}, ["Score item A1 (选题): the score 10.5 is outside 0–10"]),
        (
            {"A1": "9.3", "A2": "1"},
            ["Score item A1 (选题): the score 9.3 is not a multiple of the step 0.5"],
        ),
        ({"A1": "abc", "A2": "1"}, ["Score item A1 (选题): the score “abc” is not a number"]),
        ({"A2": "1"}, ["Score item A1 (选题) has no score"]),
        ({"A1": "1", "A2": "1", "X9": "1"}, ["Score item X9 is not on the score sheet"]),
    ],
)
def test_check_points_errors_in_english(english_catalogue, raw, errors):
    with translation.override("en"):
        assert check_points(ITEMS, raw).errors == errors


def test_check_points_draft_allows_missing_items():
    check = check_points(ITEMS, {"A1": "", "A2": "3"}, complete=False)
    assert check.errors == []
    assert check.total == D("3")


def test_outlier_item_label_names_the_total_in_the_active_language(english_catalogue):
    on_total = Outlier(card="J5", item=TOTAL, value=D("60"), median=D("80"), mad=D("2"))
    on_item = Outlier(card="J5", item="A1", value=D("2"), median=D("8"), mad=D("0.5"))
    with translation.override("en"):
        english = (on_total.item_label, on_item.item_label)
    assert english == ("Total", "A1")
    assert on_total.item_label == "总分"


def test_median_even_and_odd():
    assert median([D(1), D(3), D(2)]) == D(2)
    assert median([D(1), D(2), D(3), D(10)]) == D("2.5")


def test_find_outliers_flags_card_far_from_panel():
    panel = {
        "J1": {"A1": D("8"), "A2": D("25")},
        "J2": {"A1": D("8.5"), "A2": D("24")},
        "J3": {"A1": D("7.5"), "A2": D("26")},
        "J4": {"A1": D("8"), "A2": D("25")},
        "J5": {"A1": D("2"), "A2": D("25")},
    }
    found = find_outliers(panel, multiple=D("3"), floors={"A1": D("0.5"), "A2": D("1")})
    # A1: median 8, deviations 0, .5, .5, 0, 6 -> MAD 0.5; 6 > 3 × 0.5.
    # Total: 33, 32.5, 33.5, 33, 27 -> median 33, MAD 0.5 (floor 0) -> 27 is 6 away.
    assert [(o.card, o.item) for o in found] == [("J5", "A1"), ("J5", TOTAL)]
    assert found[0].median == D("8")
    assert found[0].mad == D("0.5")


def test_find_outliers_unanimous_panel_uses_floor():
    panel = {f"J{i}": {"A1": D("8")} for i in range(4)} | {"J9": {"A1": D("9")}}
    assert find_outliers(panel, multiple=D("3"), floors={"A1": D("0.5"), TOTAL: D("1")}) == []


def test_find_outliers_needs_three_cards():
    panel = {"J1": {"A1": D("1")}, "J2": {"A1": D("10")}}
    assert find_outliers(panel, multiple=D("1")) == []
