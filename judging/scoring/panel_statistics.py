"""Panel statistics for the fairness report: judge effects, leniency, rank intervals,
decisions that hang on one card, severity across venues.

Pure code: plain values and frozen dataclasses in and out, ``Decimal`` for points. No ORM,
no request, no settings. Built on the totals of judging.scoring.totals.
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from itertools import repeat, starmap
from math import floor
from operator import add, getitem, mul, sub, truediv

from judging.scoring.totals import CENT, ZERO, Card, mean_half_up, round_half_up


@dataclass(frozen=True)
class Observation:
    entry: str
    judge: str
    total: Decimal


@dataclass(frozen=True)
class JudgeEffects:
    """An additive model total = entry level + judge effect, fitted by least squares."""

    judge_effects: tuple[tuple[str, Decimal], ...]
    entry_levels: tuple[tuple[str, Decimal], ...]
    iterations: int

    def effect(self, judge: str) -> Decimal:
        return dict(self.judge_effects).get(judge, ZERO)


def fit_judge_effects(
    observations: Iterable[Observation], *, tolerance: float = 1e-9, max_iterations: int = 5000
) -> JudgeEffects:
    """Fit total = entry level + judge effect by least squares, judge effects summing to 0.

    Alternating exact updates (Gauss-Seidel on the normal equations) handle the gaps that
    recusals leave; with a complete design the first pass is already the solution.
    """
    obs = [(o.entry, o.judge, float(o.total)) for o in observations]
    entries = sorted({e for e, _, _ in obs})
    judges = sorted({j for _, j, _ in obs})
    by_entry: dict[str, list[tuple[str, float]]] = {e: [] for e in entries}
    by_judge: dict[str, list[tuple[str, float]]] = {j: [] for j in judges}
    for entry, judge, total in obs:
        by_entry[entry].append((judge, total))
        by_judge[judge].append((entry, total))
    effect = dict.fromkeys(judges, 0.0)
    level = dict.fromkeys(entries, 0.0)
    iterations = 0
    for iterations in range(1, max_iterations + 1):  # noqa: B007
        for e in entries:
            level[e] = sum(t - effect[j] for j, t in by_entry[e]) / len(by_entry[e])
        change = 0.0
        for j in judges:
            new = sum(t - level[e] for e, t in by_judge[j]) / len(by_judge[j])
            change = max(change, abs(new - effect[j]))
            effect[j] = new
        shift = sum(effect.values()) / len(judges) if judges else 0.0
        for j in judges:
            effect[j] -= shift
        for e in entries:
            level[e] += shift
        if change < tolerance:
            break
    return JudgeEffects(
        judge_effects=tuple((j, _to_cents(effect[j])) for j in judges),
        entry_levels=tuple((e, _to_cents(level[e])) for e in entries),
        iterations=iterations,
    )


def _to_cents(value: float) -> Decimal:
    return Decimal(repr(round(value, 6))).quantize(CENT) + ZERO


def corrected_cards(cards: Iterable[Card], effects: JudgeEffects) -> list[Card]:
    """Return the cards with each judge's effect taken off its total."""
    return [
        Card(
            judge=c.judge,
            total=None if c.total is None else c.total - effects.effect(c.judge),
            recused=c.recused,
            submitted=c.submitted,
            items=c.items,
        )
        for c in cards
    ]


@dataclass(frozen=True)
class Leniency:
    judge: str
    mean_deviation: Decimal
    mean_abs_deviation: Decimal
    count: int
    sharp: bool


