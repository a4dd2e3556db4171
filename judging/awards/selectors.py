"""Award reads: load everything a run needs in a fixed number of queries, and the look-ups
of the latest run, the standing overrides and the venues still open."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from events.models import Category, Event, Venue
from judging.enums import RunStatus
from judging.models import (
    AwardRun,
    Override,
    PanelSeat,
    Recusal,
    ReviewAssignment,
    ScoreItem,
    ScoreSheet,
    VenueStatus,
)
from judging.scoring.ledger_verify import CurrentCards, current_cards
from submissions.enums import Status
from submissions.models import Submission


@dataclass(frozen=True)
class EntryInput:
    submission_id: int
    code: str
    category_id: int
    topic_type: str
    venue_id: int | None
    draw: int
    calibration: bool
    # The written-review panel that read the dossier (书面评审), when it was read in writing;
    # venue_id is then the on-site venue of its second phase, or this panel when it has none.
    review_venue_id: int | None = None


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
    # A written review's panel per dossier: submission id -> [(judge id, code)] of the
    # experts it was given to (seated or not: a card they started still counts).
    readers: dict[int, list[tuple[int, str]]] = field(default_factory=dict)
    sheet_cache: dict = field(default_factory=dict)


def tiebreak_item(category: Category, items: list[ScoreItem]) -> ScoreItem | None:
    """Return the sheet's tie-break item: the named one, else the heaviest (first on equal)."""
    if category.tiebreak_item_code:
        return next((i for i in items if i.code == category.tiebreak_item_code), None)
    return max(items, key=lambda i: (i.max_points, -i.order, -i.pk), default=None)


def load_event_input(event: Event, *, current: CurrentCards | None = None) -> EventInput:
    """Load everything an award run needs in a fixed number of queries.

    ``current`` are the cards and lines the run verified against the ledger
    (``judging.awards.verify.verify_scores``): the run then decides on exactly those rows,
    without reading them again.
    """
    categories = list(Category.objects.filter(event=event).order_by("order", "pk"))
    venues = {v.pk: v for v in Venue.objects.filter(event=event)}
    review_venues = dict(
        ReviewAssignment.objects.filter(venue__event=event)
        .order_by("venue_id")
        .values_list("submission_id", "venue_id")
    )
    entries = [
        EntryInput(
            submission_id=row["pk"],
            code=row["code"],
            category_id=row["category_id"],
            topic_type=row["topic_type"],
            venue_id=row["assignment__venue_id"] or review_venues.get(row["pk"]),
            draw=row["assignment__draw_number"] or 0,
            calibration=row["is_calibration"],
            review_venue_id=review_venues.get(row["pk"]),
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
    tiebreak_codes: dict[int, str] = {}  # sheet id -> the code of its tie-break item
    for sheet in sheets.values():
        chosen = tiebreak_item(by_category[sheet.category_id], items_by_sheet[sheet.pk])
        if chosen is not None:
            tiebreak_codes[sheet.pk] = chosen.code
    if current is None:
        current = current_cards(event)
    cards: dict[int, list[dict]] = defaultdict(list)
    tiebreak_points: dict[int, Decimal] = {}  # card id -> points on its sheet's tie-break item
    for row in current.rows:
        cards[row["submission_id"]].append(row)
        code = tiebreak_codes.get(row["sheet_id"])
        points = current.lines.get(row["pk"], {}).get(code) if code is not None else None
        if points is not None:
            tiebreak_points[row["pk"]] = points
    panels: dict[int, list[tuple[int, str]]] = defaultdict(list)
    for venue_id, judge_id, code in PanelSeat.objects.filter(venue__event=event).values_list(
        "venue_id", "judge_id", "judge__code"
    ):
        panels[venue_id].append((judge_id, code))
    recusals = set(
        Recusal.objects.filter(submission__event=event).values_list("judge_id", "submission_id")
    )
    readers: dict[int, list[tuple[int, str]]] = defaultdict(list)
    for submission_id, judge_id, code in ReviewAssignment.objects.filter(
        submission__event=event
    ).values_list("submission_id", "judge_id", "judge__code"):
        readers[submission_id].append((judge_id, code))
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
        readers=dict(readers),
    )


def unlocked_venues(event: Event) -> list[Venue]:
    locked = set(
        VenueStatus.objects.filter(venue__event=event, locked_at__isnull=False).values_list(
            "venue_id", flat=True
        )
    )
    return [v for v in Venue.objects.filter(event=event).order_by("number") if v.pk not in locked]


def latest_done_run(event: Event) -> AwardRun | None:
    return AwardRun.objects.filter(event=event, status=RunStatus.DONE).order_by("-pk").first()


def active_overrides(event: Event) -> dict[int, Override]:
    """Return the standing override per submission id."""
    return {
        o.submission_id: o
        for o in Override.objects.filter(event=event, withdrawn_at__isnull=True).order_by(
            "created_at", "pk"
        )
    }
