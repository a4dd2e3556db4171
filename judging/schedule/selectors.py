"""Reads of the schedule: the organizers' venue board, the printable order, the public schedule."""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db.models import Count

from events.models import Event, Venue
from judging import dossiers
from judging.models import (
    Draw,
    PanelSeat,
    Recusal,
    ReviewAssignment,
    VenueAssignment,
    VenueStatus,
)
from judging.schedule import plan as schedule
from judging.schedule import recusal_rules
from judging.schedule.services import venue_day_sessions
from submissions.enums import PresentationMode


@dataclass
class Row:
    assignment: VenueAssignment
    eligible: int | None = None  # judges of the panel who may score the entry
    recused: list = field(default_factory=list)  # Recusal rows of the panel's judges
    readers: list = field(default_factory=list)  # written review: the experts given the dossier

    pause: tuple | None = None  # (start, end) of the break or lunch before this entry

    @property
    def submission(self):
        return self.assignment.submission

    @property
    def written(self) -> bool:
        return self.submission.presentation_mode == PresentationMode.WRITTEN


@dataclass
class VenueBoard:
    venue: Venue
    rows: list[Row]
    seats: list = field(default_factory=list)
    draws: list = field(default_factory=list)
    remedies: schedule.Remedies | None = None
    thin: int = 0
    heavy: list = field(default_factory=list)  # (seat, count)
    stacked: list = field(default_factory=list)  # (enterprise name, count)
    now: VenueAssignment | None = None
    next: VenueAssignment | None = None
    loads: list = field(default_factory=list)  # written review: (seat, dossiers to read)

    @property
    def unread(self) -> int:
        """Return how many dossiers of a written review no expert has been given yet."""
        return sum(1 for r in self.rows if not r.readers) if self.venue.is_written else 0

    @property
    def count(self) -> int:
        return len(self.rows)

    @property
    def presented(self) -> int:
        if self.venue.is_written:
            return 0
        return sum(1 for r in self.rows if not r.written)

    @property
    def unscheduled(self) -> int:
        if self.venue.is_written:
            return 0
        return sum(1 for r in self.rows if not r.written and r.assignment.starts_at is None)

    @property
    def ends_at(self):
        times = [r.assignment.ends_at for r in self.rows if r.assignment.ends_at]
        return max(times) if times else None

    @property
    def topic_mix(self) -> list[tuple[str, int]]:
        """Return (topic type, entries) of the venue, the largest first."""
        counts = Counter(r.submission.get_topic_type_display() for r in self.rows)
        return sorted(((t, n) for t, n in counts.items() if t), key=lambda p: (-p[1], p[0]))

    @property
    def seed(self):
        return self.draws[0].seed if self.draws else None


def _assignments(venues):
    return (
        VenueAssignment.objects.filter(venue__in=venues)
        .select_related("submission__enterprise", "submission__category", "venue")
        .order_by("venue__number", "draw_number", "submission__code")
    )


def venue_boards(*, event: Event, number: int | None = None, with_checks: bool = True):
    """Return the board of each venue of the event (or of one venue): order, panel, warnings."""
    venues = Venue.objects.filter(event=event).select_related("category").order_by("number")
    if number is not None:
        venues = venues.filter(number=number)
    venues = list(venues)
    rows = defaultdict(list)
    for assignment in _assignments([v for v in venues if not v.is_written]):
        rows[assignment.venue_id].append(Row(assignment))
    for venue in venues:
        if venue.is_written:  # its dossiers are held by the experts' assignments
            rows[venue.pk] = [Row(a) for a in dossiers.written_rows(venue)]
    boards = [VenueBoard(venue=v, rows=rows[v.pk]) for v in venues]
    for board in boards:
        mark_pauses(board.rows)
    if not with_checks:
        return boards
    seats = defaultdict(list)
    for seat in PanelSeat.objects.filter(venue__in=venues).select_related("judge"):
        seats[seat.venue_id].append(seat)
    draws = defaultdict(list)
    for draw in Draw.objects.filter(venue__in=venues).select_related("created_by"):
        draws[draw.venue_id].append(draw)
    sub_ids = [r.submission.pk for board in boards for r in board.rows]
    recusals = defaultdict(list)
    for recusal in Recusal.objects.filter(submission_id__in=sub_ids).select_related("judge"):
        recusals[recusal.submission_id].append(recusal)
    readers = defaultdict(list)
    written = [board.venue for board in boards if board.venue.is_written]
    for review in ReviewAssignment.objects.filter(venue__in=written).select_related("judge"):
        readers[review.submission_id].append(review.judge)
    for board in boards:
        for row in board.rows:
            row.readers = sorted(readers[row.submission.pk], key=lambda j: j.code)
    shares = _fair_shares(event)
    for board in boards:
        share = shares[board.venue.category_id]
        _fill_checks(board, seats[board.venue.pk], draws[board.venue.pk], recusals, share)
    return boards


