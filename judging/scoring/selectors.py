"""Reads of on-site judging: a judge's venue board, the chair's matrix, the control room."""

from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal

from django.db.models import Count, Exists, Max, OuterRef
from django.utils import timezone

from events.enums import VenueMode
from events.models import Event, Venue
from judging import dossiers, recusal
from judging.enums import CardSource, CardStatus, LedgerAction
from judging.models import (
    Judge,
    LedgerEntry,
    PanelSeat,
    ReviewAssignment,
    Scorecard,
    VenueAssignment,
    VenueStatus,
)
from judging.scoring.checks import find_outliers
from judging.scoring.ledger import head_hash
from submissions.enums import AttachmentKind
from submissions.models import Attachment, Submission

IDLE_AFTER = timedelta(minutes=20)


def seats_of(user):
    """Return the user's panel seats, most recent event first."""
    return (
        PanelSeat.objects.filter(judge__user=user)
        .select_related("venue", "venue__event", "venue__category", "judge")
        .order_by("-venue__event__start_date", "venue__number")
    )


def venue_status(venue: Venue) -> VenueStatus:
    status, _ = VenueStatus.objects.select_related("now_presenting").get_or_create(venue=venue)
    return status


def running_order(venue: Venue, *, entries: set[int] | None = None) -> list[VenueAssignment]:
    """Return the venue's assignments in running order (only ``entries`` when given)."""
    if venue.is_written:
        rows = dossiers.written_rows(venue)  # held by the experts' assignments
        return rows if entries is None else [r for r in rows if r.submission_id in entries]
    assignments = VenueAssignment.objects.filter(venue=venue)
    if entries is not None:
        assignments = assignments.filter(submission_id__in=entries)
    return list(
        assignments.select_related(
            "submission", "submission__enterprise", "submission__recommender"
        ).order_by("draw_number", "pk")
    )


def entries_with_report(submission_ids) -> set[int]:
    """Return which of these entries have an uploaded report (the tablet links only those)."""
    return set(
        Attachment.objects.filter(
            submission_id__in=submission_ids, kind=AttachmentKind.REPORT
        ).values_list("submission_id", flat=True)
    )


@dataclass
class BoardRow:
    assignment: VenueAssignment
    recused: bool
    card: Scorecard | None
    presenting: bool
    has_report: bool = False

    @property
    def entry(self) -> Submission:
        return self.assignment.submission


def given_pairs(venue: Venue, entry_ids=None) -> set[tuple[int, int]] | None:
    """Return the (judge id, entry id) pairs of a written review's assignments; None on site,
    where every seated judge scores every entry."""
    if not venue.is_written:
        return None
    reviews = ReviewAssignment.objects.filter(venue=venue)
    if entry_ids is not None:
        reviews = reviews.filter(submission_id__in=entry_ids)
    return set(reviews.values_list("judge_id", "submission_id"))


def venue_board(*, venue: Venue, judge) -> list[BoardRow]:
    """Return the venue's running order as the judge sees it: recusals and their own cards.

    In a written review (书面评审) the expert sees only the dossiers given to them.
    """
    status = venue_status(venue)
    order = running_order(venue)
    if venue.is_written:
        given = set(
            ReviewAssignment.objects.filter(
                venue=venue, judge=judge, submission_id__in=[a.submission_id for a in order]
            ).values_list("submission_id", flat=True)
        )
        order = [a for a in order if a.submission_id in given]
    recused = {
        entry_id
        for _judge_id, entry_id in recusal.recused_pairs(
            event=venue.event, judges=[judge], entries=[a.submission for a in order]
        )
    }
    cards = {
        c.submission_id: c
        for c in Scorecard.objects.filter(judge=judge, sheet__phase__in=dossiers.phases_at(venue))
    }
    reports = entries_with_report([a.submission_id for a in order])
    return [
        BoardRow(
            assignment=a,
            recused=a.submission_id in recused,
            card=cards.get(a.submission_id),
            presenting=a.submission_id == status.now_presenting_id,
            has_report=a.submission_id in reports,
        )
        for a in order
    ]


@dataclass
class MatrixRow:
    entry: Submission
    cells: list[tuple[object, str, Scorecard | None]] = field(default_factory=list)


