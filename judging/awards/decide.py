"""Award decisions: ranking within venue and category, thresholds, quotas, tiers and ties.

Pure code: frozen dataclasses in and out, ``Decimal`` for points. No ORM, no settings.
Every entry gets a decision and one sentence of reason in Chinese.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_UP, Decimal

# Decision values (the same strings as judging.enums.Decision)
BENCHMARK = "benchmark"
TIER = "tier"
NONE = "none"
INCOMPLETE = "incomplete"
EXCLUDED = "excluded"

THRESHOLD, QUOTA, BOTH, TIERS = "threshold", "quota", "both", "tiers"
VENUE_SCOPE, CATEGORY_SCOPE = "venue", "category"
ALL_IN, ALL_OUT, TIEBREAK = "all_in", "all_out", "tiebreak"
HALF_UP, FLOOR, CEIL = "half_up", "floor", "ceil"
_ROUNDING = {HALF_UP: ROUND_HALF_UP, FLOOR: ROUND_FLOOR, CEIL: ROUND_CEILING}


@dataclass(frozen=True)
class Candidate:
    """One entry as the award rules see it."""

    key: str
    venue: str
    score: Decimal | None
    draw: int = 0
    venue_order: int = 0
    tiebreak_item: Decimal | None = None
    spread: Decimal = Decimal("0")
    valid_cards: int = 0
    excluded: bool = False


@dataclass(frozen=True)
class Tier:
    name: str
    min_score: Decimal | None = None
    share: Decimal | None = None


@dataclass(frozen=True)
class Rules:
    rule: str = QUOTA
    threshold: Decimal | None = None
    quota_percent: Decimal | None = None
    quota_count: int | None = None
    scope: str = CATEGORY_SCOPE
    rounding: str = HALF_UP
    tie_rule: str = TIEBREAK
    tiers: tuple[Tier, ...] = ()
    min_valid_cards: int = 3
    tiebreak_label: str = "指定评分项"
    category_label: str = "本类别"


@dataclass(frozen=True)
class Outcome:
    key: str
    rank_in_venue: int | None
    rank_in_category: int | None
    decision: str
    tier: str
    reason: str
    tie_broken: bool = False


def quota_size(count: int, percent: Decimal, rounding: str = HALF_UP) -> int:
    """Return the number of places for ``percent`` % of ``count`` entries, rounded as configured."""
    exact = Decimal(count) * Decimal(percent) / Decimal(100)
    return int(exact.quantize(Decimal("1"), rounding=_ROUNDING[rounding]))


def _order_key(c: Candidate, tiebreak: bool):
    if not tiebreak:
        return (-c.score,)
    item = c.tiebreak_item if c.tiebreak_item is not None else Decimal("-1")
    return (-c.score, -item, c.spread, c.draw, c.venue_order, c.key)


def _ranks(cands: Sequence[Candidate], tiebreak: bool) -> dict[str, int]:
    """Rank by score; with the tie-break rule every entry gets its own place, else ties share."""
    ordered = sorted(cands, key=lambda c: _order_key(c, tiebreak) + (c.key,))
    ranks: dict[str, int] = {}
    previous = None
    for position, c in enumerate(ordered, start=1):
        if tiebreak or c.score != previous:
            rank = position
        ranks[c.key] = rank
        previous = c.score
    return ranks


@dataclass(frozen=True)
class _Selection:
    chosen: frozenset[str]
    tie_broken: frozenset[str] = frozenset()
    tied_out: frozenset[str] = frozenset()
    tied_in: frozenset[str] = frozenset()


def select_top(cands: Sequence[Candidate], places: int, tie_rule: str) -> _Selection:
    """Return the entries inside the first ``places`` places under the tie rule."""
    tiebreak = tie_rule == TIEBREAK
    ordered = sorted(cands, key=lambda c: _order_key(c, tiebreak) + (c.key,))
    if places <= 0 or not ordered:
        return _Selection(frozenset(), frozenset(), frozenset())
    if places >= len(ordered):
        return _Selection(frozenset(c.key for c in ordered), frozenset(), frozenset())
    boundary = ordered[places - 1].score
    above = [c for c in ordered if c.score > boundary]
    tied = [c for c in ordered if c.score == boundary]
    if len(above) + len(tied) <= places:
        return _Selection(frozenset(c.key for c in above + tied), frozenset(), frozenset())
    if tie_rule == ALL_IN:
        return _Selection(
            frozenset(c.key for c in above + tied), tied_in=frozenset(c.key for c in tied)
        )
    if tie_rule == ALL_OUT:
        return _Selection(
            frozenset(c.key for c in above), frozenset(), frozenset(c.key for c in tied)
        )
    chosen = ordered[:places]
    return _Selection(
        frozenset(c.key for c in chosen),
        frozenset(c.key for c in tied),
        frozenset(),
    )


def _fmt_score(score: Decimal) -> str:
    return f"{score:.2f}"


def _fmt_percent(percent: Decimal) -> str:
    text = f"{Decimal(percent):f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return f"{text}%"


def decide(candidates: Iterable[Candidate], rules: Rules) -> list[Outcome]:
    """Return each entry's ranks, decision and reason under the category's rules."""
    candidates = list(candidates)
    ranked = [c for c in candidates if not c.excluded and c.score is not None]
    tiebreak = rules.tie_rule == TIEBREAK
    cat_rank = _ranks(ranked, tiebreak)
    venue_rank: dict[str, int] = {}
    by_venue: dict[str, list[Candidate]] = {}
    for c in ranked:
        by_venue.setdefault(c.venue, []).append(c)
    for group in by_venue.values():
        venue_rank.update(_ranks(group, tiebreak))
    scopes = list(by_venue.items()) if rules.scope == VENUE_SCOPE else [("", ranked)]

    decided: dict[str, Outcome] = {}
    for scope_name, group in scopes:
        for outcome in _decide_scope(group, rules, scope_name, venue_rank, cat_rank):
            decided[outcome.key] = outcome
    out = []
    for c in candidates:
        if c.excluded:
            out.append(Outcome(c.key, None, None, EXCLUDED, "", "校准成果，不参与评选"))
        elif c.score is None:
            reason = f"有效评分{c.valid_cards}份，少于{rules.min_valid_cards}份，不参与排名"
            out.append(Outcome(c.key, None, None, INCOMPLETE, "", reason))
        else:
            out.append(decided[c.key])
    return out


def _decide_scope(group, rules: Rules, scope_name, venue_rank, cat_rank) -> list[Outcome]:
    n = len(group)
    if rules.scope == VENUE_SCOPE:
        where = f"{scope_name}"

        def position(c):
            return f"{where}第{venue_rank[c.key]}名"

    else:

        def position(c):
            return (
                f"{rules.category_label}第{cat_rank[c.key]}名（{c.venue}第{venue_rank[c.key]}名）"
            )

    def outcome(c, decision, tier, text, tie_broken=False):
        reason = f"{position(c)}，得分{_fmt_score(c.score)}，{text}"
        return Outcome(
            c.key, venue_rank[c.key], cat_rank[c.key], decision, tier, reason, tie_broken
        )

    results = []
    if rules.rule == THRESHOLD:
        t = _require(rules.threshold, "threshold")
        for c in group:
            if c.score >= t:
                results.append(outcome(c, BENCHMARK, "", f"达到分数线{_fmt_score(t)}"))
            else:
                results.append(outcome(c, NONE, "", f"未达到分数线{_fmt_score(t)}"))
        return results

    if rules.rule in (QUOTA, BOTH):
        places, label = _places(n, rules)
        sel = select_top(group, places, rules.tie_rule)
        for c in group:
            inside = c.key in sel.chosen
            tie_note = _tie_note(c, sel, rules)
            if rules.rule == BOTH:
                t = _require(rules.threshold, "threshold")
                reached = c.score >= t
                if inside and reached:
                    text = f"位于{label}内且达到分数线{_fmt_score(t)}{tie_note}"
                    results.append(outcome(c, BENCHMARK, "", text, c.key in sel.tie_broken))
                elif inside:
                    text = f"位于{label}内，但未达到分数线{_fmt_score(t)}"
                    results.append(outcome(c, NONE, "", text))
                else:
                    text = f"未进入{label}{tie_note}"
                    results.append(outcome(c, NONE, "", text, c.key in sel.tie_broken))
            elif inside:
                text = f"位于{label}内{tie_note}"
                results.append(outcome(c, BENCHMARK, "", text, c.key in sel.tie_broken))
            else:
                text = f"未进入{label}{tie_note}"
                results.append(outcome(c, NONE, "", text, c.key in sel.tie_broken))
        return results

    if rules.rule == TIERS:
        if not rules.tiers:
            raise ValueError("tiers rule needs at least one tier")
        if all(t.share is not None for t in rules.tiers):
            return _decide_tier_shares(group, rules, outcome)
        for c in group:
            for tier in rules.tiers:
                floor = _require(tier.min_score, f"min_score of {tier.name}")
                if c.score >= floor:
                    text = f"评为{tier.name}（{_fmt_score(floor)}分及以上）"
                    results.append(outcome(c, TIER, tier.name, text))
                    break
            else:
                lowest = rules.tiers[-1].min_score
                results.append(outcome(c, NONE, "", f"低于{_fmt_score(lowest)}分，未获等级"))
        return results
    raise ValueError(f"unknown award rule {rules.rule!r}")


def _decide_tier_shares(group, rules: Rules, outcome) -> list[Outcome]:
    n = len(group)
    cumulative = Decimal(0)
    selections = []
    for tier in rules.tiers:
        cumulative += tier.share
        places = quota_size(n, cumulative, rules.rounding)
        selections.append((tier, cumulative, places, select_top(group, places, rules.tie_rule)))
    results = []
    for c in group:
        for tier, cum, places, sel in selections:
            if c.key in sel.chosen:
                text = f"位于前{_fmt_percent(cum)}（{places}名）内，评为{tier.name}"
                results.append(
                    outcome(
                        c, TIER, tier.name, text + _tie_note(c, sel, rules), c.key in sel.tie_broken
                    )
                )
                break
        else:
            tier, cum, places, sel = selections[-1]
            text = f"未进入前{_fmt_percent(cum)}（{places}名），未获等级"
            results.append(outcome(c, NONE, "", text + _tie_note(c, sel, rules)))
    return results


def _places(n: int, rules: Rules) -> tuple[int, str]:
    if rules.quota_count is not None:
        return rules.quota_count, f"前{rules.quota_count}名"
    percent = _require(rules.quota_percent, "quota_percent or quota_count")
    places = quota_size(n, percent, rules.rounding)
    return places, f"前{_fmt_percent(percent)}（{places}名）"


def _tie_note(c: Candidate, sel: _Selection, rules: Rules) -> str:
    if c.key in sel.tie_broken:
        return f"（名额边界同分，按{rules.tiebreak_label}、计入评分离散度、抽签顺序决出）"
    if c.key in sel.tied_out:
        return "（名额边界同分，按规则同分者均不入选）"
    if c.key in sel.tied_in:
        return "（名额边界同分，按规则同分者均入选）"
    return ""


def _require(value, name: str):
    if value is None:
        raise ValueError(f"award rule needs {name}")
    return value
