"""Award computing: score and decide every entry of a loaded event, and digest the run.

No query: everything comes from the loaded EventInput (judging.awards.selectors); the
pure totals (judging.scoring.totals) and decisions (judging.awards.decide) do the sums.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from decimal import Decimal

from events.models import Category
from judging.awards import decide as awards
from judging.awards.selectors import EntryInput, EventInput, tiebreak_item
from judging.enums import CardSource, CardStatus
from judging.models import ScoreSheet
from judging.scoring import totals as scoring


@dataclass(frozen=True)
class ComputedEntry:
    entry: EntryInput
    score: scoring.EntryScore
    cards: tuple[dict, ...]
    tiebreak_value: Decimal | None
    spread: Decimal | None
    outcome: awards.Outcome


def _card_counts(row: dict) -> bool:
    if row["status"] != CardStatus.SUBMITTED:
        return False
    return row["source"] != CardSource.PAPER or row["confirmed_by_id"] is not None


def sheets_for(data: EventInput, entry: EntryInput) -> dict[str, ScoreSheet]:
    """Return the entry's sheet per phase: one for its topic type, else the category's general one."""
    key = (entry.category_id, entry.topic_type)
    if key not in data.sheet_cache:
        data.sheet_cache[key] = _sheets_for(data, entry)
    return data.sheet_cache[key]


def _sheets_for(data: EventInput, entry: EntryInput) -> dict[str, ScoreSheet]:
    return pick_sheets(data.sheets.values(), entry.category_id, entry.topic_type)


def pick_sheets(sheets, category_id: int, topic_type: str) -> dict[str, ScoreSheet]:
    """Return per phase the sheet an entry is scored on: its topic type's, else the general one."""
    chosen: dict[str, ScoreSheet] = {}
    for sheet in sorted(sheets, key=lambda s: (s.topic_type != "", s.pk)):
        if sheet.category_id != category_id:
            continue
        if sheet.topic_type in ("", topic_type):
            if sheet.phase not in chosen or sheet.topic_type:
                chosen[sheet.phase] = sheet
    return chosen


def score_entry(data: EventInput, category: Category, entry: EntryInput):
    """Return the entry's score, its marked cards, tie-break value and spread."""
    phase_sheets = sheets_for(data, entry)
    rows = data.cards.get(entry.submission_id, [])
    panels = phase_panels(data, entry, phase_sheets)
    phases: dict[str, scoring.PhaseScore] = {}
    card_inputs: dict[str, list[scoring.Card]] = {}
    for phase, sheet in phase_sheets.items():
        panel = panels[phase]
        phase_rows = {r["judge_id"]: r for r in rows if r["sheet_id"] == sheet.pk}
        judges = dict(panel)
        judges.update({r["judge_id"]: r["judge__code"] for r in phase_rows.values()})
        cards = []
        for judge_id, code in judges.items():
            row = phase_rows.get(judge_id)
            recused = (judge_id, entry.submission_id) in data.recusals
            counts = row is not None and _card_counts(row)
            points = data.tiebreak_points.get(row["pk"]) if row else None
            cards.append(
                scoring.Card(
                    judge=code,
                    total=row["total"] if counts else None,
                    recused=recused,
                    submitted=counts,
                    items=(("tiebreak", points),) if points is not None else (),
                )
            )
        card_inputs[phase] = cards
        phases[phase] = scoring.aggregate(
            cards,
            trim_min_cards=category.trim_min_cards,
            min_valid_cards=category.min_valid_cards,
        )
    weights = {phase: sheet.weight for phase, sheet in phase_sheets.items()}
    score = scoring.combine_phases(phases, method=category.phase_combination, weights=weights)
    main = "presentation" if "presentation" in phases else (min(phases) if phases else None)
    tiebreak_value = spread = None
    if main is not None and phases[main].complete:
        tiebreak_value = scoring.counted_item_mean(card_inputs[main], phases[main], "tiebreak")
        spread = scoring.counted_spread(phases[main])
    marked = tuple(
        {"judge": c.judge, "phase": phase, "total": _str(c.total), "mark": str(c.mark)}
        for phase, p in sorted(phases.items())
        for c in p.cards
    )
    return score, marked, tiebreak_value, spread


def phase_panels(data: EventInput, entry: EntryInput, phase_sheets) -> dict[str, list]:
    """Return per phase the judges expected to score the entry: [(judge id, code)].

    A dossier read in writing (书面评审) is scored in its written phase (documents, else
    presentation) by the experts given it only; its other phases, such as a defence or a skills
    test, by the panel of its on-site venue. Every other entry by its venue's panel.
    """
    venue = data.venues.get(entry.venue_id)
    onsite = data.panels.get(venue.pk, []) if venue is not None and not venue.is_written else None
    readers = data.readers.get(entry.submission_id, [])
    in_writing = entry.review_venue_id is not None or (venue is not None and venue.is_written)
    written = "documents" if "documents" in phase_sheets else "presentation"
    panels = {}
    for phase in phase_sheets:
        if in_writing and (phase == written or onsite is None):
            panels[phase] = readers  # only the experts given the dossier
        else:
            panels[phase] = onsite or []
    return panels


