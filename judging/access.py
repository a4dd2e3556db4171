"""Load objects for a request, scoped to the user; anything out of reach is a 404."""

from django.http import Http404
from django.shortcuts import get_object_or_404

from events.models import Event, Venue
from submissions.models import Submission

from . import rules
from .models import PanelSeat, Scorecard


def seat_or_404(user, venue_id: int) -> PanelSeat:
    venue = get_object_or_404(Venue.objects.select_related("event", "category"), pk=venue_id)
    seat = rules.seat_of(user, venue)
    if seat is None:
        raise Http404
    return seat


def chair_seat_or_404(user, venue_id: int) -> PanelSeat:
    seat = seat_or_404(user, venue_id)
    if seat.role != "chair":
        raise Http404
    return seat


def entry_for_judge_or_404(user, submission_id: int) -> tuple[PanelSeat, Submission]:
    """Return the user's seat at the entry's venue and the entry; other venues' entries 404."""
    submission = get_object_or_404(
        Submission.objects.select_related("event", "category", "enterprise"), pk=submission_id
    )
    venue = rules.venue_of(submission)
    seat = rules.seat_of(user, venue) if venue else None
    if seat is None:
        raise Http404
    return seat, submission


def card_for_chair_or_404(user, venue_id: int, card_id: int) -> tuple[PanelSeat, Scorecard]:
    seat = chair_seat_or_404(user, venue_id)
    card = get_object_or_404(
        Scorecard.objects.select_related("judge", "submission").prefetch_related("lines__item"),
        pk=card_id,
        submission__assignment__venue=seat.venue,
    )
    return seat, card


def organized_event_or_404(user, slug: str) -> Event:
    event = get_object_or_404(Event, slug=slug)
    if not rules.is_organizer(user, event):
        raise Http404
    return event
