"""The chair's venue page (completeness, presentation control, return, lock) and the big screen."""

import datetime as dt
import json
import time
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_htmx.http import reswap, retarget

from events.enums import VenueMode
from events.models import Venue
from judging.models import AnchorKind, VenueStatus
from judging.rules import card_for_chair_or_404, chair_seat_or_404, chair_venue_or_404
from judging.scoring import selectors
from judging.scoring.anchors import latest_anchor
from judging.scoring.chairs import advance_presenting, lock_venue, return_scorecard
from judging.scoring.forms import LockForm, ReasonForm
from judging.scoring.ledger import chain_of
from judging.scoring.selectors import missing_cards
from qcexchange import versions
from qcexchange.pagecache import event_version_keys, shared_page


def presenting_context(venue: Venue) -> dict:
    """Return who presents now at the venue and the seconds left of their slot."""
    status = selectors.venue_status(venue)
    remaining = ends_at = None
    if status.presenting_since:
        slot = venue.category.slot_total_minutes * 60
        remaining = int(slot - (timezone.now() - status.presenting_since).total_seconds())
        # The screen's page is shared from a cache: its countdown runs to the slot's end.
        ends_at = int((status.presenting_since.timestamp() + slot) * 1000)
    return {"venue": venue, "status": status, "remaining": remaining, "ends_at": ends_at}


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


# How far back a poll looks for changed cards beyond the moment it last read them: longer
# than any submit's transaction and any drift between the web servers' clocks, so a card
# committed just after a poll read the table is sent by the next one.
CARDS_MARGIN_SECONDS = 10
# How often a chair's matrix is rendered whole all the same: a safety net for a change no
# service or signal bumps (an entry renamed in the admin, say), shown within this time.
RENEW_SECONDS = 300


@login_required
def matrix(request, venue_id):
    """The completeness matrix, polled every few seconds by htmx with the versions it shows.

    Nothing changed: 204, from the versions in the cache alone. Only cards changed: the rows
    of the entries whose cards changed since the last poll, swapped in place (htmx
    out-of-band swaps), and a new poller. Anything else (presenter, lock, panel, running
    order, every RENEW_SECONDS): the whole matrix.
    """
    if request.headers.get("HX-Request") and request.GET.get("v"):
        venue = chair_venue_or_404(request.user, venue_id)
        if request.GET["v"] == poll_version(venue):
            cards = versions.current(versions.cards_key(venue.pk))
            if request.GET.get("c") == cards:
                return HttpResponse(status=204)  # htmx keeps what it shows; no table is read
            since = _poll_since(request.GET.get("since"))
            if since is not None:
                return _changed_rows(request, venue, cards, since)
    seat = chair_seat_or_404(request.user, venue_id)
    return render(request, "judging/chair/_matrix.html", _matrix_context(seat))


def _clock() -> float:
    """The seconds a poll's versions and look-back are counted in (a test may hold them)."""
    return time.time()


def poll_version(venue: Venue) -> str:
    """Return the version of what a venue's live view shows besides its cards: bumped on every
    change (services, and the admin's edits of panels and judges through judging.apps),
    renewed every RENEW_SECONDS for what nothing bumps."""
    version = versions.current_many(versions.venue_poll_keys(venue))
    return f"{version}.{translation.get_language()}.{int(_clock() // RENEW_SECONDS)}"


def _poll_since(value: str | None):
    """Return the moment a poll asks for changes since, or None (then the whole matrix)."""
    try:
        since = int(value or "")
    except ValueError:
        return None
    now = _clock()
    if not now - 3600 < since <= now:
        return None
    return dt.datetime.fromtimestamp(since, tz=dt.UTC)


def _poll_url(venue: Venue, version: str, cards: str, read_at: float) -> str:
    query = urlencode({"v": version, "c": cards, "since": int(read_at - CARDS_MARGIN_SECONDS)})
    return f"{reverse('judging:chair_matrix', args=[venue.pk])}?{query}"


def _matrix_context(seat) -> dict:
    """What the completeness matrix shows, with the versions its poll sends back."""
    venue = seat.venue
    # Read first: a change while rendering shows up in the next poll.
    version, read_at = poll_version(venue), _clock()
    cards = versions.current(versions.cards_key(venue.pk))
    judges, rows = selectors.completeness(venue)
    presenting = presenting_context(venue)
    return {
        **presenting,
        "seat": seat,
        "judges": judges,
        "rows": rows,
        "version": version,
        "poll_url": _poll_url(venue, version, cards, read_at),
        "card_base": _card_base(venue),
    }


def _card_base(venue: Venue) -> str:
    # The matrix links up to a few hundred cards: one reverse instead of one per cell.
    return reverse("judging:chair_card", args=[venue.pk, 1]).removesuffix("1/")


def _changed_rows(request, chaired: Venue, cards: str, since) -> HttpResponse:
    """Answer a poll that finds only cards changed: their rows, swapped in out of band, and
    the poller that asks again."""
    read_at = _clock()
    venue = Venue.objects.select_related("event").get(pk=chaired.pk)
    changed = selectors.entries_with_cards_since(venue, since)
    rows = selectors.completeness(venue, entries=changed)[1] if changed else []
    now_presenting = (
        VenueStatus.objects.filter(venue=venue).values_list("now_presenting_id", flat=True).first()
    )
    context = {
        "rows": rows,
        "status": {"now_presenting_id": now_presenting},
        "poll_url": _poll_url(venue, request.GET["v"], cards, read_at),
        "card_base": _card_base(venue),
    }
    response = render(request, "judging/chair/_matrix_rows.html", context)
    return reswap(retarget(response, "#matrix-poll"), "outerHTML")


@login_required
@require_POST
def advance(request, venue_id):
    seat = chair_seat_or_404(request.user, venue_id)
    try:
        advance_presenting(venue=seat.venue, actor=request.user)
    except ValidationError as error:
        for text in error.messages:
            messages.error(request, text)
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
        Venue.objects.select_related("event", "category").exclude(mode=VenueMode.WRITTEN),
        event__slug=slug,
        event__is_public=True,
        number=number,
    )


@shared_page(event_version_keys)
def screen(request, slug, number):
    venue = _public_venue(slug, number)
    return render(request, "judging/chair/screen.html", presenting_context(venue))


@shared_page(event_version_keys)
def screen_live(request, slug, number):
    venue = _public_venue(slug, number)
    return render(request, "judging/chair/_screen_live.html", presenting_context(venue))
