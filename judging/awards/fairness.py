"""The fairness report of an award run, for organizers before publishing.

Per venue: score distributions (SVG pictures), judge leniency and sharp disagreement, judge
effects; per category: decisions that flip under a judge-effect correction or a plain mean,
quota versus threshold, bootstrap rank intervals and decisions that hang on one judge;
across venues: severity on calibration entries. Every correction is shown, never applied.

"Current" decisions are the run's results with the committee's standing overrides, so the
report describes the results as they stand. Building it takes seconds on a large event: the
organizer page shows the copy a background task stored (``services_fairness``).
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import asdict, dataclass, field, replace
from dataclasses import fields as dataclass_fields
from decimal import Decimal
from html import escape

from django.utils.translation import gettext_noop

from events.models import Category
from judging.awards import decide as awards
from judging.awards.sampling import bootstrap_record, bootstrap_resamples
from judging.awards.services import active_overrides, pick_sheets, rules_for
from judging.enums import Decision
from judging.models import AwardRun, PanelSeat, Result, ScoreSheet
from judging.scoring import totals as scoring

CHOSEN = {Decision.BENCHMARK, Decision.TIER}


@dataclass
class VenueReport:
    name: str
    scores: list[Decimal]
    leniency: list[scoring.Leniency]
    effects: list[tuple[str, Decimal]]
    histogram_svg: str = ""
    leniency_svg: str = ""


@dataclass
class Flip:
    code: str
    venue: str
    score: Decimal | None
    alternative: Decimal | None
    decision: str  # the current decision (a Decision value), after any override
    alternative_decision: str
    overridden: bool = False

    @property
    def decision_label(self) -> str:
        return Decision(self.decision).label

    @property
    def alternative_label(self) -> str:
        return Decision(self.alternative_decision).label


@dataclass
class CategoryReport:
    name: str
    # (label, chosen, differing from the current decisions, the label's parameters): the label
    # is the untranslated message, so a stored report reads in the language of whoever opens it.
    rule_counts: list[tuple[str, int, int, dict]] = field(default_factory=list)
    corrected_flips: list[Flip] = field(default_factory=list)
    plain_flips: list[Flip] = field(default_factory=list)
    intervals: list[tuple[str, str, int | None, int, int, bool]] = field(default_factory=list)
    multi_phase: bool = False


@dataclass
class FairnessReport:
    run: AwardRun
    venues: list[VenueReport]
    categories: list[CategoryReport]
    severity: list[scoring.Severity]
    bootstrap: dict = field(default_factory=dict)  # resamples and seeds (awards/sampling.py)

    def as_json(self) -> dict:
        """Return the report as plain JSON values (points as strings), without the run."""
        return _plain(
            {
                "venues": self.venues,
                "categories": self.categories,
                "severity": self.severity,
                "bootstrap": self.bootstrap,
            }
        )


def _plain(value):
    if isinstance(value, Decimal):
        return str(value)
    if hasattr(value, "__dataclass_fields__"):
        return _plain(asdict(value))
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


@dataclass(frozen=True, slots=True)
class _Stored:
    """The columns of a stored result the report reads (no model instances: thousands of rows)."""

    submission_id: int
    venue_id: int | None
    final_score: Decimal | None
    phase_scores: dict
    valid_cards: int
    rank_in_venue: int | None
    decision: str
    cards: list
    tiebreak_value: Decimal | None
    spread: Decimal | None
    draw_number: int | None
    code: str
    category_id: int
    topic_type: str
    venue_name: str | None
    venue_number: int | None


LOOKUPS = {
    "code": "submission__code",
    "category_id": "submission__category_id",
    "topic_type": "submission__topic_type",
    "venue_name": "venue__name",
    "venue_number": "venue__number",
}


@dataclass
class _Row:
    """One result as the report reads it, with its cards parsed once."""

    result: _Stored
    code: str
    category: Category
    venue_name: str
    venue_order: int
    current: str  # the decision after any standing override
    overridden: bool
    main_phase: str | None
    main_cards: list[scoring.Card]
    weights: dict[str, Decimal]

    @property
    def chosen(self) -> bool:
        return self.current in CHOSEN


def _cards(result: _Stored, phase: str | None = None) -> list[scoring.Card]:
    cards = []
    for c in result.cards:
        if phase and c["phase"] != phase:
            continue
        cards.append(
            scoring.Card(
                judge=c["judge"],
                total=Decimal(c["total"]) if c["total"] is not None else None,
                recused=c["mark"] == scoring.Mark.RECUSED,
                submitted=c["mark"] != scoring.Mark.UNSUBMITTED,
            )
        )
    return cards


def _main_phase(result: _Stored) -> str | None:
    phases = sorted(result.phase_scores)
    if not phases:
        return None
    return "presentation" if "presentation" in phases else phases[0]


def _load_rows(run: AwardRun) -> list[_Row]:
    """Load the run's results in a fixed number of queries, whatever their number."""
    event = run.event
    categories = {c.pk: c for c in Category.objects.filter(event=event)}
    sheets = list(ScoreSheet.objects.filter(event=event))
    overrides = active_overrides(event)
    fields = [f.name for f in dataclass_fields(_Stored)]
    results = (
        Result.objects.filter(run=run)
        .order_by("submission__category__order", "submission__code")
        .values_list(*(LOOKUPS.get(name, name) for name in fields))
    )
    weights: dict[tuple[int, str], dict[str, Decimal]] = {}
    rows = []
    for values in results:
        r = _Stored(*values)
        key = (r.category_id, r.topic_type)
        if key not in weights:
            weights[key] = {p: s.weight for p, s in pick_sheets(sheets, *key).items()}
        override = overrides.get(r.submission_id)
        main = _main_phase(r)
        rows.append(
            _Row(
                result=r,
                code=r.code,
                category=categories[r.category_id],
                venue_name=r.venue_name or "",
                venue_order=r.venue_number or 0,
                current=override.decision if override else r.decision,
                overridden=override is not None and override.decision != r.decision,
                main_phase=main,
                main_cards=_cards(r, main),
                weights=weights[key],
            )
        )
    return rows


