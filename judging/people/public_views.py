"""The public participation figures of an event, loaded into its page."""

from django.shortcuts import get_object_or_404, render

from events.models import Event
from judging.people import selectors


def participation(request, slug):
    event = get_object_or_404(Event, slug=slug, is_public=True)
    context = {"event": event, "figures": selectors.participation_of(event)}
    return render(request, "judging/people/_participation.html", context)