def _str(value) -> str | None:
    return None if value is None else f"{value:.2f}"


def rules_for(category: Category, label: str) -> awards.Rules:
    """Return the pure award rules configured on a category."""
    tiers = tuple(
        awards.Tier(
            name=t["name"],
            min_score=Decimal(str(t["min_score"])) if t.get("min_score") is not None else None,
            share=Decimal(str(t["share"])) if t.get("share") is not None else None,
        )
        for t in (category.tiers or [])
    )
    return awards.Rules(
        rule=category.award_rule,
        threshold=category.threshold,
        quota_percent=category.quota_percent,
        quota_count=category.quota_count,
        scope=category.quota_scope,
        rounding=category.quota_rounding,
        tie_rule=category.tie_rule,
        tiers=tiers,
        min_valid_cards=category.min_valid_cards,
        tiebreak_label=label,
        category_label=category.name,
    )


def tiebreak_label(data: EventInput, category: Category) -> str:
    names = {
        i.name
        for sheet in data.sheets.values()
        if sheet.category_id == category.pk
        for i in [tiebreak_item(category, data.items_by_sheet.get(sheet.pk, []))]
        if i is not None
    }
    if len(names) == 1:
        return f"“{names.pop()}”项计入均值"
    return "评分表中分值最高项的计入均值"


def compute(data: EventInput) -> list[ComputedEntry]:
    """Score and decide every entry of the event (pure given the loaded input)."""
    out: list[ComputedEntry] = []
    for category in data.categories:
        entries = [e for e in data.entries if e.category_id == category.pk]
        scored = {}
        candidates = []
        for entry in entries:
            score, marked, tb, spread = score_entry(data, category, entry)
            scored[entry.code] = (entry, score, marked, tb, spread)
            venue = data.venues.get(entry.venue_id)
            candidates.append(
                awards.Candidate(
                    key=entry.code,
                    venue=venue.name if venue else "未分配分会场",
                    venue_order=venue.number if venue else 0,
                    score=score.final,
                    draw=entry.draw,
                    tiebreak_item=tb,
                    spread=spread if spread is not None else Decimal("0"),
                    valid_cards=min((p.valid_count for _, p in score.phases), default=0),
                    excluded=entry.calibration,
                )
            )
        outcomes = awards.decide(candidates, rules_for(category, tiebreak_label(data, category)))
        for outcome in outcomes:
            entry, score, marked, tb, spread = scored[outcome.key]
            out.append(ComputedEntry(entry, score, marked, tb, spread, outcome))
    return out


def rules_payload(c: Category) -> dict:
    """Return a category's award rules as plain JSON values (for digests and fingerprints)."""
    return {
        "category": c.kind,
        "rule": c.award_rule,
        "threshold": _str(c.threshold),
        "quota_percent": _str(c.quota_percent),
        "quota_count": c.quota_count,
        "scope": c.quota_scope,
        "rounding": c.quota_rounding,
        "tie_rule": c.tie_rule,
        "tiebreak_item": c.tiebreak_item_code,
        "tiers": c.tiers,
        "trim_min_cards": c.trim_min_cards,
        "min_valid_cards": c.min_valid_cards,
        "phase_combination": c.phase_combination,
    }


def canonical_digest(data: EventInput, computed: list[ComputedEntry]) -> str:
    """Return SHA-256 over the canonical inputs, rules and outputs of a run."""
    rules = [rules_payload(c) for c in data.categories]
    rows = [
        {
            "entry": r.entry.code,
            "venue": data.venues[r.entry.venue_id].number if r.entry.venue_id else None,
            "draw": r.entry.draw,
            "cards": list(r.cards),
            "tiebreak": None if r.tiebreak_value is None else f"{r.tiebreak_value:.4f}",
            "final": _str(r.score.final),
            "phases": {name: _str(p.score) for name, p in r.score.phases},
            "rank_in_venue": r.outcome.rank_in_venue,
            "rank_in_category": r.outcome.rank_in_category,
            "decision": r.outcome.decision,
            "tier": r.outcome.tier,
            "reason": r.outcome.reason,
        }
        for r in sorted(computed, key=lambda r: r.entry.code)
    ]
    payload = json.dumps(
        {"event": data.event.slug, "rules": rules, "results": rows},
        ensure_ascii=False,
        sort_keys=True,
        separators=(",", ":"),
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()
