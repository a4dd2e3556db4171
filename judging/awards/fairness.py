"""The fairness report of an award run, for organizers before publishing.

Per venue: score distributions (SVG pictures), judge leniency and sharp disagreement, judge
effects; per category: decisions that flip under a judge-effect correction or a plain mean,
quota versus threshold, bootstrap rank intervals and decisions that hang on one judge;
across venues: severity on calibration entries. Every correction is shown, never applied.

"Current" decisions are the run's results with the committee's standing overrides, so the
report describes the results as they stand. Building it takes seconds on a large event: the
organizer page shows the copy a background task stored (``fairness_services``).

Pure code: no ORM, no settings, no request. judging.awards.fairness_selectors loads the
plain rows (FairnessInput) this computes from; the pictures are in fairness_charts.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import asdict, dataclass, field, replace
from decimal import Decimal

from django.utils.translation import gettext_noop

from judging.awards import decide as awards
from judging.awards.sampling import bootstrap_record, bootstrap_resamples
from judging.scoring import panel_statistics
from judging.scoring import totals as scoring

CHOSEN = {awards.BENCHMARK, awards.TIER}


@dataclass
class VenueReport:
    name: str
    scores: list[Decimal]
    leniency: list[panel_statistics.Leniency]
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
    run: object  # the AwardRun described; not part of the stored JSON
    venues: list[VenueReport]
    categories: list[CategoryReport]
    severity: list[panel_statistics.Severity]
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
class StoredResult:
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


@dataclass(frozen=True)
class CategoryInput:
    """What the report reads of a category: its settings and its award rules."""

    pk: int
    name: str
    phase_combination: str
    trim_min_cards: int
    min_valid_cards: int
    threshold: Decimal | None
    quota_scope: str
    rules: awards.Rules  # as the award run configures them (tie-break item unnamed)


@dataclass
class _Row:
    """One result as the report reads it, with its cards parsed once."""

    result: StoredResult
    code: str
    category: CategoryInput
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


def _cards(result: StoredResult, phase: str | None = None) -> list[scoring.Card]:
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


def _main_phase(result: StoredResult) -> str | None:
    """Return the phase judged at the result's venue: the presentation, else the on-site
    phase (a nomination's defence or skills test after its written review), else the first."""
    phases = sorted(result.phase_scores)
    if not phases:
        return None
    return next((p for p in ("presentation", "onsite") if p in phases), phases[0])


@dataclass
class FairnessInput:
    """Everything the report reads, as plain rows (judging.awards.fairness_selectors)."""

    run: object  # the AwardRun described, carried into the report
    rows: list[_Row]  # in category order, then by code
    judge_venue: dict[str, str]  # judge code -> venue name, for calibration severity
    mad_multiple: Decimal  # the event's outlier setting


def fairness_report(data: FairnessInput, *, resamples: int = 200) -> FairnessReport:
    """Return the fairness report of a finished run from its loaded rows."""
    run = data.run
    rows = data.rows
    ranked = [row for row in rows if row.result.decision != awards.EXCLUDED]
    by_venue: dict[int, list[_Row]] = defaultdict(list)
    for row in ranked:
        if row.result.venue_id:
            by_venue[row.result.venue_id].append(row)
    effects_by_venue: dict[int, panel_statistics.JudgeEffects] = {}
    venues = []
    for venue_id, group in sorted(by_venue.items(), key=lambda kv: kv[1][0].venue_order):
        cards_by_entry = {row.code: row.main_cards for row in group}
        obs = [
            panel_statistics.Observation(code, c.judge, c.total)
            for code, cards in cards_by_entry.items()
            for c in cards
            if c.valid
        ]
        effects = panel_statistics.fit_judge_effects(obs)
        effects_by_venue[venue_id] = effects
        leniency = panel_statistics.judge_leniency(cards_by_entry, mad_multiple=data.mad_multiple)
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

    judge_venue = data.judge_venue
    calibration = [
        (judge_venue.get(c.judge, "?"), panel_statistics.Observation(row.code, c.judge, c.total))
        for row in rows
        if row.result.decision == awards.EXCLUDED
        for c in _cards(row.result)
        if c.valid
    ]
    severity = panel_statistics.venue_severity(calibration) if calibration else []
    bootstrap = bootstrap_record(cards=cards, asked=asked, used=resamples)
    return FairnessReport(
        run=run, venues=venues, categories=categories, severity=severity, bootstrap=bootstrap
    )


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
                panel_statistics.corrected_cards(row.main_cards, effects),
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
    rules = category.rules
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
                for score in panel_statistics.leave_one_out_scores(
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
            for i in panel_statistics.bootstrap_rank_intervals(
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
