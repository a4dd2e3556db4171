from django.http import FileResponse, Http404
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


def notice_file(request, slug):
    """The event's notice as its organizer uploaded it (a PDF checked by content on upload)."""
    event = Event.objects.filter(slug=slug).first()
    if event is None or not event.notice_file:
        raise Http404
    if not event.is_public and not event.is_staff_member(request.user):
        raise Http404
    try:
        handle = event.notice_file.open("rb")
    except OSError:
        raise Http404 from None
    response = FileResponse(
        handle, filename=f"{event.slug}-notice.pdf", content_type="application/pdf"
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
