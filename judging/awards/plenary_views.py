"""The plenary: the organizer edits the showcase and the programme; the public page shows both."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from events.models import Event
from judging.awards.plenary_forms import PlenaryFormSet, ShowcaseFormSet
from judging.awards.plenary_services import save_plenary, save_showcase
from judging.models import Showcase
from judging.rules import organized_event_or_404


def _showcase(event):
    return Showcase.objects.filter(event=event).select_related(
        "submission__enterprise", "submission__category", "commenting_judge"
    )


@login_required
def showcase(request, slug):
    event = organized_event_or_404(request.user, slug)
    formset = ShowcaseFormSet(
        request.POST or None, queryset=_showcase(event), form_kwargs={"event": event}
    )
    if request.method == "POST" and formset.is_valid():
        count = save_showcase(event=event, formset=formset, user=request.user, request=request)
        messages.success(request, _("已保存 %(count)s 项大会展示") % {"count": count})
        return redirect("plenary:showcase", slug=slug)
    return render(request, "judging/plenary/showcase.html", {"event": event, "formset": formset})


@login_required
def programme(request, slug):
    event = organized_event_or_404(request.user, slug)
    formset = PlenaryFormSet(
        request.POST or None, queryset=event.plenary_items.order_by("order", "pk")
    )
    if request.method == "POST" and formset.is_valid():
        save_plenary(event=event, formset=formset, user=request.user, request=request)
        messages.success(request, _("大会议程已保存"))
        return redirect("plenary:programme", slug=slug)
    return render(request, "judging/plenary/programme.html", {"event": event, "formset": formset})


def public(request, slug):
    event = get_object_or_404(Event, slug=slug, is_public=True)
    publication = getattr(event, "publication", None)
    context = {
        "event": event,
        "items": event.plenary_items.order_by("order", "starts_at", "pk"),
        # The showcase names results: shown once the results are published.
        "showcase": _showcase(event).order_by("order") if publication else [],
    }
    return render(request, "judging/plenary/public.html", context)
