"""Reads of events."""

from django.db.models import Count, Prefetch, QuerySet

from .models import Event


def public_events() -> QuerySet[Event]:
    """Return the events shown on the landing page, newest first."""
    return Event.objects.filter(is_public=True).annotate(
        category_count=Count("categories", distinct=True),
        venue_count=Count("venues", distinct=True),
    )


def event_with_programme(*, slug: str) -> Event:
    """Return an event with its categories, venues, the event it was announced at and the
    public contests announced at it (``public_contests``) loaded, or raise Event.DoesNotExist."""
    contests = Event.objects.filter(is_public=True).order_by("start_date", "slug")
    return (
        Event.objects.select_related("announced_at")
        .prefetch_related(
            "categories",
            "venues__category",
            "plenary_items",
            Prefetch("announced_events", queryset=contests, to_attr="public_contests"),
        )
        .get(slug=slug)
    )
