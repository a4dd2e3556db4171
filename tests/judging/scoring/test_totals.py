"""Final scores: hand-computed tables for the trimmed mean, rounding, phases and fairness."""

import random
from decimal import Decimal as D
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from judging.scoring.panel_statistics import (
    Observation,
    bootstrap_rank_intervals,
    corrected_cards,
    fit_judge_effects,
    judge_leniency,
    leave_one_out_scores,
    venue_severity,
)
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


def test_fit_judge_effects_complete_design():
    obs = [
        Observation("E1", "J1", D("80")),
        Observation("E1", "J2", D("84")),
        Observation("E2", "J1", D("70")),
        Observation("E2", "J2", D("74")),
    ]
    fit = fit_judge_effects(obs)
    assert dict(fit.judge_effects) == {"J1": D("-2.00"), "J2": D("2.00")}
    assert dict(fit.entry_levels) == {"E1": D("82.00"), "E2": D("72.00")}


def test_fit_judge_effects_recovers_effects_across_recusal_gaps():
    # levels E1 80, E2 70, E3 90; effects J1 -2, J2 0, J3 +2; J3 recused from E2, J2 from E3
    obs = [
        Observation("E1", "J1", D("78")),
        Observation("E1", "J2", D("80")),
        Observation("E1", "J3", D("82")),
        Observation("E2", "J1", D("68")),
        Observation("E2", "J2", D("70")),
        Observation("E3", "J1", D("88")),
        Observation("E3", "J3", D("92")),
    ]
    fit = fit_judge_effects(obs)
    assert dict(fit.judge_effects) == {"J1": D("-2.00"), "J2": D("0.00"), "J3": D("2.00")}
    assert dict(fit.entry_levels) == {"E1": D("80.00"), "E2": D("70.00"), "E3": D("90.00")}


def test_corrected_cards_take_the_effect_off():
    fit = fit_judge_effects(
        [
            Observation("E1", "J1", D("80")),
            Observation("E1", "J2", D("84")),
            Observation("E2", "J1", D("70")),
            Observation("E2", "J2", D("74")),
        ]
    )
    corrected = corrected_cards(cards(80, 84), fit)
    assert [c.total for c in corrected] == [D("82.00"), D("82.00")]


def test_judge_leniency_deviation_from_rest_of_panel():
    by_entry = {"E1": cards(80, 84, 86)}
    rows = {r.judge: (r.mean_deviation, r.count) for r in judge_leniency(by_entry)}
    # J1: 80 - (84+86)/2 = -5; J2: 84 - 83 = 1; J3: 86 - 82 = 4
    assert rows == {"J1": (D("-5.00"), 1), "J2": (D("1.00"), 1), "J3": (D("4.00"), 1)}


def test_judge_leniency_flags_a_sharp_disagreement():
    by_entry = {
        f"E{i}": cards(80 + i, 81 + i, 80 + i, 81 + i, 80 + i, 60 + 3 * i) for i in range(5)
    }
    sharp = [r.judge for r in judge_leniency(by_entry) if r.sharp]
    assert sharp == ["J6"]


def test_venue_severity_on_calibration_entries():
    obs = [
        ("V1", Observation("C1", "J1", D("80"))),
        ("V1", Observation("C1", "J2", D("82"))),
        ("V2", Observation("C1", "J3", D("86"))),
        ("V2", Observation("C1", "J4", D("88"))),
    ]
    rows = {s.venue: (s.offset, s.cards) for s in venue_severity(obs)}
    assert rows == {"V1": (D("-3.00"), 2), "V2": (D("3.00"), 2)}


def test_bootstrap_rank_intervals_certain_when_cards_agree():
    by_entry = {"A": cards(90, 90, 90), "B": cards(80, 80, 80), "C": cards(70, 70, 70)}
    rows = {r.entry: (r.low, r.high) for r in bootstrap_rank_intervals(by_entry, resamples=20)}
    assert rows == {"A": (1, 1), "B": (2, 2), "C": (3, 3)}


