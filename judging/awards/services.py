"""Award runs: load every card in a bounded number of queries, score, decide, store, digest.

Also the committee's overrides (kept beside the computed results) and the showcase proposal.
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import connection, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from events.models import Category, Event, Venue
from events.services import record_audit
from judging.awards import decide as awards
from judging.enums import CardSource, CardStatus, Decision, RunStatus
from judging.models import (
    AwardRun,
    Override,
    PanelSeat,
    Publication,
    Recusal,
    Result,
    Scorecard,
    ScoreItem,
    ScoreLine,
    ScoreSheet,
    Showcase,
    VenueStatus,
)
from judging.scoring import totals as scoring
from qcexchange.queueing import BROKER_DOWN_MESSAGE, enqueue
from submissions.enums import Status
from submissions.models import Submission


class AwardError(Exception):
    """A refusal with a message in Chinese that names what is wrong."""


# Loading


@dataclass(frozen=True)
class EntryInput:
    submission_id: int
    code: str
    category_id: int
    topic_type: str
    venue_id: int | None
    draw: int
    calibration: bool


@dataclass
class EventInput:
    event: Event
    categories: list[Category]
    venues: dict[int, Venue]
    entries: list[EntryInput]
    sheets: dict[int, ScoreSheet]
    items_by_sheet: dict[int, list[ScoreItem]]
    cards: dict[int, list[dict]]  # submission id -> card rows
    tiebreak_points: dict[int, Decimal]  # card id -> points on its sheet's tie-break item
    panels: dict[int, list[tuple[int, str]]]  # venue id -> [(judge id, code)]
    recusals: set[tuple[int, int]]  # (judge id, submission id)
    sheet_cache: dict = field(default_factory=dict)


def tiebreak_item(category: Category, items: list[ScoreItem]) -> ScoreItem | None:
    """Return the sheet's tie-break item: the named one, else the heaviest (first on equal)."""
    if category.tiebreak_item_code:
        return next((i for i in items if i.code == category.tiebreak_item_code), None)
    return max(items, key=lambda i: (i.max_points, -i.order, -i.pk), default=None)


def load_event_input(event: Event) -> EventInput:
    """Load everything an award run needs in a fixed number of queries."""
    categories = list(Category.objects.filter(event=event).order_by("order", "pk"))
    venues = {v.pk: v for v in Venue.objects.filter(event=event)}
    entries = [
        EntryInput(
            submission_id=row["pk"],
            code=row["code"],
            category_id=row["category_id"],
            topic_type=row["topic_type"],
            venue_id=row["assignment__venue_id"],
            draw=row["assignment__draw_number"] or 0,
            calibration=row["is_calibration"],
        )
        for row in Submission.objects.filter(event=event, status=Status.ADMITTED)
        .order_by("code")
        .values(
            "pk",
            "code",
            "category_id",
            "topic_type",
            "assignment__venue_id",
            "assignment__draw_number",
            "is_calibration",
        )
    ]
    sheets = {s.pk: s for s in ScoreSheet.objects.filter(event=event)}
    items_by_sheet: dict[int, list[ScoreItem]] = defaultdict(list)
    for item in ScoreItem.objects.filter(sheet__event=event).order_by("sheet", "order", "pk"):
        items_by_sheet[item.sheet_id].append(item)
    by_category = {c.pk: c for c in categories}
    tiebreak_ids = []
    for sheet in sheets.values():
        chosen = tiebreak_item(by_category[sheet.category_id], items_by_sheet[sheet.pk])
        if chosen is not None:
            tiebreak_ids.append(chosen.pk)
    cards: dict[int, list[dict]] = defaultdict(list)
    for row in Scorecard.objects.filter(submission__event=event).values(
        "pk", "judge_id", "judge__code", "submission_id", "sheet_id", "status", "source",
        "confirmed_by_id", "total",
    ):  # fmt: skip
        cards[row["submission_id"]].append(row)
    tiebreak_points = dict(
        ScoreLine.objects.filter(
            card__submission__event=event, item_id__in=tiebreak_ids
        ).values_list("card_id", "points")
    )
    panels: dict[int, list[tuple[int, str]]] = defaultdict(list)
    for venue_id, judge_id, code in PanelSeat.objects.filter(venue__event=event).values_list(
        "venue_id", "judge_id", "judge__code"
    ):
        panels[venue_id].append((judge_id, code))
    recusals = set(
        Recusal.objects.filter(submission__event=event).values_list("judge_id", "submission_id")
    )
    return EventInput(
        event=event,
        categories=categories,
        venues=venues,
        entries=entries,
        sheets=sheets,
        items_by_sheet=dict(items_by_sheet),
        cards=dict(cards),
        tiebreak_points=tiebreak_points,
        panels=dict(panels),
        recusals=recusals,
    )