def judge_leniency(
    cards_by_entry: Mapping[str, Sequence[Card]], *, mad_multiple: Decimal = Decimal("3")
) -> list[Leniency]:
    """Return each judge's mean deviation from the rest of the panel on the same entries.

    A judge disagrees sharply when their mean absolute deviation lies more than
    ``mad_multiple`` median absolute deviations (at least one point) above the panel's median.
    """
    sums = _deviation_sums(cards_by_entry)
    mean_abs = {j: absolute / count for j, (_, absolute, count) in sums.items()}
    values = sorted(mean_abs.values())
    median = _median(values) if values else Fraction(0)
    mad = _median(sorted(abs(v - median) for v in values)) if values else Fraction(0)
    limit = median + Fraction(mad_multiple) * max(mad, Fraction(1, 3))
    return [
        Leniency(
            judge=j,
            mean_deviation=round_half_up(total / count),
            mean_abs_deviation=round_half_up(mean_abs[j]),
            count=count,
            sharp=len(values) >= 3 and mean_abs[j] > limit,
        )
        for j, (total, _, count) in sorted(sums.items())
    ]


def _deviation_sums(
    cards_by_entry: Mapping[str, Sequence[Card]],
) -> dict[str, tuple[Fraction, Fraction, int]]:
    """Return per judge the exact sum and absolute sum of their deviations, and their number.

    With n valid cards summing to T a card deviates by (n * total - T) / (n - 1) from the
    rest; in whole cents that is an integer over 100 (n - 1), so the integers are summed per
    denominator and only a few Fractions are built per judge, never one per card.
    """
    by_judge: dict[str, dict[int, list[int]]] = {}
    for cards in cards_by_entry.values():
        valid = [c for c in cards if c.valid]
        n = len(valid)
        if n < 2:
            continue
        hundredths = [c.total * 100 for c in valid]
        if any(h != h.to_integral_value() for h in hundredths):
            return _deviation_sums_exact(cards_by_entry)
        cents = [int(h) for h in hundredths]
        panel = sum(cents)
        for c, k in zip(valid, cents, strict=True):
            numerator = n * k - panel
            acc = by_judge.setdefault(c.judge, {}).setdefault(100 * (n - 1), [0, 0, 0])
            acc[0] += numerator
            acc[1] += abs(numerator)
            acc[2] += 1
    return {
        j: (
            sum((Fraction(v[0], d) for d, v in dens.items()), Fraction(0)),
            sum((Fraction(v[1], d) for d, v in dens.items()), Fraction(0)),
            sum(v[2] for v in dens.values()),
        )
        for j, dens in by_judge.items()
    }


def _deviation_sums_exact(
    cards_by_entry: Mapping[str, Sequence[Card]],
) -> dict[str, tuple[Fraction, Fraction, int]]:
    deviations: dict[str, list[Fraction]] = {}
    for cards in cards_by_entry.values():
        valid = [c for c in cards if c.valid]
        if len(valid) < 2:
            continue
        total = sum((Fraction(c.total) for c in valid), Fraction(0))
        for c in valid:
            others = (total - Fraction(c.total)) / (len(valid) - 1)
            deviations.setdefault(c.judge, []).append(Fraction(c.total) - others)
    return {
        j: (sum(ds, Fraction(0)), sum((abs(d) for d in ds), Fraction(0)), len(ds))
        for j, ds in deviations.items()
    }


def _median(sorted_values: Sequence[Fraction]) -> Fraction:
    n = len(sorted_values)
    mid = n // 2
    return sorted_values[mid] if n % 2 else (sorted_values[mid - 1] + sorted_values[mid]) / 2


@dataclass(frozen=True)
class RankInterval:
    entry: str
    low: int
    high: int


