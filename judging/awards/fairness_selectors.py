"""Fairness reads: load what the fairness report of an award run reads, as plain rows.

A fixed number of queries whatever the number of results; the report itself is computed by
the pure judging.awards.fairness from what this returns.
"""

from __future__ import annotations

from dataclasses import fields as dataclass_fields
from decimal import Decimal

from events.models import Category
from judging.awards.computing import pick_sheets, rules_for
from judging.awards.fairness import (
    CategoryInput,
    FairnessInput,
    StoredResult,
    _cards,
    _main_phase,
    _Row,
)
from judging.awards.selectors import active_overrides
from judging.models import AwardRun, PanelSeat, Result, ScoreSheet


def load_fairness_input(run: AwardRun) -> FairnessInput:
    """Return what the fairness report of ``run`` reads, in a fixed number of queries."""
    event = run.event
    judge_venue = dict(
        PanelSeat.objects.filter(venue__event=event).values_list("judge__code", "venue__name")
    )
    return FairnessInput(
        run=run,
        rows=_load_rows(run),
        judge_venue=judge_venue,
        mad_multiple=event.outlier_mad_multiple,
    )


def category_input(category: Category) -> CategoryInput:
    """Return what the report reads of a category, its award rules included."""
    return CategoryInput(
        pk=category.pk,
        name=category.name,
        phase_combination=category.phase_combination,
        trim_min_cards=category.trim_min_cards,
        min_valid_cards=category.min_valid_cards,
        threshold=category.threshold,
        quota_scope=category.quota_scope,
        rules=rules_for(category, "指定评分项"),
    )


LOOKUPS = {
    "code": "submission__code",
    "category_id": "submission__category_id",
    "topic_type": "submission__topic_type",
    "venue_name": "venue__name",
    "venue_number": "venue__number",
}


def _load_rows(run: AwardRun) -> list[_Row]:
    """Load the run's results in a fixed number of queries, whatever their number."""
    event = run.event
    categories = {c.pk: category_input(c) for c in Category.objects.filter(event=event)}
    sheets = list(ScoreSheet.objects.filter(event=event))
    overrides = active_overrides(event)
    fields = [f.name for f in dataclass_fields(StoredResult)]
    results = (
        Result.objects.filter(run=run)
        .order_by("submission__category__order", "submission__code")
        .values_list(*(LOOKUPS.get(name, name) for name in fields))
    )
    weights: dict[tuple[int, str], dict[str, Decimal]] = {}
    rows = []
    for values in results:
        r = StoredResult(*values)
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