def _fair_shares(event: Event) -> dict:
    """Return category id -> {enterprise id: most entries it should have in one venue}."""
    venues = Counter(Venue.objects.filter(event=event).values_list("category_id", flat=True))
    totals = (
        VenueAssignment.objects.filter(venue__event=event)
        .values("venue__category_id", "submission__enterprise_id")
        .annotate(n=Count("pk"))
    )
    shares = defaultdict(dict)
    for t in totals:
        category = t["venue__category_id"]
        shares[category][t["submission__enterprise_id"]] = math.ceil(t["n"] / venues[category])
    return shares


def mark_pauses(rows: list[Row]) -> None:
    """Note on each row the break that precedes it (a gap between two slots of one day)."""
    previous = None
    for row in rows:
        start = row.assignment.starts_at
        if start is None:
            continue
        if previous is not None and start > previous and start.date() == previous.date():
            row.pause = (previous, start)
        previous = row.assignment.ends_at


def _fill_checks(board: VenueBoard, seats, draws, recusals, fair_share) -> None:
    board.seats, board.draws = seats, draws
    judge_ids = [s.judge_id for s in seats]
    pairs = []
    for row in board.rows:
        row.recused = [r for r in recusals[row.submission.pk] if r.judge_id in judge_ids]
        pairs += [(r.judge_id, row.submission.pk) for r in row.recused]
    by_judge = {s.judge_id: s for s in seats}
    if board.venue.is_written:
        _fill_reading_checks(board, seats, set(pairs))
    else:
        entries = [r.submission.pk for r in board.rows]
        check = recusal_rules.check_panel(judge_ids, entries, pairs)
        for row in board.rows:
            row.eligible = check.eligible[row.submission.pk]
        board.thin = len(check.thin)
        board.heavy = [(by_judge[j], n) for j, n in check.heavy]
    counts = defaultdict(int)
    for row in board.rows:
        counts[row.submission.enterprise_id] += 1
    names = {r.submission.enterprise_id: r.submission.enterprise.name for r in board.rows}
    board.stacked = sorted(
        ((names[e], c) for e, c in counts.items() if c > fair_share.get(e, c)),
        key=lambda p: (-p[1], p[0]),
    )
    category = board.venue.category
    presented = board.presented
    if board.venue.is_written:
        return
    board.remedies = schedule.suggest_remedies(
        presented,
        day_sessions=venue_day_sessions(board.venue),
        extra_days=board.venue.extra_days,
        slot_minutes=category.slot_total_minutes,
        break_minutes=board.venue.break_minutes,
    )


def _fill_reading_checks(board: VenueBoard, seats, recused: set) -> None:
    """A written review: each dossier's experts who may score it, against the number wanted."""
    needed = board.venue.category.readers_per_nomination
    loads = Counter()
    for row in board.rows:
        row.eligible = sum(1 for j in row.readers if (j.pk, row.submission.pk) not in recused)
        loads.update(j.pk for j in row.readers)
    board.thin = sum(1 for row in board.rows if row.readers and row.eligible < needed)
    board.loads = [(seat, loads[seat.judge_id]) for seat in seats]


def public_schedule(*, event: Event, query: str = "") -> list[VenueBoard]:
    """Return the event's venues with their running order, filtered by enterprise or group.

    Written reviews (书面评审) are left out: nothing of them happens in a room.
    """
    boards = [b for b in venue_boards(event=event, with_checks=False) if not b.venue.is_written]
    statuses = {
        s.venue_id: s
        for s in VenueStatus.objects.filter(venue__event=event).select_related("now_presenting")
    }
    for board in boards:
        _now_and_next(board, statuses.get(board.venue.pk))
    query = query.strip()
    if query:
        for board in boards:
            board.rows = [r for r in board.rows if matches(r.submission, query)]
    return boards


def matches(submission, query: str) -> bool:
    text = query.casefold()
    haystack = (
        submission.enterprise.name,
        submission.enterprise.short_name,
        submission.group_name,
        submission.code,
    )
    return any(text in value.casefold() for value in haystack if value)


def _now_and_next(board: VenueBoard, status: VenueStatus | None) -> None:
    if status is None or status.now_presenting_id is None or status.is_locked:
        return
    presented = [r.assignment for r in board.rows if not r.written]
    for index, assignment in enumerate(presented):
        if assignment.submission_id == status.now_presenting_id:
            board.now = assignment
            board.next = presented[index + 1] if index + 1 < len(presented) else None
            return


def assignment_in_event(*, event: Event, pk: int) -> VenueAssignment:
    """Return one assignment of the event or raise VenueAssignment.DoesNotExist."""
    return VenueAssignment.objects.select_related("submission__category", "venue__event").get(
        pk=pk, venue__event=event
    )


def recusal_in_event(*, event: Event, pk: int) -> Recusal:
    return Recusal.objects.select_related("judge__event", "submission").get(
        pk=pk, judge__event=event
    )
