"""Where a nomination is read in writing and where it is judged on site.

A written-review panel (书面评审) holds its dossiers through the experts' ReviewAssignment
rows (``ReviewAssignment.venue``); a dossier no expert has been given yet is held by its
VenueAssignment when that names a written venue, else it waits in its category's written
panels (spread by code when there are several). So the VenueAssignment of a nomination is
free to place it at an on-site venue for a defence or skills test, its second phase.

A judge scores an entry at one venue: the written panel of their review assignment while
that panel is open (or when they sit on no on-site panel of the entry), else the entry's
on-site venue. The written phase is scored on the category's documents sheet when it has
one; the on-site phase on its presentation sheet, else its on-site sheet.
"""

from __future__ import annotations

from collections import defaultdict

from events.enums import VenueMode
from events.models import Venue
from judging.enums import Phase
from judging.models import ReviewAssignment, VenueAssignment, VenueStatus
from submissions.enums import Status
from submissions.models import Submission

WRITTEN_PHASES = (Phase.DOCUMENTS, Phase.PRESENTATION)  # wanted first, then the fallback
ONSITE_PHASES = (Phase.PRESENTATION, Phase.ONSITE)


def phases_at(venue: Venue) -> tuple[str, ...]:
    """Return the phases whose sheet a venue scores on, the wanted one first."""
    return WRITTEN_PHASES if venue.is_written else ONSITE_PHASES


def held_by_written(*, event_id: int, category_ids=None) -> dict[int, int]:
    """Return submission id -> the written venue holding it (by assignment or placement)."""
    reviews = ReviewAssignment.objects.filter(venue__event_id=event_id)
    placed = VenueAssignment.objects.filter(venue__event_id=event_id, venue__mode=VenueMode.WRITTEN)
    if category_ids is not None:
        reviews = reviews.filter(venue__category_id__in=category_ids)
        placed = placed.filter(venue__category_id__in=category_ids)
    held = dict(placed.values_list("submission_id", "venue_id"))
    # The experts' assignments win: that is where the dossier is read.
    held.update(reviews.order_by("venue_id").values_list("submission_id", "venue_id"))
    return held


def dossier_ids_by_venue(*, event_id: int, category_ids=None) -> dict[int, list[int]]:
    """Return each written venue's dossiers (submission ids, by code) of the event.

    A written venue holds what its experts were given and what was placed there; the admitted
    nominations of its category that no written venue holds yet are dealt over the category's
    written venues in the order of their codes (the first venue takes the first dossier).
    """
    venues = Venue.objects.filter(event_id=event_id, mode=VenueMode.WRITTEN)
    if category_ids is not None:
        venues = venues.filter(category_id__in=category_ids)
    by_category: dict[int, list[int]] = defaultdict(list)
    for venue_id, category_id in venues.order_by("number").values_list("pk", "category_id"):
        by_category[category_id].append(venue_id)
    out: dict[int, list[int]] = {v: [] for ids in by_category.values() for v in ids}
    if not out:
        return out
    held = held_by_written(event_id=event_id, category_ids=list(by_category))
    rows = (
        Submission.objects.filter(event_id=event_id, category_id__in=list(by_category))
        .order_by("code")
        .values_list("pk", "category_id", "status")
    )
    waiting: dict[int, int] = defaultdict(int)
    for pk, category_id, status in rows:
        venue_id = held.get(pk)
        if venue_id is None:
            if status != Status.ADMITTED:
                continue
            ids = by_category[category_id]
            venue_id = ids[waiting[category_id] % len(ids)]
            waiting[category_id] += 1
        if venue_id in out:
            out[venue_id].append(pk)
    return out


def dossier_ids(venue: Venue) -> list[int]:
    """Return the written venue's dossiers (submission ids, by code)."""
    if not venue.is_written:
        return []
    return dossier_ids_by_venue(event_id=venue.event_id, category_ids=[venue.category_id]).get(
        venue.pk, []
    )


def written_rows(venue: Venue) -> list[VenueAssignment]:
    """Return a written venue's dossiers as rows of an order, numbered by code.

    A dossier placed there keeps its stored row; the others get an unsaved one (a written
    review has no draw, slots or times to store).
    """
    ids = dossier_ids(venue)
    stored = {
        a.submission_id: a
        for a in VenueAssignment.objects.filter(venue=venue, submission_id__in=ids)
    }
    entries = Submission.objects.select_related("enterprise", "recommender", "category").in_bulk(
        ids
    )
    rows = []
    for number, pk in enumerate(ids, start=1):
        row = stored.get(pk) or VenueAssignment(venue=venue, submission_id=pk)
        row.submission = entries[pk]
        row.venue = venue
        row.draw_number = number
        rows.append(row)
    return rows


def review_to_score(judge, submission) -> ReviewAssignment | None:
    """Return the judge's review assignment of the entry when the judge scores it in writing
    now: while that panel is open, or when the judge sits on no on-site panel of the entry."""
    review = (
        ReviewAssignment.objects.select_related("venue__event", "venue__category")
        .filter(judge=judge, submission=submission)
        .first()
    )
    if review is None:
        return None
    onsite = VenueAssignment.objects.filter(
        submission=submission, venue__mode=VenueMode.ONSITE, venue__seats__judge=judge
    )
    if not onsite.exists():
        return review
    locked = VenueStatus.objects.filter(venue=review.venue, locked_at__isnull=False).exists()
    return None if locked else review


def scoring_venue(judge, submission) -> Venue | None:
    """Return the venue where the judge scores the entry now, or None when there is none:
    the written panel of their assignment (see review_to_score), else the entry's venue."""
    review = review_to_score(judge, submission)
    if review is not None:
        return review.venue
    placed = (
        VenueAssignment.objects.select_related("venue__event", "venue__category")
        .filter(submission=submission)
        .first()
    )
    return placed.venue if placed is not None else None


def venue_of_card(card) -> Venue | None:
    """Return the venue a card belongs to: the written panel of its judge's assignment when
    it is on the documents sheet (or the entry has no on-site venue), else the entry's venue."""
    review = (
        ReviewAssignment.objects.select_related("venue")
        .filter(judge_id=card.judge_id, submission_id=card.submission_id)
        .first()
    )
    placed = (
        VenueAssignment.objects.select_related("venue")
        .filter(submission_id=card.submission_id)
        .first()
    )
    onsite = placed.venue if placed is not None and not placed.venue.is_written else None
    if review is not None and (onsite is None or card.sheet.phase == Phase.DOCUMENTS):
        return review.venue
    return placed.venue if placed is not None else None
