"""The public schedule: every venue's running order side by side, searchable, phone-sized."""

from django.conf import settings
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.utils.functional import SimpleLazyObject

from events.models import Event
from judging.schedule.selectors import public_schedule
from qcexchange import versions
from qcexchange.pagecache import event_version_keys, shared_page


def _visible_event(request, slug) -> Event:
    event = get_object_or_404(Event, slug=slug)
    if not event.is_public and not event.is_staff_member(request.user):
        raise Http404
    return event


@shared_page(event_version_keys)
def schedule(request, slug):
    event = _visible_event(request, slug)
    query = request.GET.get("q", "")[:60]
    # Read only when the board shared by all readers has expired (see the template's cache).
    boards = SimpleLazyObject(lambda: public_schedule(event=event, query=query))
    hits = SimpleLazyObject(lambda: sum(len(b.rows) for b in boards))
    context = {
        "event": event,
        "boards": boards,
        "query": query,
        "hits": hits,
        "cache_seconds": settings.QCX_PUBLIC_CACHE_SECONDS,
        # Part of the board's cache key: a new assignment or running order renews it at once.
        "version": versions.current(versions.event_key(event.pk)),
    }
    return render(request, "judging/schedule/public.html", context)


@shared_page(event_version_keys)
def live(request, slug):
    """Return who presents now and next at each venue, for the page to refresh itself."""
    event = _visible_event(request, slug)
    venues = {}
    for board in public_schedule(event=event):
        venues[board.venue.number] = {
            "now": _entry(board.now),
            "next": _entry(board.next),
        }
    return JsonResponse({"venues": venues})


def _entry(assignment):
    if assignment is None:
        return None
    submission = assignment.submission
    return {
        "code": submission.code,
        "group": submission.group_name,
        "enterprise": submission.enterprise.name,
        "draw_number": assignment.draw_number,
    }
