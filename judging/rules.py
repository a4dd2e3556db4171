"""Who may do what in judging: plain predicates scoped to one venue or event, and the
look-ups that load a request's objects through them (anything out of reach is a 404)."""

from django.db.models import Exists, F, OuterRef, Q
from django.http import Http404
from django.shortcuts import get_object_or_404

from events.enums import VenueMode
from events.models import Event, Venue
from judging import dossiers
from judging.enums import SeatRole
from judging.models import PanelSeat, Recusal, ReviewAssignment, Scorecard, VenueAssignment
from qcexchange.prepared import Prepared
from submissions.models import Submission


def seat_of(user, venue: Venue) -> PanelSeat | None:
    """Return the user's seat on the venue's panel, or None."""
    if not getattr(user, "is_authenticated", False):
        return None
    return (
        PanelSeat.objects.select_related("judge", "venue")
        .filter(venue=venue, judge__user=user, judge__event_id=venue.event_id)
        .first()
    )


def is_seated(user, venue: Venue) -> bool:
    return seat_of(user, venue) is not None


def is_chair(user, venue: Venue) -> bool:
    seat = seat_of(user, venue)
    return seat is not None and seat.role == SeatRole.CHAIR


def is_organizer(user, event: Event) -> bool:
    return event.is_staff_member(user)


def is_recused(judge, submission: Submission) -> bool:
    """Whether the judge must stand aside: a stored recusal or the event's rules, now."""
    from judging.recusal import recusal_source

    return recusal_source(judge, submission) is not None


def venue_of(submission: Submission) -> Venue | None:
    assignment = (
        VenueAssignment.objects.select_related("venue").filter(submission=submission).first()
    )
    return assignment.venue if assignment else None


def can_view_entry(user, submission: Submission) -> bool:
    """A judge sees the entries of their venue except those they are recused from (and, in a
    written review, those not given to them)."""
    try:
        seat, _submission = entry_for_judge_or_404(user, submission.pk)
    except Http404:
        return False
    return not is_recused(seat.judge, submission)


def can_see_card(user, card: Scorecard) -> bool:
    """A judge sees only their own cards; the chair sees the cards of their venue."""
    if card.judge.user_id == getattr(user, "pk", None):
        return True
    venue = dossiers.venue_of_card(card)
    return venue is not None and is_chair(user, venue)


def enterprise_of(user):
    """Return the enterprise a user acts for, or None."""
    if not getattr(user, "is_authenticated", False):
        return None
    membership = getattr(user, "membership", None)
    return membership.enterprise if membership else None


def results_are_final(event: Event) -> bool:
    publication = getattr(event, "publication", None)
    return bool(publication and publication.is_final)


def can_download_certificate(user, certificate) -> bool:
    """Organizers of the event; the entry's enterprise once the results are final."""
    if is_organizer(user, certificate.event):
        return True
    enterprise = enterprise_of(user)
    return bool(
        enterprise
        and certificate.submission.enterprise_id == enterprise.pk
        and results_are_final(certificate.event)
    )


# Look-ups for views: load an object for a request, scoped to the user.


def seat_or_404(user, venue_id: int) -> PanelSeat:
    """Return the user's seat at the venue (its venue, event and category loaded) in one query."""
    if not getattr(user, "is_authenticated", False):
        raise Http404
    seat = (
        PanelSeat.objects.select_related("judge", "venue__event", "venue__category")
        .filter(venue_id=venue_id, judge__user=user, judge__event_id=F("venue__event_id"))
        .first()
    )
    if seat is None:
        raise Http404
    return seat


def chair_venue_or_404(user, venue_id: int) -> Venue:
    """Return the venue the user chairs, with only its id and event id (one light query): what
    a chair's poll needs to compare versions before it loads anything."""
    if not getattr(user, "is_authenticated", False):
        raise Http404
    event_id = (
        PanelSeat.objects.filter(
            venue_id=venue_id,
            judge__user=user,
            role=SeatRole.CHAIR,
            judge__event_id=F("venue__event_id"),
        )
        .order_by()
        .values_list("judge__event_id", flat=True)
        .first()
    )
    if event_id is None:
        raise Http404
    return Venue(pk=venue_id, event_id=event_id)


def chair_seat_or_404(user, venue_id: int) -> PanelSeat:
    seat = seat_or_404(user, venue_id)
    if seat.role != "chair":
        raise Http404
    return seat