def build_fairness_report(run: AwardRun, *, resamples: int = 200) -> FairnessReport:
    """Return the fairness report of a finished run."""
    event = run.event
    rows = _load_rows(run)
    ranked = [row for row in rows if row.result.decision != Decision.EXCLUDED]
    by_venue: dict[int, list[_Row]] = defaultdict(list)
    for row in ranked:
        if row.result.venue_id:
            by_venue[row.result.venue_id].append(row)
    effects_by_venue: dict[int, scoring.JudgeEffects] = {}
    venues = []
    for venue_id, group in sorted(by_venue.items(), key=lambda kv: kv[1][0].venue_order):
        cards_by_entry = {row.code: row.main_cards for row in group}
        obs = [
            scoring.Observation(code, c.judge, c.total)
            for code, cards in cards_by_entry.items()
            for c in cards
            if c.valid
        ]
        effects = scoring.fit_judge_effects(obs)
        effects_by_venue[venue_id] = effects
        leniency = scoring.judge_leniency(cards_by_entry, mad_multiple=event.outlier_mad_multiple)
        scores = sorted(
            row.result.final_score for row in group if row.result.final_score is not None
        )
        name = group[0].venue_name
        report = VenueReport(name, scores, leniency, list(effects.judge_effects))
        venues.append(report)

    asked, cards = resamples, sum(len(row.main_cards) for row in ranked)
    resamples = bootstrap_resamples(cards, asked=asked)
    categories = []
    by_category: dict[int, list[_Row]] = defaultdict(list)
    for row in ranked:
        by_category[row.category.pk].append(row)
    for group in by_category.values():
        categories.append(
            _category_report(group[0].category, group, effects_by_venue, resamples=resamples)
        )

    judge_venue = dict(
        PanelSeat.objects.filter(venue__event=event).values_list("judge__code", "venue__name")
    )
    calibration = [
        (judge_venue.get(c.judge, "?"), scoring.Observation(row.code, c.judge, c.total))
        for row in rows
        if row.result.decision == Decision.EXCLUDED
        for c in _cards(row.result)
        if c.valid
    ]
    severity = scoring.venue_severity(calibration) if calibration else []
    bootstrap = bootstrap_record(cards=cards, asked=asked, used=resamples)
    return FairnessReport(run, venues, categories, severity, bootstrap)


