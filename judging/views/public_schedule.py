"""The public schedule: every venue's running order side by side, searchable, phone-sized."""

from django.http import Http404
from django.shortcuts import get_object_or_404, render

from events.models import Event

from ..schedule_selectors import public_schedule


def schedule(request, slug):
    event = get_object_or_404(Event, slug=slug)
    if not event.is_public and not event.is_staff_member(request.user):
        raise Http404
    query = request.GET.get("q", "")[:60]
    boards = public_schedule(event=event, query=query)
    context = {
        "event": event,
        "boards": boards,
        "query": query,
        "hits": sum(len(b.rows) for b in boards),
    }
    return render(request, "judging/schedule/public.html", context)
