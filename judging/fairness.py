"""The fairness report of an award run, for organizers before publishing.

Per venue: score distributions (SVG pictures), judge leniency and sharp disagreement, judge
effects; per category: decisions that flip under a judge-effect correction or a plain mean,
quota versus threshold, bootstrap rank intervals and decisions that hang on one judge;
across venues: severity on calibration entries. Every correction is shown, never applied.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field, replace
from decimal import Decimal
from html import escape

from django.utils.translation import gettext as _

from . import awards, scoring
from .enums import Decision
from .models import AwardRun, PanelSeat, Result
from .services_awards import rules_for

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
    decision: str
    alternative_decision: str


@dataclass
class CategoryReport:
    name: str
    rule_counts: list[tuple[str, int, int]] = field(default_factory=list)
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


def _cards(result: Result, phase: str | None = None) -> list[scoring.Card]:
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


def _main_phase(result: Result) -> str | None:
    phases = sorted(result.phase_scores)
    if not phases:
        return None
    return "presentation" if "presentation" in phases else phases[0]


def build_fairness_report(run: AwardRun, *, resamples: int = 200) -> FairnessReport:
    """Return the fairness report of a finished run."""
    results = list(
        Result.objects.filter(run=run)
        .select_related("submission__category", "venue")
        .order_by("submission__category__order", "submission__code")
    )
    event = run.event
    ranked = [r for r in results if r.decision != Decision.EXCLUDED]
    by_venue: dict[int, list[Result]] = defaultdict(list)
    for r in ranked:
        if r.venue_id:
            by_venue[r.venue_id].append(r)
    effects_by_venue: dict[int, scoring.JudgeEffects] = {}
    venues = []
    for venue_id, rows in sorted(by_venue.items(), key=lambda kv: kv[1][0].venue.number):
        cards_by_entry = {r.submission.code: _cards(r, _main_phase(r)) for r in rows}
        obs = [
            scoring.Observation(code, c.judge, c.total)
            for code, cards in cards_by_entry.items()
            for c in cards
            if c.valid
        ]
        effects = scoring.fit_judge_effects(obs)
        effects_by_venue[venue_id] = effects
        leniency = scoring.judge_leniency(cards_by_entry, mad_multiple=event.outlier_mad_multiple)
        scores = sorted(r.final_score for r in rows if r.final_score is not None)
        report = VenueReport(rows[0].venue.name, scores, leniency, list(effects.judge_effects))
        report.histogram_svg = histogram_svg(
            scores, title=_("%(venue)s得分分布") % {"venue": report.name}
        )
        report.leniency_svg = leniency_svg(
            leniency, title=_("%(venue)s评委宽严") % {"venue": report.name}
        )
        venues.append(report)

    categories = []
    by_category: dict[int, list[Result]] = defaultdict(list)
    for r in ranked:
        by_category[r.submission.category_id].append(r)
    for rows in by_category.values():
        category = rows[0].submission.category
        categories.append(_category_report(category, rows, effects_by_venue, resamples=resamples))

    judge_venue = dict(
        PanelSeat.objects.filter(venue__event=event).values_list("judge__code", "venue__name")
    )
    calibration = [
        (judge_venue.get(c.judge, "?"), scoring.Observation(r.submission.code, c.judge, c.total))
        for r in results
        if r.decision == Decision.EXCLUDED
        for c in _cards(r)
        if c.valid
    ]
    severity = scoring.venue_severity(calibration) if calibration else []
    return FairnessReport(run=run, venues=venues, categories=categories, severity=severity)


def _candidate(r: Result, score: Decimal | None) -> awards.Candidate:
    return awards.Candidate(
        key=r.submission.code,
        venue=r.venue.name if r.venue else "未分配分会场",
        venue_order=r.venue.number if r.venue else 0,
        score=score,
        draw=r.draw_number or 0,
        tiebreak_item=r.tiebreak_value,
        spread=r.spread or Decimal("0"),
        valid_cards=r.valid_cards,
    )


def _flips(rows, alternative: dict[str, Decimal | None], rules) -> list[Flip]:
    outcomes = awards.decide([_candidate(r, alternative[r.submission.code]) for r in rows], rules)
    actual = {r.submission.code: r for r in rows}
    flips = []
    for o in outcomes:
        r = actual[o.key]
        if (o.decision in CHOSEN) != (r.decision in CHOSEN):
            flips.append(
                Flip(
                    o.key,
                    r.venue.name if r.venue else "",
                    r.final_score,
                    alternative[o.key],
                    r.get_decision_display(),
                    str(Decision(o.decision).label),
                )
            )
    return flips


def _category_report(category, rows, effects_by_venue, *, resamples: int) -> CategoryReport:
    report = CategoryReport(name=category.name)
    rules = rules_for(category, "指定评分项")
    report.multi_phase = any(len(r.phase_scores) > 1 for r in rows)
    chosen_now = {r.submission.code for r in rows if r.decision in CHOSEN}
    variants = [(_("当前规则"), rules)]
    if category.threshold is not None and rules.rule != awards.THRESHOLD:
        variants.append(
            (
                _("仅分数线 %(threshold)s") % {"threshold": f"{category.threshold:.2f}"},
                replace(rules, rule=awards.THRESHOLD),
            )
        )
    if rules.rule in (awards.QUOTA, awards.BOTH) and rules.quota_count is None:
        other = awards.CATEGORY_SCOPE if rules.scope == awards.VENUE_SCOPE else awards.VENUE_SCOPE
        label = _("按整个类别比例") if other == awards.CATEGORY_SCOPE else _("按每个分会场比例")
        variants.append((label, replace(rules, rule=awards.QUOTA, scope=other)))
    if rules.quota_count is not None and rules.scope == awards.CATEGORY_SCOPE:
        ranked = sum(1 for r in rows if r.final_score is not None)
        if ranked:
            share = (Decimal(rules.quota_count) * 100 / ranked).quantize(Decimal("0.01"))
            variants.append(
                (
                    _("每个分会场同比例（%(share)s%%）") % {"share": share},
                    replace(rules, quota_count=None, quota_percent=share, scope=awards.VENUE_SCOPE),
                )
            )
    if rules.rule == awards.BOTH:
        variants.append((_("仅比例"), replace(rules, rule=awards.QUOTA)))
    for label, variant in variants:
        outcomes = awards.decide([_candidate(r, r.final_score) for r in rows], variant)
        chosen = {o.key for o in outcomes if o.decision in CHOSEN}
        report.rule_counts.append((label, len(chosen), len(chosen ^ chosen_now)))
    if not report.multi_phase:
        corrected, plain = {}, {}
        for r in rows:
            cards = _cards(r, _main_phase(r))
            effects = effects_by_venue.get(r.venue_id)
            if effects is not None and r.final_score is not None:
                corrected[r.submission.code] = scoring.aggregate(
                    scoring.corrected_cards(cards, effects),
                    trim_min_cards=category.trim_min_cards,
                    min_valid_cards=category.min_valid_cards,
                ).score
            else:
                corrected[r.submission.code] = r.final_score
            plain[r.submission.code] = (
                scoring.plain_mean(cards) if r.final_score is not None else None
            )
        report.corrected_flips = _flips(rows, corrected, rules)
        report.plain_flips = _flips(rows, plain, rules)
    report.intervals = _intervals(category, rows, resamples=resamples)
    return report


def _intervals(category, rows, *, resamples: int):
    """Return per entry (code, venue, rank, low, high, hangs on one judge), within its venue."""
    out = []
    by_venue: dict[int, list[Result]] = defaultdict(list)
    for r in rows:
        if r.final_score is not None:
            by_venue[r.venue_id].append(r)
    scope_rows = (
        list(by_venue.values())
        if category.quota_scope == awards.VENUE_SCOPE
        else [[r for r in rows if r.final_score is not None]]
    )
    hangs: dict[str, bool] = {}
    for group in scope_rows:
        chosen = [r.final_score for r in group if r.decision in CHOSEN]
        others = [r.final_score for r in group if r.decision not in CHOSEN]
        lowest_in = min(chosen) if chosen else None
        highest_out = max(others) if others else None
        for r in group:
            loo = scoring.leave_one_out_scores(
                _cards(r, _main_phase(r)), trim_min_cards=category.trim_min_cards
            )
            if r.decision in CHOSEN:
                hangs[r.submission.code] = highest_out is not None and any(
                    s <= highest_out for s in loo
                )
            else:
                hangs[r.submission.code] = lowest_in is not None and any(
                    s >= lowest_in for s in loo
                )
    for venue_id, group in by_venue.items():
        cards = {r.submission.code: _cards(r, _main_phase(r)) for r in group}
        intervals = {
            i.entry: i
            for i in scoring.bootstrap_rank_intervals(
                cards, trim_min_cards=category.trim_min_cards, resamples=resamples, seed=venue_id
            )
        }
        for r in sorted(group, key=lambda r: r.rank_in_venue or 0):
            i = intervals.get(r.submission.code)
            if i is None:
                continue
            out.append(
                (
                    r.submission.code,
                    r.venue.name if r.venue else "",
                    r.rank_in_venue,
                    i.low,
                    i.high,
                    hangs.get(r.submission.code, False),
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