def _candidate(row: _Row, score: Decimal | None) -> awards.Candidate:
    r = row.result
    return awards.Candidate(
        key=row.code,
        venue=row.venue_name or "未分配分会场",
        venue_order=row.venue_order,
        score=score,
        draw=r.draw_number or 0,
        tiebreak_item=r.tiebreak_value,
        spread=r.spread or Decimal("0"),
        valid_cards=r.valid_cards,
    )


def _flips(rows: list[_Row], alternative: dict[str, Decimal | None], rules) -> list[Flip]:
    outcomes = awards.decide([_candidate(row, alternative[row.code]) for row in rows], rules)
    actual = {row.code: row for row in rows}
    flips = []
    for o in outcomes:
        row = actual[o.key]
        if (o.decision in CHOSEN) != row.chosen:
            flips.append(
                Flip(
                    o.key,
                    row.venue_name,
                    row.result.final_score,
                    alternative[o.key],
                    row.current,
                    o.decision,
                    row.overridden,
                )
            )
    return flips


def alternative_final(
    phase_scores: dict[str, str | None],
    main_phase: str,
    main: scoring.PhaseScore,
    *,
    method: str,
    weights: dict[str, Decimal],
) -> Decimal | None:
    """Return the final score with the main phase replaced, combined as the award run does.

    The other phases keep the scores the run stored for them.
    """
    phases = {
        name: main
        if name == main_phase
        else _bare_phase(None if stored is None else Decimal(stored))
        for name, stored in phase_scores.items()
    }
    return scoring.combine_phases(phases, method=method, weights=weights).final


def _bare_phase(score: Decimal | None) -> scoring.PhaseScore:
    """A phase known only by its score (no cards): a stored or an alternative one."""
    return scoring.PhaseScore(
        score=score, valid_count=0, complete=score is not None, trimmed=False, cards=()
    )


def _alternatives(category, rows: list[_Row], effects_by_venue):
    """Return each entry's final score under a judge-effect correction and under a plain mean.

    Both replace the main (presentation) phase only and combine it with the other phases'
    stored scores by the category's sum or weights, as the award run combined them.
    """
    corrected: dict[str, Decimal | None] = {}
    plain: dict[str, Decimal | None] = {}
    for row in rows:
        r = row.result
        if r.final_score is None or row.main_phase is None:
            corrected[row.code] = r.final_score
            plain[row.code] = None
            continue
        combine = {
            "method": category.phase_combination,
            "weights": row.weights,
        }
        effects = effects_by_venue.get(r.venue_id)
        if effects is not None:
            main = scoring.aggregate(
                scoring.corrected_cards(row.main_cards, effects),
                trim_min_cards=category.trim_min_cards,
                min_valid_cards=category.min_valid_cards,
            )
            corrected[row.code] = alternative_final(r.phase_scores, row.main_phase, main, **combine)
        else:
            corrected[row.code] = r.final_score
        main = _bare_phase(scoring.plain_mean(row.main_cards))
        plain[row.code] = alternative_final(r.phase_scores, row.main_phase, main, **combine)
    return corrected, plain


