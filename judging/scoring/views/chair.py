"""The chair's venue page (completeness, presentation control, return, lock) and the big screen."""

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from events.models import Venue
from judging.models import AnchorKind
from judging.rules import card_for_chair_or_404, chair_seat_or_404
from judging.scoring import selectors
from judging.scoring.anchors import latest_anchor
from judging.scoring.forms import LockForm, ReasonForm
from judging.scoring.ledger import chain_of
from judging.scoring.services import advance_presenting, lock_venue, missing_cards, return_scorecard


def presenting_context(venue: Venue) -> dict:
    """Return who presents now at the venue and the seconds left of their slot."""
    status = selectors.venue_status(venue)
    remaining = None
    if status.presenting_since:
        slot = venue.category.slot_total_minutes * 60
        remaining = int(slot - (timezone.now() - status.presenting_since).total_seconds())
    return {"venue": venue, "status": status, "remaining": remaining}


@login_required
def panel(request, venue_id):
    seat = chair_seat_or_404(request.user, venue_id)
    context = {
        **_matrix_context(seat),
        "missing": missing_cards(seat.venue),
        "outliers": selectors.venue_outliers(seat.venue),
        "lock_form": LockForm(),
        **_receipt_context(seat.venue),
    }
    return render(request, "judging/chair/panel.html", context)


def _receipt_context(venue) -> dict:
    """The venue's latest lock receipt and its own chain's head, shown while it is locked."""
    receipt = latest_anchor(venue.event, kind=AnchorKind.LOCK, venue=venue)
    if receipt is None:
        return {}
    entries, head = json.loads(receipt.heads).get(chain_of(venue), [0, ""])
    return {"receipt": receipt, "receipt_venue_entries": entries, "receipt_venue_hash": head}


@login_required
def matrix(request, venue_id):
    seat = chair_seat_or_404(request.user, venue_id)
    context = _matrix_context(seat)
    if request.headers.get("HX-Request") and request.GET.get("v") == context["version"]:
        return HttpResponse(status=204)  # htmx keeps what it shows
    return render(request, "judging/chair/_matrix.html", context)


def _matrix_context(seat) -> dict:
    """What the completeness matrix shows, with the version its poll sends back."""
    venue = seat.venue
    judges, rows = selectors.completeness(venue)
    presenting = presenting_context(venue)
    return {
        **presenting,
        "seat": seat,
        "judges": judges,
        "rows": rows,
        "version": selectors.matrix_version(judges, rows, presenting),
        # The matrix links up to a few hundred cards: one reverse instead of one per cell.
        "card_base": reverse("judging:chair_card", args=[venue.pk, 1]).removesuffix("1/"),
    }


@login_required
@require_POST
def advance(request, venue_id):
    seat = chair_seat_or_404(request.user, venue_id)
    advance_presenting(venue=seat.venue, actor=request.user)
    return redirect("judging:chair", venue_id=venue_id)


@login_required
def card(request, venue_id, card_id):
    seat, scorecard = card_for_chair_or_404(request.user, venue_id, card_id)
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            return_scorecard(card=scorecard, actor=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("已将 %(judge)s 对 %(entry)s 的评分退回。")
                % {"judge": scorecard.judge.code, "entry": scorecard.submission.code},
            )
            return redirect("judging:chair", venue_id=venue_id)
    return render(
        request, "judging/chair/card.html", {"seat": seat, "card": scorecard, "form": form}
    )


@login_required
@require_POST
def lock(request, venue_id):
    seat = chair_seat_or_404(request.user, venue_id)
    form = LockForm(request.POST)
    form.is_valid()
    if selectors.venue_outliers(seat.venue) and not form.cleaned_data.get("outliers_reviewed"):
        messages.error(request, _("请先核对偏离评审组的评分（确认或退回），再勾选确认后锁定。"))
        return redirect("judging:chair", venue_id=venue_id)
    try:
        lock_venue(
            venue=seat.venue,
            actor=request.user,
            override_reason=form.cleaned_data.get("override_reason", ""),
        )
    except ValidationError as error:
        for text in error.messages:
            messages.error(request, text)
    else:
        messages.success(request, _("%(venue)s 已锁定。") % {"venue": seat.venue.name})
    return redirect("judging:chair", venue_id=venue_id)


def _public_venue(slug, number) -> Venue:
    return get_object_or_404(
        Venue.objects.select_related("event", "category"),
        event__slug=slug,
        event__is_public=True,
        number=number,
    )


def screen(request, slug, number):
    venue = _public_venue(slug, number)
    return render(request, "judging/chair/screen.html", presenting_context(venue))


def screen_live(request, slug, number):
    venue = _public_venue(slug, number)
    return render(request, "judging/chair/_screen_live.html", presenting_context(venue))
