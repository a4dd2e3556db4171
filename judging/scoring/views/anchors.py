"""Ledger anchors as files: the chair's lock receipt and the organizer's signed export."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from events.services import record_audit
from judging.models import AnchorKind
from judging.rules import chair_seat_or_404, organized_event_or_404
from judging.scoring.anchors import latest_anchor, record_anchor, text_of


def anchor_response(text: str, filename: str) -> HttpResponse:
    response = HttpResponse(text, content_type="text/plain; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
def lock_receipt(request, venue_id):
    """The chair's lock receipt: the ledger heads recorded when the venue was locked."""
    seat = chair_seat_or_404(request.user, venue_id)
    venue = seat.venue
    receipt = latest_anchor(venue.event, kind=AnchorKind.LOCK, venue=venue)
    if receipt is None:
        raise Http404
    title = _("%(event)s %(venue)s 锁定回执") % {"event": venue.event.name, "venue": venue.name}
    stamp = timezone.localtime(receipt.created_at).strftime("%Y%m%d-%H%M%S")
    return anchor_response(
        text_of(receipt, title=title), f"lock-receipt-{venue.event.slug}-{venue.number}-{stamp}.txt"
    )


@login_required
@require_POST
def export_anchor(request, slug):
    """Record and download a signed anchor of the event's ledger (kept by the organizer)."""
    event = organized_event_or_404(request.user, slug)
    anchor = record_anchor(event=event, kind=AnchorKind.EXPORT, user=request.user)
    record_audit(
        actor=request.user,
        action="ledger.export_anchor",
        event=event,
        target=f"LedgerAnchor #{anchor.pk}",
        details={"entries": anchor.entries, "head": anchor.head},
        request=request,
    )
    stamp = timezone.localtime(anchor.created_at).strftime("%Y%m%d-%H%M%S")
    title = _("%(event)s 评分账本锚点（组织者导出）") % {"event": event.name}
    return anchor_response(text_of(anchor, title=title), f"ledger-anchor-{slug}-{stamp}.txt")
