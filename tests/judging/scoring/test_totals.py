"""Final scores: hand-computed tables for the trimmed mean, rounding, phases and fairness."""

from decimal import Decimal as D

import pytest
from hypothesis import given
from hypothesis import strategies as st

from judging.scoring.totals import (
    Card,
    Mark,
    aggregate,
    card_total,
    combine_phases,
    counted_item_mean,
    counted_spread,
    plain_mean,
    round_half_up,
)


def cards(*totals, recused=(), unsubmitted=()):
    return [
        Card(
            judge=f"J{i + 1}",
            total=None if f"J{i + 1}" in unsubmitted else D(str(t)),
            recused=f"J{i + 1}" in recused,
            submitted=f"J{i + 1}" not in unsubmitted,
        )
        for i, t in enumerate(totals)
    ]


def test_card_total_sums_items():
    assert card_total([D("13.5"), D("27"), D("18"), D("17.5"), D("4.5"), D("9")]) == D("89.5")


@pytest.mark.parametrize(
    "totals, recused, unsubmitted, expected, marks",
    [
        # 3 cards: drop 90 and 80, 85 remains
        ((80, 85, 90), (), (), "85.00", "LCH"),
        # 4 cards: (82 + 86) / 2
        ((80, 82, 86, 90), (), (), "84.00", "LCCH"),
        # 5 cards: (80.5 + 81 + 84) / 3 = 81.8333
        ((70, 80.5, 81, 84, 95), (), (), "81.83", "LCCCH"),
        # 7 cards: (85+86+87+88+89) / 5
        ((60, 88, 85, 86, 87, 89, 99), (), (), "87.00", "LCCCCCH"),
        # one recused: 4 valid, (82 + 84) / 2
        ((99, 80, 82, 84, 90), ("J1",), (), "83.00", "RLCCH"),
        # two recused: 3 valid, 84 remains
        ((99, 10, 80, 84, 88), ("J1", "J2"), (), "84.00", "RRLCH"),
        # one unsubmitted of 4: 3 valid left, trimmed
        ((80, 84, 88, 0), (), ("J4",), "84.00", "LCHU"),
        # tie for highest: one 90 dropped (the later judge), the other 90 counted
        ((90, 90, 80, 85), (), (), "87.50", "CHLC"),
        # tie for lowest and highest at once: all equal, one of each dropped
        ((85, 85, 85), (), (), "85.00", "LCH"),
        # rounding at .005: (87.00 + 87.01) / 2 = 87.005 rounds half-up
        ((80, 87, 87.01, 95), (), (), "87.01", "LCCH"),
        # just below: (86.99 + 87.00 + 87.02) / 3 = 87.0033
        ((80, 86.99, 87, 87.02, 95), (), (), "87.00", "LCCCH"),
    ],
)
def test_aggregate_trimmed_mean(totals, recused, unsubmitted, expected, marks):
    result = aggregate(cards(*totals, recused=recused, unsubmitted=unsubmitted))
    letters = {
        Mark.DROPPED_LOW: "L",
        Mark.DROPPED_HIGH: "H",
        Mark.COUNTED: "C",
        Mark.RECUSED: "R",
        Mark.UNSUBMITTED: "U",
    }
    assert result.score == D(expected)
    assert "".join(letters[c.mark] for c in result.cards) == marks


def test_aggregate_two_valid_cards_use_plain_mean():
    result = aggregate(cards(99, 80, 85, recused=("J1",)), min_valid_cards=1)
    assert (result.score, result.trimmed, result.valid_count) == (D("82.50"), False, 2)
    assert [c.mark for c in result.cards] == [Mark.RECUSED, Mark.COUNTED, Mark.COUNTED]


def test_aggregate_below_category_minimum_is_incomplete():
    result = aggregate(cards(99, 80, 85, recused=("J1",)), min_valid_cards=3)
    assert (result.score, result.complete, result.valid_count) == (None, False, 2)


def test_aggregate_trim_threshold_is_configurable():
    result = aggregate(cards(80, 82, 86, 90), trim_min_cards=5)
    assert (result.score, result.trimmed) == (D("84.50"), False)


