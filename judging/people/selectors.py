"""Reads of the people on site: sessions, attendance per session, participation figures."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q
from django.utils.translation import gettext as _

from events.enums import VenueMode
from events.models import Event, Venue
from judging.enums import JobKind, JobStatus
from judging.models import CheckIn, RenderJob
from judging.models.people import PLENARY, session_key
from judging.people.participation import Participation, Person, participation
from submissions.models import Delegate


@dataclass(frozen=True)
class SessionRow:
    key: str
    label: str
    venue: Venue | None
    registered: int
    arrived: int
    capacity: int | None

    @property
    def percent(self) -> int:
        return round(100 * self.arrived / self.registered) if self.registered else 0


def sessions(event: Event) -> list[tuple[str, str, Venue | None]]:
    """Return the event's sessions: the plenary, then each venue."""
    rows: list[tuple[str, str, Venue | None]] = [(PLENARY, _("大会"), None)]
    # A written review (书面评审) has no room: nobody checks in to it.
    for venue in (
        event.venues.exclude(mode=VenueMode.WRITTEN).select_related("category").order_by("number")
    ):
        rows.append((session_key(venue), str(venue), venue))
    return rows


def venue_of_session(event: Event, key: str) -> tuple[bool, Venue | None]:
    """Return whether a session key is the event's, and its venue (None for the plenary)."""
    if key == PLENARY:
        return True, None
    number = key.removeprefix("venue-")
    if not number.isdigit():
        return False, None
    venue = Venue.objects.filter(event=event, number=int(number)).first()
    return venue is not None, venue


def attendance(event: Event) -> list[SessionRow]:
    """Return registered and arrived delegates per session (three queries)."""
    arrived = dict(
        CheckIn.objects.filter(event=event)
        .values_list("session")
        .annotate(n=Count("pk"))
        .values_list("session", "n")
    )
    active = Delegate.objects.filter(event=event, revoked=False)
    plenary = active.filter(attends_plenary=True).count()
    per_venue = dict(
        Venue.objects.filter(event=event)
        .annotate(n=Count("delegates", filter=Q(delegates__revoked=False)))
        .values_list("pk", "n")
    )
    rows = []
    for key, label, venue in sessions(event):
        registered = plenary if venue is None else per_venue.get(venue.pk, 0)
        capacity = event.delegate_capacity if venue is None else venue.capacity
        rows.append(SessionRow(key, label, venue, registered, arrived.get(key, 0), capacity))
    return rows


def participation_of(event: Event) -> Participation:
    """Return the participation figures of an event from its registrations and check-ins."""
    arrived = set(CheckIn.objects.filter(event=event).values_list("delegate_id", flat=True))
    rows = (
        Delegate.objects.filter(event=event, revoked=False)
        .values_list("pk", "organization", "organization_kind", "province", "kind")
        .order_by()
    )
    return participation(
        Person(pk, organization, org_kind, province, kind, pk in arrived)
        for pk, organization, org_kind, province, kind in rows
    )


def latest_badges(*, event) -> RenderJob | None:
    """Return the last finished badge job with a file, if any."""
    return (
        RenderJob.objects.filter(event=event, kind=JobKind.BADGES, status=JobStatus.DONE)
        .exclude(output="")
        .order_by("-finished_at", "-pk")
        .first()
    )
