"""Public pages of the published results: the benchmark lists and the objection form."""

from django.conf import settings
from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _

from events.models import Event
from judging.awards.forms import ObjectionForm
from judging.awards.publication import (
    file_objection,
    notice_open,
    public_lists,
    visible_publication,
)
from judging.awards.services import AwardError
from judging.models import Publication


def _published(slug):
    event = Event.objects.filter(slug=slug).first()
    publication = visible_publication(event) if event else None
    if publication is None:
        raise Http404
    return event, publication


def results(request, slug):
    event = get_object_or_404(Event, slug=slug)
    publication = visible_publication(event)
    if publication is None:
        # Before publication the page says when the results come, instead of a dead end.
        upcoming = Publication.objects.filter(event=event).only("notice_starts").first()
        context = {"event": event, "notice_starts": upcoming.notice_starts if upcoming else None}
        return render(request, "judging/public/results_pending.html", context)
    query = request.GET.get("q", "")[:60]
    context = {
        "event": event,
        "publication": publication,
        # Read only when the list shared by all readers has expired (see the template's cache).
        "lists": SimpleLazyObject(lambda: public_lists(publication, query=query)),
        "cache_seconds": settings.QCX_PUBLIC_CACHE_SECONDS,
        "query": query,
        "show_scores": event.show_scores_publicly,
        "open": notice_open(publication),
    }
    return render(request, "judging/public/results.html", context)


def objection(request, slug):
    event, publication = _published(slug)
    if not notice_open(publication):
        raise Http404
    form = ObjectionForm(
        request.POST or None,
        request.FILES or None,
        max_mb=event.upload_max_mb,
        initial={"code": request.GET.get("code", "")},
    )
    if request.method == "POST" and form.is_valid():
        try:
            file_objection(event=event, **form.cleaned_data)
        except AwardError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("异议已提交，组织方将逐条答复。"))
            return redirect("awards_public:results", slug=event.slug)
    context = {"event": event, "publication": publication, "form": form}
    return render(request, "judging/public/results_objection.html", context)