def test_aggregate_rejects_trimming_below_three_cards():
    with pytest.raises(ValueError):
        aggregate(cards(80, 90), trim_min_cards=2)


@pytest.mark.parametrize(
    "value, expected",
    [
        (D("87.005"), "87.01"),
        (D("87.004999"), "87.00"),
        (D("86.995"), "87.00"),
        (D("0.005"), "0.01"),
        (D("-1.005"), "-1.01"),
        (D("100"), "100.00"),
    ],
)
def test_round_half_up(value, expected):
    assert round_half_up(value) == D(expected)


def test_plain_mean_keeps_extremes():
    assert plain_mean(cards(80, 85, 90, 99)) == D("88.50")


def phase(*totals, **kwargs):
    return aggregate(cards(*totals), **kwargs)


@pytest.mark.parametrize(
    "method, weights, expected",
    [
        # sum: 85.00 + 12.25
        ("sum", None, "97.25"),
        # weights 0.5 / 0.5: 42.50 + 6.125 = 48.625 -> 48.63
        ("weights", {"presentation": D("0.5"), "documents": D("0.5")}, "48.63"),
        # weights 0.7 / 0.3: 59.50 + 3.675 = 63.175 -> 63.18
        ("weights", {"presentation": D("0.7"), "documents": D("0.3")}, "63.18"),
    ],
)
def test_combine_phases(method, weights, expected):
    phases = {"presentation": phase(80, 85, 90), "documents": phase(12, 12.25, 13)}
    result = combine_phases(phases, method=method, weights=weights)
    assert (result.final, result.complete) == (D(expected), True)


def test_combine_phases_incomplete_phase_makes_entry_incomplete():
    phases = {"presentation": phase(80, 85, 90), "documents": phase(12, min_valid_cards=3)}
    result = combine_phases(phases)
    assert (result.final, result.complete) == (None, False)


def test_combine_phases_weights_must_name_every_phase():
    with pytest.raises(ValueError):
        combine_phases({"presentation": phase(80, 85, 90)}, method="weights", weights={})


def test_counted_item_mean_and_spread_use_counted_cards_only():
    items = [
        Card("J1", D("80"), items=(("B2", D("20")),)),
        Card("J2", D("84"), items=(("B2", D("25")),)),
        Card("J3", D("86"), items=(("B2", D("26.5")),)),
        Card("J4", D("95"), items=(("B2", D("30")),)),
    ]
    result = aggregate(items)
    assert counted_item_mean(items, result, "B2") == D("25.75")
    assert counted_spread(result) == D("2")


points = st.decimals(min_value=0, max_value=100, places=2, allow_nan=False, allow_infinity=False)


@given(st.lists(points, min_size=1, max_size=9), st.randoms())
def test_aggregate_card_order_is_irrelevant(totals, rnd):
    original = cards(*totals)
    shuffled = list(original)
    rnd.shuffle(shuffled)
    assert aggregate(shuffled) == aggregate(original)


@given(st.lists(points, min_size=3, max_size=9), st.data())
def test_adding_a_card_between_the_dropped_ones_keeps_the_drop(totals, data):
    before = aggregate(cards(*totals))
    low = next(c for c in before.cards if c.mark == Mark.DROPPED_LOW)
    high = next(c for c in before.cards if c.mark == Mark.DROPPED_HIGH)
    if high.total - low.total < D("0.02"):
        return
    middle = data.draw(
        st.decimals(min_value=low.total + D("0.01"), max_value=high.total - D("0.01"), places=2)
    )
    after = aggregate([*cards(*totals), Card(judge="J99", total=middle)])
    assert after.mark_of(low.judge) == Mark.DROPPED_LOW
    assert after.mark_of(high.judge) == Mark.DROPPED_HIGH
    assert after.mark_of("J99") == Mark.COUNTED


@given(st.lists(points, min_size=3, max_size=9))
def test_trimmed_mean_lies_between_the_dropped_cards(totals):
    result = aggregate(cards(*totals))
    assert min(totals) <= result.score <= max(totals)
    assert sum(1 for c in result.cards if c.mark == Mark.DROPPED_HIGH) == 1
    assert sum(1 for c in result.cards if c.mark == Mark.DROPPED_LOW) == 1