# Computing


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
    panel = data.panels.get(entry.venue_id, []) if entry.venue_id else []
    phases: dict[str, scoring.PhaseScore] = {}
    card_inputs: dict[str, list[scoring.Card]] = {}
    for phase, sheet in phase_sheets.items():
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


# Services


def unlocked_venues(event: Event) -> list[Venue]:
    locked = set(
        VenueStatus.objects.filter(venue__event=event, locked_at__isnull=False).values_list(
            "venue_id", flat=True
        )
    )
    return [v for v in Venue.objects.filter(event=event).order_by("number") if v.pk not in locked]


def start_award_run(*, event: Event, user=None, force: bool = False, reason: str = "") -> AwardRun:
    """Create an award run and queue its computation, refusing while a venue is unlocked."""
    if Publication.objects.filter(event=event, finalized_at__isnull=False).exists():
        raise AwardError(_("评选结果已定稿，不能重新计算。"))
    unlocked = unlocked_venues(event)
    reason = reason.strip()
    if unlocked and not force:
        names = "、".join(v.name for v in unlocked)
        raise AwardError(
            _(
                "以下分会场尚未锁定，不能计算评选结果：%(venues)s。如确需计算，请强制执行并填写原因。"
            )
            % {"venues": names}
        )
    if unlocked and not reason:
        raise AwardError(_("强制计算必须填写原因。"))
    with transaction.atomic():
        run = AwardRun.objects.create(
            event=event,
            created_by=user if getattr(user, "is_authenticated", False) else None,
            forced_reason=reason if unlocked else "",
        )
        record_audit(
            actor=user,
            action="award_run.start",
            event=event,
            target=f"AwardRun #{run.pk}",
            details={"forced": bool(unlocked), "reason": reason} if unlocked else {},
        )
        language = translation.get_language()
        transaction.on_commit(
            lambda: enqueue(
                "judging.execute_award_run",
                kwargs={"run_id": run.pk, "language": language},
                on_deferred=lambda: AwardRun.objects.filter(pk=run.pk).update(
                    message=BROKER_DOWN_MESSAGE
                ),
            )
        )
    return run


def execute_award_run(*, run_id: int) -> AwardRun:
    """Compute the run: load, score, decide, store the Result rows and the digest."""
    run = AwardRun.objects.select_related("event").get(pk=run_id)
    if run.status == RunStatus.DONE:
        return run
    AwardRun.objects.filter(pk=run.pk).update(status=RunStatus.RUNNING, progress=10)
    try:
        data = load_event_input(run.event)
        AwardRun.objects.filter(pk=run.pk).update(progress=50)
        computed = compute(data)
        digest = canonical_digest(data, computed)
    except Exception as exc:
        AwardRun.objects.filter(pk=run.pk).update(
            status=RunStatus.FAILED, message=str(exc)[:2000], finished_at=timezone.now()
        )
        raise
    with transaction.atomic():
        Result.objects.filter(run=run).delete()
        insert_results(
            [
                Result(
                    run=run,
                    submission_id=r.entry.submission_id,
                    venue_id=r.entry.venue_id,
                    final_score=r.score.final,
                    phase_scores={name: _str(p.score) for name, p in r.score.phases},
                    valid_cards=min((p.valid_count for _, p in r.score.phases), default=0),
                    rank_in_venue=r.outcome.rank_in_venue,
                    rank_in_category=r.outcome.rank_in_category,
                    decision=r.outcome.decision,
                    tier=r.outcome.tier,
                    reason=r.outcome.reason[:300],
                    cards=list(r.cards),
                    tiebreak_value=r.tiebreak_value,
                    spread=r.spread,
                    draw_number=r.entry.draw or None,
                )
                for r in computed
            ]
        )
        counts = summary_counts(computed, data.categories)
        run.status = RunStatus.DONE
        run.progress = 100
        run.digest = digest
        run.message = counts
        run.finished_at = timezone.now()
        run.save(update_fields=["status", "progress", "digest", "message", "finished_at"])
        from judging.awards.fairness_services import request_fairness_report

        request_fairness_report(run=run)
    return run


