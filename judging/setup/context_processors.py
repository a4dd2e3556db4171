"""The roles the navigation shows a signed-in user, read in one query when a page needs them."""

from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef
from django.utils.functional import SimpleLazyObject

from events.models import Event
from judging.models import Judge


def _roles(user) -> dict:
    if user.is_superuser:
        return {"judge": Judge.objects.filter(user=user).exists(), "organizer": True}
    return (
        get_user_model()
        .objects.filter(pk=user.pk)
        .annotate(
            judge=Exists(Judge.objects.filter(user=OuterRef("pk"))),
            organizer=Exists(Event.objects.filter(staff=OuterRef("pk"))),
        )
        .values("judge", "organizer")
        .get()
    )


def navigation_roles(request) -> dict:
    """Add ``nav_roles`` (``judge``, ``organizer``) for the top bar's role entries."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"nav_roles": SimpleLazyObject(lambda: _roles(user))}