def _with_main(category, row: _Row, score: Decimal) -> Decimal | None:
    """Return the final score the entry would have with ``score`` in its main phase."""
    phase_scores = row.result.phase_scores
    if len(phase_scores) == 1 and category.phase_combination == "sum":
        return score
    return alternative_final(
        phase_scores,
        row.main_phase,
        _bare_phase(score),
        method=category.phase_combination,
        weights=row.weights,
    )


def _category_report(category, rows: list[_Row], effects_by_venue, *, resamples: int):
    report = CategoryReport(name=category.name)
    rules = rules_for(category, "指定评分项")
    report.multi_phase = any(len(row.result.phase_scores) > 1 for row in rows)
    chosen_now = {row.code for row in rows if row.chosen}
    variants = [(gettext_noop("当前规则"), {}, rules)]
    if category.threshold is not None and rules.rule != awards.THRESHOLD:
        variants.append(
            (
                gettext_noop("仅分数线 %(threshold)s"),
                {"threshold": f"{category.threshold:.2f}"},
                replace(rules, rule=awards.THRESHOLD),
            )
        )
    if rules.rule in (awards.QUOTA, awards.BOTH) and rules.quota_count is None:
        other = awards.CATEGORY_SCOPE if rules.scope == awards.VENUE_SCOPE else awards.VENUE_SCOPE
        label = (
            gettext_noop("按整个类别比例")
            if other == awards.CATEGORY_SCOPE
            else gettext_noop("按每个分会场比例")
        )
        variants.append((label, {}, replace(rules, rule=awards.QUOTA, scope=other)))
    if rules.quota_count is not None and rules.scope == awards.CATEGORY_SCOPE:
        ranked = sum(1 for row in rows if row.result.final_score is not None)
        if ranked:
            share = (Decimal(rules.quota_count) * 100 / ranked).quantize(Decimal("0.01"))
            variants.append(
                (
                    gettext_noop("每个分会场同比例（%(share)s%%）"),
                    {"share": str(share)},
                    replace(rules, quota_count=None, quota_percent=share, scope=awards.VENUE_SCOPE),
                )
            )
    if rules.rule == awards.BOTH:
        variants.append((gettext_noop("仅比例"), {}, replace(rules, rule=awards.QUOTA)))
    candidates = [_candidate(row, row.result.final_score) for row in rows]
    for label, params, variant in variants:
        outcomes = awards.decide(candidates, variant)
        chosen = {o.key for o in outcomes if o.decision in CHOSEN}
        report.rule_counts.append((label, len(chosen), len(chosen ^ chosen_now), params))
    corrected, plain = _alternatives(category, rows, effects_by_venue)
    report.corrected_flips = _flips(rows, corrected, rules)
    report.plain_flips = _flips(rows, plain, rules)
    report.intervals = _intervals(category, rows, resamples=resamples)
    return report


def _intervals(category, rows: list[_Row], *, resamples: int):
    """Return per entry (code, venue, rank, low, high, hangs on one judge), within its venue."""
    out = []
    by_venue: dict[int, list[_Row]] = defaultdict(list)
    for row in rows:
        if row.result.final_score is not None:
            by_venue[row.result.venue_id].append(row)
    scope_rows = (
        list(by_venue.values())
        if category.quota_scope == awards.VENUE_SCOPE
        else [[row for row in rows if row.result.final_score is not None]]
    )
    hangs: dict[str, bool] = {}
    for group in scope_rows:
        chosen = [row.result.final_score for row in group if row.chosen]
        others = [row.result.final_score for row in group if not row.chosen]
        lowest_in = min(chosen) if chosen else None
        highest_out = max(others) if others else None
        for row in group:
            loo = [
                _with_main(category, row, score)
                for score in scoring.leave_one_out_scores(
                    row.main_cards, trim_min_cards=category.trim_min_cards
                )
            ]
            if row.chosen:
                hangs[row.code] = highest_out is not None and any(
                    s is not None and s <= highest_out for s in loo
                )
            else:
                hangs[row.code] = lowest_in is not None and any(
                    s is not None and s >= lowest_in for s in loo
                )
    for venue_id, group in by_venue.items():
        cards = {row.code: row.main_cards for row in group}
        intervals = {
            i.entry: i
            for i in scoring.bootstrap_rank_intervals(
                cards, trim_min_cards=category.trim_min_cards, resamples=resamples, seed=venue_id
            )
        }
        for row in sorted(group, key=lambda row: row.result.rank_in_venue or 0):
            i = intervals.get(row.code)
            if i is None:
                continue
            out.append(
                (
                    row.code,
                    row.venue_name,
                    row.result.rank_in_venue,
                    i.low,
                    i.high,
                    hangs.get(row.code, False),
                )
            )
    return out