RESULT_COLUMNS = (
    "run_id", "submission_id", "venue_id", "final_score", "phase_scores", "valid_cards",
    "rank_in_venue", "rank_in_category", "decision", "tier", "reason", "cards",
    "tiebreak_value", "spread", "draw_number",
)  # fmt: skip
JSON_COLUMNS = {"phase_scores", "cards"}


def insert_results(results: list[Result]) -> None:
    """Insert the results in one statement whatever their number (one JSON parameter).

    SQLite allows 999 parameters a statement and would split a bulk insert into a statement
    per ~60 rows; passing the rows as one JSON document keeps the run's query count fixed.
    """
    if connection.vendor not in ("sqlite", "postgresql"):
        Result.objects.bulk_create(results, batch_size=500)
        return
    if not results:
        return
    rows = [[_plain(getattr(r, column)) for column in RESULT_COLUMNS] for r in results]
    payload = json.dumps(rows, ensure_ascii=False, separators=(",", ":"))
    table = connection.ops.quote_name(Result._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(c) for c in RESULT_COLUMNS)
    if connection.vendor == "sqlite":
        values = ", ".join(f"json_extract(value, '$[{i}]')" for i, _ in enumerate(RESULT_COLUMNS))
        sql = f"INSERT INTO {table} ({columns}) SELECT {values} FROM json_each(%s)"
    else:
        types = {f.column: f.db_type(connection) for f in Result._meta.concrete_fields}
        values = ", ".join(
            f"(x -> {i})::jsonb" if c in JSON_COLUMNS else f"(x ->> {i})::{types[c]}"
            for i, c in enumerate(RESULT_COLUMNS)
        )
        sql = f"INSERT INTO {table} ({columns}) SELECT {values} FROM jsonb_array_elements(%s::jsonb) AS x"
    with connection.cursor() as cursor:
        cursor.execute(sql, [payload])


def _plain(value):
    if isinstance(value, Decimal):
        return str(value)
    return value


def summary_counts(computed: list[ComputedEntry], categories: list[Category]) -> str:
    lines = []
    for category in categories:
        rows = [r for r in computed if r.entry.category_id == category.pk]
        chosen = sum(1 for r in rows if r.outcome.decision in (Decision.BENCHMARK, Decision.TIER))
        incomplete = sum(1 for r in rows if r.outcome.decision == Decision.INCOMPLETE)
        lines.append(
            _("%(category)s：%(total)s项，入选%(chosen)s项，评分不足%(incomplete)s项")
            % {
                "category": category.name,
                "total": len(rows),
                "chosen": chosen,
                "incomplete": incomplete,
            }
        )
    return "\n".join(lines)


def latest_done_run(event: Event) -> AwardRun | None:
    return AwardRun.objects.filter(event=event, status=RunStatus.DONE).order_by("-pk").first()