def completeness(venue: Venue, *, entries: set[int] | None = None) -> tuple[list, list[MatrixRow]]:
    """Return the venue's judges and, per entry, each judge's state: submitted, draft, returned,
    missing, recused, or (a written review) unassigned. ``entries`` keeps only those rows."""
    judges = [
        seat.judge
        for seat in PanelSeat.objects.filter(venue=venue)
        .select_related("judge__affiliation")
        .order_by("judge__code")
    ]
    order = running_order(venue, entries=entries)
    entry_ids = [a.submission_id for a in order]
    recused = recusal.recused_pairs(
        event=venue.event, judges=judges, entries=[a.submission for a in order]
    )
    # Only what the matrix shows: the chair's poll reads these every few seconds.
    cards = {
        (c.judge_id, c.submission_id): c
        for c in Scorecard.objects.filter(
            submission_id__in=entry_ids, sheet__phase__in=dossiers.phases_at(venue)
        ).only("pk", "judge_id", "submission_id", "status", "total")
    }
    given = given_pairs(venue)
    rows = []
    for assignment in order:
        row = MatrixRow(entry=assignment.submission)
        for judge in judges:
            key = (judge.pk, assignment.submission_id)
            card = cards.get(key)
            if key in recused:
                state = "recused"
            elif given is not None and key not in given and card is None:
                state = "unassigned"  # a written review: the dossier is not this expert's
            elif card is None:
                state = "missing"
            else:
                state = card.status
            row.cells.append((judge, state, card))
        rows.append(row)
    return judges, rows


def entries_with_cards_since(venue: Venue, since) -> set[int]:
    """Return the entries at the venue with a card written, submitted or returned since then."""
    cards = Scorecard.objects.filter(
        updated_at__gte=since, sheet__phase__in=dossiers.phases_at(venue)
    )
    if venue.is_written:  # the dossiers the panel's experts were given
        cards = cards.filter(submission__review_assignments__venue=venue)
    else:
        cards = cards.filter(submission__assignment__venue=venue)
    return set(cards.order_by().values_list("submission_id", flat=True).distinct())


def venue_outliers(venue: Venue) -> list:
    """Return the submitted cards far from their panel (per item or in total) at the venue."""
    cards = (
        Scorecard.objects.filter(
            submission_id__in=[a.submission_id for a in running_order(venue)],
            sheet__phase__in=dossiers.phases_at(venue),
            status=CardStatus.SUBMITTED,
        )
        .select_related("judge", "submission", "sheet")
        .prefetch_related("lines__item")
    )
    by_entry: dict[int, dict] = {}
    floors: dict[int, dict[str, Decimal]] = {}
    for card in cards:
        by_entry.setdefault(card.submission_id, {})[card] = {
            line.item.code: line.points for line in card.lines.all()
        }
        floors[card.submission_id] = {
            line.item.code: line.item.step for line in card.lines.all()
        } | {"总分": Decimal("1")}
    multiple = venue.event.outlier_mad_multiple
    found = []
    for entry_id, panel in by_entry.items():
        found.extend(find_outliers(panel, multiple=multiple, floors=floors[entry_id]))
    return sorted(found, key=lambda o: (o.card.submission.code, o.card.judge.code, o.item))


@dataclass
class VenueProgress:
    venue: Venue
    status: VenueStatus
    entries: int
    expected: int
    submitted: int
    idle_judges: list


