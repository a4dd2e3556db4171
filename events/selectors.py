"""Reads of events."""

from django.db.models import Count, QuerySet

from .models import Event


def public_events() -> QuerySet[Event]:
    """Return the events shown on the landing page, newest first."""
    return Event.objects.filter(is_public=True).annotate(
        category_count=Count("categories", distinct=True),
        venue_count=Count("venues", distinct=True),
    )


def event_with_programme(*, slug: str) -> Event:
    """Return an event with its categories and venues loaded, or raise Event.DoesNotExist."""
    return Event.objects.prefetch_related("categories", "venues__category", "plenary_items").get(
        slug=slug
    )