def test_bootstrap_rank_intervals_widen_when_cards_disagree():
    by_entry = {"A": cards(95, 70, 90, 72), "B": cards(82, 81, 83, 82)}
    rows = {r.entry: (r.low, r.high) for r in bootstrap_rank_intervals(by_entry, seed=1)}
    assert rows == {"A": (1, 2), "B": (1, 2)}


def test_leave_one_out_scores():
    # without 80: 85,90,95 -> 90; without 85: 80,90,95 -> 90; without 90: 85; without 95: 85
    assert leave_one_out_scores(cards(80, 85, 90, 95)) == [
        D("90.00"),
        D("90.00"),
        D("85.00"),
        D("85.00"),
    ]


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


def resampled_ranks_the_plain_way(by_entry, *, trim_min_cards=3, resamples=200, seed=0):
    """The intervals written out with random.choices, one entry and one resample at a time."""
    rng = random.Random(seed)
    pools = {e: [int(c.total * 100) for c in by_entry[e] if c.valid] for e in sorted(by_entry)}
    pools = {e: pool for e, pool in pools.items() if pool}
    ranks = {e: [] for e in pools}
    for _ in range(resamples):
        scores = {}
        for e, pool in pools.items():
            sample = sorted(rng.choices(pool, k=len(pool)))
            if len(sample) >= trim_min_cards:
                sample = sample[1:-1]
            scores[e] = sum(sample) / len(sample)
        ordered = sorted(scores.values(), reverse=True)
        for e, score in scores.items():
            ranks[e].append(ordered.index(score) + 1)
    out = {}
    for e, r in ranks.items():
        r.sort()
        out[e] = (r[int(0.05 * (len(r) - 1))], r[int(round(0.95 * (len(r) - 1)))])
    return out


@pytest.mark.parametrize("seed", [0, 1, 7, 2021])
def test_bootstrap_rank_intervals_draw_what_random_choices_draws(seed):
    rng = random.Random(seed)
    by_entry = {
        f"E{i:02d}": cards(
            *(rng.randint(140, 190) / 2 for _ in range(rng.randint(1, 8))),
            recused=("J2",) if i % 5 == 0 else (),
        )
        for i in range(25)
    }
    by_entry["E99"] = cards(80, recused=("J1",))  # no valid card: no interval
    trim = 3 + seed % 2
    rows = bootstrap_rank_intervals(by_entry, trim_min_cards=trim, resamples=60, seed=seed)
    expected = resampled_ranks_the_plain_way(by_entry, trim_min_cards=trim, resamples=60, seed=seed)
    assert {r.entry: (r.low, r.high) for r in rows} == expected


@given(st.lists(st.one_of(points, st.none()), min_size=0, max_size=9), st.sampled_from([3, 4]))
def test_leave_one_out_scores_equal_aggregating_the_rest(totals, trim):
    table = cards(*(0 if t is None else t for t in totals))
    table = [
        c if t is not None else Card(c.judge, recused=True)
        for c, t in zip(table, totals, strict=True)
    ]
    valid = [c for c in table if c.valid]
    expected = [
        aggregate(valid[:i] + valid[i + 1 :], trim_min_cards=trim).score for i in range(len(valid))
    ]
    assert leave_one_out_scores(table, trim_min_cards=trim) == [
        s for s in expected if s is not None
    ]


@given(st.lists(st.lists(points, min_size=0, max_size=6), min_size=1, max_size=6))
def test_judge_leniency_equals_exact_fractions(table):
    by_entry = {f"E{i}": cards(*totals) for i, totals in enumerate(table)}
    deviations = {}
    for entry_cards in by_entry.values():
        if len(entry_cards) < 2:
            continue
        total = sum(Fraction(c.total) for c in entry_cards)
        for c in entry_cards:
            rest = (total - Fraction(c.total)) / (len(entry_cards) - 1)
            deviations.setdefault(c.judge, []).append(Fraction(c.total) - rest)
    rows = {
        r.judge: (r.mean_deviation, r.mean_abs_deviation, r.count) for r in judge_leniency(by_entry)
    }
    assert rows == {
        j: (
            round_half_up(sum(ds) / len(ds)),
            round_half_up(sum(abs(d) for d in ds) / len(ds)),
            len(ds),
        )
        for j, ds in deviations.items()
    }