# Pictures: small SVG charts drawn on the server


def histogram_svg(scores: list[Decimal], *, title: str, width: int = 420, height: int = 180) -> str:
    """Return an SVG histogram of scores in bins of two points."""
    if not scores:
        return ""
    low = math.floor(float(min(scores)) / 2) * 2
    last = math.floor(float(max(scores)) / 2) * 2
    bins = list(range(low, last + 1, 2))
    counts = [sum(1 for s in scores if b <= s < b + 2) for b in bins]
    top = max(counts) or 1
    pad, base = 30, height - 25
    bar_w = (width - pad - 10) / len(bins)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="{escape(title)}" class="chart">',
        f"<title>{escape(title)}</title>",
        f'<line x1="{pad}" y1="{base}" x2="{width - 5}" y2="{base}" stroke="#555"/>',
    ]
    for i, (b, n) in enumerate(zip(bins, counts, strict=True)):
        h = (base - 15) * n / top
        x = pad + i * bar_w
        parts.append(
            f'<rect x="{x + 1:.1f}" y="{base - h:.1f}" width="{bar_w - 2:.1f}" height="{h:.1f}" '
            f'fill="#0d6efd"><title>{b}–{b + 2}: {n}</title></rect>'
        )
        if n:
            parts.append(
                f'<text x="{x + bar_w / 2:.1f}" y="{base - h - 2:.1f}" font-size="10" '
                f'text-anchor="middle">{n}</text>'
            )
        if i % max(1, len(bins) // 8) == 0:
            parts.append(
                f'<text x="{x:.1f}" y="{base + 14}" font-size="10" text-anchor="start">{b}</text>'
            )
    parts.append("</svg>")
    return "".join(parts)


def leniency_svg(rows: list[scoring.Leniency], *, title: str, width: int = 420) -> str:
    """Return an SVG bar chart of each judge's mean deviation from the rest of the panel."""
    if not rows:
        return ""
    row_h, label_w = 20, 60
    height = row_h * len(rows) + 20
    span = max(1.0, max(abs(float(r.mean_deviation)) for r in rows))
    mid = label_w + (width - label_w - 10) / 2
    scale = (width - label_w - 10) / 2 / span
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="{escape(title)}" class="chart">',
        f"<title>{escape(title)}</title>",
        f'<line x1="{mid:.1f}" y1="0" x2="{mid:.1f}" y2="{height - 15}" stroke="#555"/>',
    ]
    for i, r in enumerate(rows):
        y = 5 + i * row_h
        dev = float(r.mean_deviation)
        x = mid if dev >= 0 else mid + dev * scale
        colour = "#dc3545" if r.sharp else ("#198754" if dev >= 0 else "#6c757d")
        parts.append(f'<text x="0" y="{y + 12}" font-size="11">{escape(r.judge)}</text>')
        parts.append(
            f'<rect x="{x:.1f}" y="{y}" width="{abs(dev) * scale:.1f}" height="{row_h - 6}" '
            f'fill="{colour}"><title>{escape(r.judge)}: {r.mean_deviation:+.2f}（{r.count}）</title></rect>'
        )
    parts.append(
        f'<text x="{mid:.1f}" y="{height - 3}" font-size="10" text-anchor="middle">0</text></svg>'
    )
    return "".join(parts)