def create_override(
    *, event: Event, submission: Submission, decision: str, reason: str, user, tier: str = ""
) -> Override:
    """Store a committee decision beside the computed result; a reason is mandatory."""
    reason = reason.strip()
    if not reason:
        raise AwardError(_("评审委员会审定必须填写理由。"))
    if decision not in Decision.values:
        raise AwardError(_("未知的审定结果：%(decision)s") % {"decision": decision})
    if submission.event_id != event.pk:
        raise AwardError(_("该成果不属于本活动。"))
    if Publication.objects.filter(event=event, finalized_at__isnull=False).exists():
        raise AwardError(_("评选结果已定稿，不能再审定。"))
    with transaction.atomic():
        now = timezone.now()
        Override.objects.filter(
            event=event, submission=submission, withdrawn_at__isnull=True
        ).update(withdrawn_at=now)
        override = Override.objects.create(
            event=event,
            submission=submission,
            decision=decision,
            tier=tier,
            reason=reason,
            created_by=user,
        )
        record_audit(
            actor=user,
            action="award.override",
            event=event,
            target=submission.code,
            details={"decision": decision, "tier": tier, "reason": reason},
        )
        _refresh_fairness(event)
    return override


def withdraw_override(*, override: Override, user) -> None:
    with transaction.atomic():
        override.withdrawn_at = timezone.now()
        override.save(update_fields=["withdrawn_at"])
        record_audit(
            actor=user, action="award.override_withdrawn", event=override.event, target=override
        )
        _refresh_fairness(override.event)


def _refresh_fairness(event: Event) -> None:
    """Queue the fairness report of the latest run again: the current decisions changed."""
    from judging.awards.fairness_services import request_fairness_report

    run = latest_done_run(event)
    if run is not None:
        request_fairness_report(run=run)


def active_overrides(event: Event) -> dict[int, Override]:
    """Return the standing override per submission id."""
    return {
        o.submission_id: o
        for o in Override.objects.filter(event=event, withdrawn_at__isnull=True).order_by(
            "created_at", "pk"
        )
    }


def propose_showcase(*, event: Event, run: AwardRun, user=None) -> list[Showcase]:
    """Replace the showcase with the top results per category, one entry per enterprise."""
    overrides = active_overrides(event)
    results = list(
        Result.objects.filter(run=run, rank_in_category__isnull=False)
        .select_related("submission__category")
        .order_by("submission__category__order", "rank_in_category", "submission__code")
    )
    chosen: list[Result] = []
    enterprises: set[int] = set()
    per_category: dict[int, int] = defaultdict(int)
    for result in results:
        category = result.submission.category
        decision = (
            overrides[result.submission_id].decision
            if result.submission_id in overrides
            else result.decision
        )
        if decision not in (Decision.BENCHMARK, Decision.TIER):
            continue
        if per_category[category.pk] >= category.showcase_count:
            continue
        if result.submission.enterprise_id in enterprises:
            continue
        chosen.append(result)
        enterprises.add(result.submission.enterprise_id)
        per_category[category.pk] += 1
    with transaction.atomic():
        Showcase.objects.filter(event=event).delete()
        rows = Showcase.objects.bulk_create(
            [
                Showcase(
                    event=event,
                    submission_id=r.submission_id,
                    order=i,
                    reason=f"按评选结果推荐：{r.submission.category.name}第{r.rank_in_category}名",
                )
                for i, r in enumerate(chosen, start=1)
            ]
        )
        record_audit(
            actor=user,
            action="showcase.propose",
            event=event,
            details={"entries": [r.submission.code for r in chosen]},
        )
    return rows


def add_to_showcase(*, event: Event, code: str, user=None) -> Showcase:
    """Add one entry to the end of the showcase."""
    submission = Submission.objects.filter(event=event, code=code.strip()).first()
    if submission is None:
        raise AwardError(_("本活动没有编号为 %(code)s 的成果。") % {"code": code})
    if Showcase.objects.filter(event=event, submission=submission).exists():
        raise AwardError(_("%(code)s 已在大会展示名单中。") % {"code": submission.code})
    last = Showcase.objects.filter(event=event).order_by("-order").first()
    with transaction.atomic():
        row = Showcase.objects.create(
            event=event, submission=submission, order=(last.order + 1) if last else 1
        )
        record_audit(actor=user, action="showcase.add", event=event, target=submission.code)
    return row


def remove_from_showcase(*, showcase: Showcase, user=None) -> None:
    with transaction.atomic():
        record_audit(
            actor=user, action="showcase.remove", event=showcase.event,
            target=showcase.submission.code,
        )  # fmt: skip
        showcase.delete()
