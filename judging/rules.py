"""Who may do what in judging: plain predicates, each scoped to one venue or event."""

from events.models import Event, Venue
from submissions.models import Submission

from .enums import SeatRole
from .models import PanelSeat, Recusal, Scorecard, VenueAssignment


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
    return Recusal.objects.filter(judge=judge, submission=submission).exists()


def venue_of(submission: Submission) -> Venue | None:
    assignment = (
        VenueAssignment.objects.select_related("venue").filter(submission=submission).first()
    )
    return assignment.venue if assignment else None


def can_view_entry(user, submission: Submission) -> bool:
    """A judge sees the entries of their venue except those they are recused from."""
    venue = venue_of(submission)
    if venue is None:
        return False
    seat = seat_of(user, venue)
    return seat is not None and not is_recused(seat.judge, submission)


def can_see_card(user, card: Scorecard) -> bool:
    """A judge sees only their own cards; the chair sees the cards of their venue."""
    if card.judge.user_id == getattr(user, "pk", None):
        return True
    venue = venue_of(card.submission)
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