def entry_for_judge_or_404(user, submission_id: int) -> tuple[PanelSeat, Submission]:
    """Return the user's seat at the entry's venue and the entry; other venues' entries 404,
    and so do the dossiers of a written review (书面评审) not given to the expert.

    Every submit starts here, so each join must earn its place (PostgreSQL plans a query in
    time that grows with its joins): the seat where the entry is placed on site or, in a
    written review, the seat of the expert's own assignment, with the judge and the venue's
    event; then the entry, with the enterprise and recommender the recusal rules read and
    whether a recusal is stored for the pair. The judge's affiliation loads on first use.
    """
    if not getattr(user, "is_authenticated", False):
        raise Http404
    # The usual case first: the on-site venue where the entry is placed.
    seat = _ONSITE_SEAT.first(user_id=user.pk, submission_id=submission_id)
    if seat is None or seat.judge.event_id != seat.venue.event_id:
        seat = _seat_in_writing_or_404(user, submission_id)
    submission = _entry_for_seat(seat, submission_id)
    if submission is not None and submission.reading and seat.venue.mode == VenueMode.ONSITE:
        # Given to the judge to read in writing too (a nomination's defence): the panel
        # where the judge scores it now.
        seat = _seat_in_writing_or_404(user, submission_id)
        submission = _entry_for_seat(seat, submission_id)
    if submission is None:
        raise Http404
    submission.event = seat.venue.event
    # What the submit need not ask again (judging.scoring.services.found_for).
    seat.checked_entry_id = submission.pk
    seat.checked_stored_recusal = submission.judge_recused
    seat.checked_no_card = not submission.judge_card
    return seat, submission


def _entry_for_seat(seat: PanelSeat, submission_id: int) -> Submission | None:
    """Return the entry of the seat's event with what a submit checks riding along: whether a
    recusal is stored for the pair, whether the judge was given it to read in writing and
    whether the judge has a card for it yet (a draft, say)."""
    return _ENTRY_FOR_SEAT.first(
        judge_id=seat.judge_id, submission_id=submission_id, event_id=seat.venue.event_id
    )


# The two look-ups every submit makes, compiled once (qcexchange.prepared).
_ONSITE_SEAT = Prepared(
    lambda user_id, submission_id: (
        PanelSeat.objects.select_related("judge", "venue__event")
        .filter(
            venue__mode=VenueMode.ONSITE,
            venue__assignments__submission_id=submission_id,
            judge__user_id=user_id,
        )
        .order_by()[:1]
    ),
    "user_id",
    "submission_id",
)
_ENTRY_FOR_SEAT = Prepared(
    lambda judge_id, submission_id, event_id: (
        Submission.objects.select_related("enterprise", "recommender")
        .annotate(
            judge_recused=Exists(
                Recusal.objects.filter(judge_id=judge_id, submission_id=OuterRef("pk"))
            ),
            reading=Exists(
                ReviewAssignment.objects.filter(judge_id=judge_id, submission_id=OuterRef("pk"))
            ),
            judge_card=Exists(
                Scorecard.objects.filter(judge_id=judge_id, submission_id=OuterRef("pk"))
            ),
        )
        .filter(pk=submission_id, event_id=event_id)
        .order_by()[:1]
    ),
    "judge_id",
    "submission_id",
    "event_id",
)


def _seat_in_writing_or_404(user, submission_id: int) -> PanelSeat:
    """Return the seat of a judge given the entry in a written review (书面评审), or, seated on
    both the written panel and the entry's on-site venue, the one where the judge scores it
    now (judging.dossiers); 404 when the judge has neither."""
    seats = list(
        PanelSeat.objects.select_related("judge", "venue__event")
        .filter(
            # On site: the venue where the entry is placed; in writing: the panel of the
            # expert's own assignment (the entry may be placed on site for its defence).
            Q(venue__mode=VenueMode.ONSITE, venue__assignments__submission_id=submission_id)
            | Q(
                venue__review_assignments__submission_id=submission_id,
                venue__review_assignments__judge_id=F("judge_id"),
            ),
            judge__user=user,
            judge__event_id=F("venue__event_id"),
        )
        .order_by()
        .distinct()[:2]
    )
    if not seats:
        raise Http404
    seat = seats[0]
    if len(seats) > 1:  # on both panels of the entry: the one where the judge scores it now
        where = dossiers.scoring_venue(seat.judge, submission_id)
        seat = next((s for s in seats if s.venue_id == getattr(where, "pk", None)), seat)
    return seat


def card_for_chair_or_404(user, venue_id: int, card_id: int) -> tuple[PanelSeat, Scorecard]:
    seat = chair_seat_or_404(user, venue_id)
    venue = seat.venue
    at_venue = (
        Q(
            submission__review_assignments__venue=venue,
            submission__review_assignments__judge_id=F("judge_id"),
        )
        if venue.is_written
        else Q(submission__assignment__venue=venue)
    )
    card = get_object_or_404(
        Scorecard.objects.select_related("judge", "submission").prefetch_related("lines__item"),
        at_venue,
        pk=card_id,
        sheet__phase__in=dossiers.phases_at(venue),
    )
    return seat, card


def organized_event_or_404(user, slug: str) -> Event:
    event = get_object_or_404(Event, slug=slug)
    if not is_organizer(user, event):
        raise Http404
    return event
