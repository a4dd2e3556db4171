from django.http import Http404
from django.shortcuts import render

from qcexchange.pagecache import event_version_keys, shared_page

from . import selectors
from .models import Event


def home(request):
    return render(request, "events/home.html", {"events": selectors.public_events()})


@shared_page(event_version_keys)
def event_detail(request, slug):
    try:
        event = selectors.event_with_programme(slug=slug)
    except Event.DoesNotExist:
        raise Http404 from None
    if not event.is_public and not event.is_staff_member(request.user):
        raise Http404
    return render(
        request,
        "events/detail.html",
        {"event": event, "categories": event.categories.all(), "venues": event.venues.all()},
    )
