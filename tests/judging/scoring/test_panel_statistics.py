"""Panel statistics: judge effects, leniency, severity, rank intervals and leave-one-out
scores, by hand-computed tables and against plain re-statements."""

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
from judging.scoring.totals import Card, aggregate, round_half_up
from tests.judging.scoring.test_totals import cards, points


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