def control_room(event: Event) -> tuple[list[VenueProgress], str]:
    """Return every venue's live progress and the ledger's head hash."""
    now = timezone.now()
    venues = list(
        Venue.objects.filter(event=event)
        .select_related("status", "status__now_presenting")
        .annotate(entries=Count("assignments", distinct=True))
        .order_by("number")
    )
    seats = PanelSeat.objects.filter(venue__event=event).select_related("judge__affiliation")
    judges_by_venue: dict[int, list] = {}
    for seat in seats:
        judges_by_venue.setdefault(seat.venue_id, []).append(seat.judge)
    last_activity = dict(
        Scorecard.objects.filter(judge__event=event)
        .values("judge_id")
        .annotate(last=Max("updated_at"))
        .values_list("judge_id", "last")
    )
    submitted = dict(
        Scorecard.objects.filter(
            judge__event=event,
            status=CardStatus.SUBMITTED,
            submission__assignment__venue__mode=VenueMode.ONSITE,
            sheet__phase__in=dossiers.ONSITE_PHASES,
        )
        .values("submission__assignment__venue_id")
        .annotate(n=Count("pk"))
        .values_list("submission__assignment__venue_id", "n")
    )
    submitted |= _written_submitted(event)
    entries_by_venue: dict[int, list] = {}
    for assignment in VenueAssignment.objects.filter(
        venue__event=event, venue__mode=VenueMode.ONSITE
    ).select_related("submission__enterprise", "submission__recommender"):
        entries_by_venue.setdefault(assignment.venue_id, []).append(assignment.submission)
    written_entries = dossiers.dossier_ids_by_venue(event_id=event.pk)
    written_rows = Submission.objects.select_related("enterprise", "recommender").in_bulk(
        [pk for ids in written_entries.values() for pk in ids]
    )
    for venue_id, ids in written_entries.items():
        entries_by_venue[venue_id] = [written_rows[pk] for pk in ids]
    recused_by_venue = recusal.recused_pairs_by_venue(
        event=event, judges_by_venue=judges_by_venue, entries_by_venue=entries_by_venue
    )
    recused = {venue_id: len(pairs) for venue_id, pairs in recused_by_venue.items()}
    # A written review expects a card for each assignment of a seated expert, recusals aside.
    expected_written: dict[int, int] = {}
    seated = {(j.pk, v) for v, judges in judges_by_venue.items() for j in judges}
    for judge_id, entry_id, venue_id in ReviewAssignment.objects.filter(
        venue__event=event
    ).values_list("judge_id", "submission_id", "venue_id"):
        if (judge_id, venue_id) in seated and (judge_id, entry_id) not in recused_by_venue.get(
            venue_id, ()
        ):
            expected_written[venue_id] = expected_written.get(venue_id, 0) + 1
    progress = []
    for venue in venues:
        status = getattr(venue, "status", None) or VenueStatus(venue=venue)
        judges = judges_by_venue.get(venue.pk, [])
        idle = [
            judge
            for judge in judges
            if status.presenting_since is not None
            and (last_activity.get(judge.pk) or status.presenting_since) < now - IDLE_AFTER
        ]
        progress.append(
            VenueProgress(
                venue=venue,
                status=status,
                entries=len(written_entries[venue.pk]) if venue.is_written else venue.entries,
                expected=expected_written.get(venue.pk, 0)
                if venue.is_written
                else venue.entries * len(judges) - recused.get(venue.pk, 0),
                submitted=submitted.get(venue.pk, 0),
                idle_judges=idle,
            )
        )
    return progress, head_hash(event)


def _written_submitted(event: Event) -> dict[int, int]:
    """Return written venue id -> the submitted cards of its assignments (written phase)."""
    done = Scorecard.objects.filter(
        judge_id=OuterRef("judge_id"),
        submission_id=OuterRef("submission_id"),
        status=CardStatus.SUBMITTED,
        sheet__phase__in=dossiers.WRITTEN_PHASES,
    )
    return dict(
        ReviewAssignment.objects.filter(venue__event=event)
        .filter(Exists(done))
        .values("venue_id")
        .annotate(n=Count("pk"))
        .values_list("venue_id", "n")
    )


def pending_paper_imports(event: Event) -> list[dict]:
    """Return paper imports awaiting a second organizer: request id, importer, cards."""
    rows: dict = {}
    entries = (
        LedgerEntry.objects.filter(
            event=event,
            action=LedgerAction.IMPORT,
            card__source=CardSource.PAPER,
            card__confirmed_by__isnull=True,
            card__status=CardStatus.SUBMITTED,
        )
        .select_related("actor", "card__judge", "card__submission")
        .order_by("seq")
    )
    for entry in entries:
        row = rows.setdefault(
            entry.request_id,
            {
                "request_id": entry.request_id,
                "by": entry.actor,
                "at": entry.created_at,
                "cards": [],
            },
        )
        row["cards"].append(entry.card)
    return list(rows.values())


def missing_cards(venue: Venue) -> list[tuple[Judge, Submission]]:
    """Return the (judge, entry) pairs of the venue without a submitted card, recusals excepted;
    in a written review only the pairs of its assignments."""
    judges = [
        seat.judge
        for seat in PanelSeat.objects.filter(venue=venue).select_related("judge__affiliation")
    ]
    entries = [a.submission for a in running_order(venue)]
    recused = recusal.recused_pairs(event=venue.event, judges=judges, entries=entries)
    submitted = set(
        Scorecard.objects.filter(
            submission__in=entries,
            status=CardStatus.SUBMITTED,
            sheet__phase__in=dossiers.phases_at(venue),
        ).values_list("judge_id", "submission_id")
    )
    given = given_pairs(venue)
    return [
        (judge, entry)
        for entry in entries
        for judge in judges
        if (judge.pk, entry.pk) not in recused
        and (judge.pk, entry.pk) not in submitted
        and (given is None or (judge.pk, entry.pk) in given)
    ]
