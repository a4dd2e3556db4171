"""Final scores from scorecards: totals, the trimmed mean, phases, counted items and spread.

Pure code: plain values and frozen dataclasses in and out, ``Decimal`` for points. No ORM,
no request, no settings. The fairness statistics built on them are in panel_statistics.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from fractions import Fraction

CENT = Decimal("0.01")
ZERO = Decimal("0")


class Mark(StrEnum):
    """What happened to one card in the aggregation."""

    COUNTED = "counted"
    DROPPED_HIGH = "dropped_high"
    DROPPED_LOW = "dropped_low"
    RECUSED = "recused"
    UNSUBMITTED = "unsubmitted"


MARK_LABELS = {
    Mark.COUNTED: "计入",
    Mark.DROPPED_HIGH: "去掉最高分",
    Mark.DROPPED_LOW: "去掉最低分",
    Mark.RECUSED: "回避",
    Mark.UNSUBMITTED: "未提交",
}


@dataclass(frozen=True)
class Card:
    """One judge's scorecard for one entry in one phase."""

    judge: str
    total: Decimal | None = None
    recused: bool = False
    submitted: bool = True
    items: tuple[tuple[str, Decimal], ...] = ()

    @property
    def valid(self) -> bool:
        return self.submitted and not self.recused and self.total is not None

    def item(self, code: str) -> Decimal | None:
        for item_code, points in self.items:
            if item_code == code:
                return points
        return None


@dataclass(frozen=True)
class MarkedCard:
    judge: str
    total: Decimal | None
    mark: Mark


@dataclass(frozen=True)
class PhaseScore:
    """The aggregated score of one entry in one phase."""

    score: Decimal | None
    valid_count: int
    complete: bool
    trimmed: bool
    cards: tuple[MarkedCard, ...]

    def counted_totals(self) -> list[Decimal]:
        return [c.total for c in self.cards if c.mark == Mark.COUNTED]

    def mark_of(self, judge: str) -> Mark | None:
        for card in self.cards:
            if card.judge == judge:
                return card.mark
        return None


@dataclass(frozen=True)
class EntryScore:
    """An entry's final score over all phases."""

    final: Decimal | None
    complete: bool
    phases: tuple[tuple[str, PhaseScore], ...] = field(default=())

    def phase(self, name: str) -> PhaseScore | None:
        return dict(self.phases).get(name)


def card_total(points: Iterable[Decimal]) -> Decimal:
    """Return a card's total: the sum of its items."""
    return sum(points, ZERO)


def round_half_up(value: Fraction | Decimal | int) -> Decimal:
    """Round exactly to 2 decimals, half away from zero (四舍五入)."""
    exact = Fraction(value) * 100
    sign = -1 if exact < 0 else 1
    magnitude = abs(exact)
    cents = (magnitude.numerator * 2 + magnitude.denominator) // (2 * magnitude.denominator)
    return (Decimal(sign * cents) / 100).quantize(CENT)


def mean_half_up(total: Decimal, count: int) -> Decimal:
    """Return ``round_half_up(total / count)`` without building a Fraction for whole cents.

    Points are whole cents, so the exact mean is ``cents / count`` and rounding half away
    from zero is integer arithmetic; anything finer takes the exact Fraction path.
    """
    hundredths = total * 100
    if hundredths != hundredths.to_integral_value():
        return round_half_up(Fraction(total) / count)
    cents = int(hundredths)
    rounded = (abs(cents) * 2 + count) // (2 * count)
    return (Decimal(-rounded if cents < 0 else rounded) / 100).quantize(CENT)


def aggregate(
    cards: Iterable[Card], *, trim_min_cards: int = 3, min_valid_cards: int = 1
) -> PhaseScore:
    """Return the phase score: drop one highest and one lowest when enough valid cards remain.

    Recused and unsubmitted cards never count. Among equal totals the card of the
    alphabetically last judge is the one dropped high and the first the one dropped low,
    so the marks never depend on the order the cards arrive in.
    """
    if trim_min_cards < 3:
        raise ValueError("trim_min_cards must be at least 3")
    cards = list(cards)
    valid = sorted((c for c in cards if c.valid), key=lambda c: (c.total, c.judge))
    marks: dict[str, Mark] = {}
    for card in cards:
        if card.recused:
            marks[card.judge] = Mark.RECUSED
        elif not card.valid:
            marks[card.judge] = Mark.UNSUBMITTED
    trimmed = len(valid) >= trim_min_cards
    counted = valid[1:-1] if trimmed else valid
    for card in counted:
        marks[card.judge] = Mark.COUNTED
    if trimmed:
        marks[valid[0].judge] = Mark.DROPPED_LOW
        marks[valid[-1].judge] = Mark.DROPPED_HIGH
    score = mean_half_up(sum((c.total for c in counted), ZERO), len(counted)) if counted else None
    marked = tuple(
        MarkedCard(judge=c.judge, total=c.total, mark=marks[c.judge])
        for c in sorted(cards, key=lambda c: c.judge)
    )
    complete = len(valid) >= max(min_valid_cards, 1)
    return PhaseScore(
        score=score if complete else None,
        valid_count=len(valid),
        complete=complete,
        trimmed=trimmed,
        cards=marked,
    )


def plain_mean(cards: Iterable[Card]) -> Decimal | None:
    """Return the untrimmed mean of the valid cards, rounded half-up (for comparison only)."""
    totals = [c.total for c in cards if c.valid]
    return mean_half_up(sum(totals, ZERO), len(totals)) if totals else None


def combine_phases(
    phases: Mapping[str, PhaseScore],
    *,
    method: str = "sum",
    weights: Mapping[str, Decimal] | None = None,
) -> EntryScore:
    """Return the final score from the phases' rounded scores, by sum or by weights.

    An entry with an incomplete phase is incomplete and has no final score.
    """
    ordered = tuple(sorted(phases.items()))
    complete = bool(ordered) and all(p.complete for _, p in ordered)
    if not complete:
        return EntryScore(final=None, complete=False, phases=ordered)
    if method == "sum":
        final = sum((p.score for _, p in ordered), ZERO)
    elif method == "weights":
        weights = weights or {}
        missing = [name for name, _ in ordered if name not in weights]
        if missing:
            raise ValueError(f"no weight for phase {', '.join(missing)}")
        final = round_half_up(
            sum((Fraction(p.score) * Fraction(weights[name]) for name, p in ordered), Fraction(0))
        )
    else:
        raise ValueError(f"unknown phase combination {method!r}")
    return EntryScore(final=final.quantize(CENT), complete=True, phases=ordered)


def counted_item_mean(cards: Iterable[Card], phase: PhaseScore, item_code: str) -> Decimal | None:
    """Return the counted cards' mean on one item (the tie-break), to 4 places."""
    counted = {c.judge for c in phase.cards if c.mark == Mark.COUNTED}
    points = [
        c.item(item_code) for c in cards if c.judge in counted and c.item(item_code) is not None
    ]
    if not points:
        return None
    return (sum(points, ZERO) / len(points)).quantize(Decimal("0.0001"))


def counted_spread(phase: PhaseScore) -> Decimal:
    """Return the spread (highest minus lowest) of the counted cards."""
    totals = phase.counted_totals()
    return (max(totals) - min(totals)) if totals else ZERO