def bootstrap_rank_intervals(
    cards_by_entry: Mapping[str, Sequence[Card]],
    *,
    trim_min_cards: int = 3,
    resamples: int = 200,
    seed: int = 0,
    coverage: float = 0.9,
) -> list[RankInterval]:
    """Return each entry's rank interval when its valid cards are resampled with replacement."""
    rng = random.Random(seed)
    entries = sorted(cards_by_entry)
    # Whole cents as integers: resampling needs speed, ranks need no rounding
    pools = {e: [int(c.total * 100) for c in cards_by_entry[e] if c.valid] for e in entries}
    pools = {e: pool for e, pool in pools.items() if pool}
    # A resample draws, entry after entry, pool[floor(random() * len(pool))] len(pool) times:
    # exactly what random.choices(pool, k=len(pool)) draws, so a seed gives the same intervals
    # as ever. Every step runs as C iterators over the whole resample, not card by card.
    drawn = 0
    owners: list[list[int]] = []  # per draw, the pool it draws from
    sizes: list[float] = []
    slices: list[slice] = []
    trims: list[int] = []  # 1 when the resample drops its highest and lowest card
    counted: list[int] = []
    for pool in pools.values():
        owners.extend([pool] * len(pool))
        sizes.extend([float(len(pool))] * len(pool))
        slices.append(slice(drawn, drawn + len(pool)))
        drawn += len(pool)
        trimmed = len(pool) >= trim_min_cards
        trims.append(int(trimmed))
        counted.append(len(pool) - 2 if trimmed else len(pool))
    draw = rng.random
    rows = []
    for _ in range(resamples):
        units = starmap(draw, repeat((), drawn))
        sample = list(map(getitem, owners, map(floor, map(mul, units, sizes))))
        parts = list(map(sample.__getitem__, slices))
        extremes = map(mul, map(add, map(min, parts), map(max, parts)), trims)
        scores = list(map(truediv, map(sub, map(sum, parts), extremes), counted))
        # Equal scores share the best place: in ascending order the last write is that place
        first_rank = dict(zip(sorted(scores), range(len(scores), 0, -1), strict=True))
        rows.append(list(map(first_rank.__getitem__, scores)))
    ranks = (
        dict(zip(pools, zip(*rows, strict=True), strict=True)) if rows else {e: () for e in pools}
    )
    tail = (1 - coverage) / 2
    out = []
    for e in entries:
        if e not in ranks:
            continue
        r = sorted(ranks[e])
        low = r[int(tail * (len(r) - 1))]
        high = r[int(round((1 - tail) * (len(r) - 1)))]
        out.append(RankInterval(entry=e, low=low, high=high))
    return out


def leave_one_out_scores(cards: Sequence[Card], *, trim_min_cards: int = 3) -> list[Decimal]:
    """Return the entry's score with each valid card left out in turn.

    The same scores as ``aggregate`` on the remaining cards, from one sort: leaving a card
    out removes one occurrence of its total, so the remaining lowest and highest are the
    next ones whenever the card held the lowest or highest total.
    """
    valid = [c for c in cards if c.valid]
    if valid and trim_min_cards < 3:
        raise ValueError("trim_min_cards must be at least 3")
    if len(valid) < 2:
        return []
    totals = [c.total for c in valid]
    ordered = sorted(totals)
    grand = sum(totals, ZERO)
    remaining = len(totals) - 1
    out = []
    for total in totals:
        rest = grand - total
        if remaining >= trim_min_cards:
            low = ordered[1] if total == ordered[0] else ordered[0]
            high = ordered[-2] if total == ordered[-1] else ordered[-1]
            out.append(mean_half_up(rest - low - high, remaining - 2))
        else:
            out.append(mean_half_up(rest, remaining))
    return out


@dataclass(frozen=True)
class Severity:
    venue: str
    offset: Decimal
    cards: int


def venue_severity(observations: Iterable[tuple[str, Observation]]) -> list[Severity]:
    """Return each venue's offset on calibration entries that every judge scored.

    Each card's deviation from that entry's mean over all venues is averaged per venue:
    a negative offset is a severe venue, a positive one a lenient venue.
    """
    obs = list(observations)
    by_entry: dict[str, list[Fraction]] = {}
    for _, o in obs:
        by_entry.setdefault(o.entry, []).append(Fraction(o.total))
    entry_mean = {e: sum(v) / len(v) for e, v in by_entry.items()}
    per_venue: dict[str, list[Fraction]] = {}
    for venue, o in obs:
        per_venue.setdefault(venue, []).append(Fraction(o.total) - entry_mean[o.entry])
    return [
        Severity(venue=v, offset=round_half_up(sum(d) / len(d)), cards=len(d))
        for v, d in sorted(per_venue.items())
    ]
