"""The organizer's control room: all venues live, unlocks, paper score imports, login cards."""

import time
import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from events.models import Venue
from events.services import record_audit
from judging.rules import organized_event_or_404
from judging.scoring import selectors
from judging.scoring.chairs import unlock_venue
from judging.scoring.forms import ImportScoresForm, ReasonForm
from judging.scoring.paper import confirm_paper_import, import_paper_scores
from judging.scoring.signin import render_login_cards
from qcexchange import versions


def _live_context(event) -> dict:
    version = poll_version(event)  # read first: a change while rendering shows up next poll
    venues, head = selectors.control_room(event)
    return {"event": event, "venues": venues, "head_hash": head, "version": version}


def poll_version(event) -> str:
    """Return the version the control room shows (every venue bumps it), renewed each minute."""
    version = versions.current(versions.live_key(event.pk))
    return f"{version}.{translation.get_language()}.{int(time.time() // 60)}"


@login_required
def control_room(request, slug):
    event = organized_event_or_404(request.user, slug)
    context = {**_live_context(event), "pending_imports": selectors.pending_paper_imports(event)}
    return render(request, "judging/orga/control_room.html", context)


@login_required
def control_live(request, slug):
    event = organized_event_or_404(request.user, slug)
    if request.headers.get("HX-Request") and request.GET.get("v") == poll_version(event):
        return HttpResponse(status=204)  # nothing changed: htmx keeps what it shows
    return render(request, "judging/orga/_venues.html", _live_context(event))


@login_required
@require_POST
def unlock(request, slug, number):
    event = organized_event_or_404(request.user, slug)
    venue = get_object_or_404(Venue, event=event, number=number)
    form = ReasonForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(_("解锁分会场需要填写原因。"))
        unlock_venue(
            venue=venue, actor=request.user, reason=form.cleaned_data["reason"], request=request
        )
    except ValidationError as error:
        for text in error.messages:
            messages.error(request, text)
    else:
        messages.success(request, _("%(venue)s 已解锁。") % {"venue": venue.name})
    return redirect("judging:control_room", slug=slug)


@login_required
def import_scores(request, slug):
    event = organized_event_or_404(request.user, slug)
    form = ImportScoresForm(request.POST or None, request.FILES or None)
    errors = []
    if request.method == "POST" and form.is_valid():
        try:
            import_paper_scores(event=event, workbook=form.cleaned_data["file"], by=request.user)
        except ValidationError as error:
            errors = error.messages
        else:
            messages.success(request, _("纸质评分已导入，须由另一位组织者复核后才计入结果。"))
            return redirect("judging:import_scores", slug=slug)
    context = {
        "event": event,
        "form": form,
        "errors": errors,
        "pending": selectors.pending_paper_imports(event),
    }
    return render(request, "judging/orga/import_scores.html", context)


@login_required
@require_POST
def confirm_import(request, slug, request_id: uuid.UUID):
    event = organized_event_or_404(request.user, slug)
    try:
        count = confirm_paper_import(event=event, request_id=request_id, by=request.user)
    except ValidationError as error:
        for text in error.messages:
            messages.error(request, text)
    else:
        messages.success(request, _("已复核 %(count)s 张纸质评分卡。") % {"count": count})
    return redirect("judging:import_scores", slug=slug)


@login_required
@require_POST
def login_cards(request, slug):
    event = organized_event_or_404(request.user, slug)
    pdf = render_login_cards(event=event, base_url=request.build_absolute_uri("/"))
    record_audit(actor=request.user, action="judges.login_cards", event=event, request=request)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{event.slug}-login-cards.pdf"'
    return response
