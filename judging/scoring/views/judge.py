"""The judge's tablet pages: the venue's running order, the scorecard, the entry's report."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_http_methods

from judging import rules
from judging.models import Scorecard
from judging.rules import entry_for_judge_or_404, seat_or_404
from judging.scoring import selectors
from judging.scoring.services import save_draft, submit_scorecard
from judging.scoring.sheets import item_rules, sheet_for
from judging.scoring.views.offline import cache_name, tells_owner
from submissions.enums import AttachmentKind
from submissions.views.files import attachment_response


@login_required
@tells_owner
def home(request):
    seats = list(selectors.seats_of(request.user))
    if len(seats) == 1:
        return redirect("judging:venue", venue_id=seats[0].venue_id)
    return render(request, "judging/judge/home.html", {"seats": seats})


def _board(seat) -> dict:
    return {
        "seat": seat,
        "venue": seat.venue,
        "status": selectors.venue_status(seat.venue),
        "rows": selectors.venue_board(venue=seat.venue, judge=seat.judge),
    }


@login_required
@tells_owner
def venue(request, venue_id):
    seat = seat_or_404(request.user, venue_id)
    context = _board(seat) | {"offline_cache": cache_name(request.user, venue_id)}
    return render(request, "judging/judge/venue.html", context)


@login_required
@tells_owner
def venue_order(request, venue_id):
    seat = seat_or_404(request.user, venue_id)
    return render(request, "judging/judge/_order.html", _board(seat))


@login_required
@tells_owner
@require_http_methods(["GET", "POST"])
def scorecard(request, submission_id):
    seat, entry = entry_for_judge_or_404(request.user, submission_id)
    recused = rules.is_recused(seat.judge, entry)
    sheet = sheet_for(entry, venue=seat.venue)
    if request.method == "POST" and not recused:
        points = {
            item.code: request.POST.get(f"item-{item.code}", "") for item in item_rules(sheet)
        }
        comment = request.POST.get("comment", "")
        try:
            if request.POST.get("action") == "submit":
                submit_scorecard(
                    judge=seat.judge,
                    submission=entry,
                    points=points,
                    comment=comment,
                    client_id=request.POST.get("client_id") or None,
                )
                messages.success(
                    request, _("成果 %(entry)s 的评分已提交。") % {"entry": entry.code}
                )
                return redirect("judging:venue", venue_id=seat.venue_id)
            save_draft(judge=seat.judge, submission=entry, points=points, comment=comment)
            messages.info(request, _("草稿已保存。"))
        except ValidationError as error:
            for text in error.messages:
                messages.error(request, text)
    card = Scorecard.objects.filter(judge=seat.judge, submission=entry, sheet=sheet).first()
    lines = {line.item.code: line.points for line in card.lines.all()} if card else {}
    items = [(item, lines.get(item.code)) for item in sheet.items.all()]
    context = {
        "seat": seat,
        "entry": entry,
        "sheet": sheet,
        "card": card,
        "items": items,
        "recused": recused,
        "has_report": entry.pk in selectors.entries_with_report([entry.pk]),
        "locked": selectors.venue_status(seat.venue).is_locked,
        # A nomination's dossier: the nominee, the achievements and the evidence to open.
        "files": list(entry.attachments.order_by("kind", "-uploaded_at"))
        if entry.category.is_nomination and not recused
        else [],
    }
    return render(request, "judging/judge/scorecard.html", context)


@login_required
@xframe_options_sameorigin
def report(request, submission_id):
    seat, entry = entry_for_judge_or_404(request.user, submission_id)
    if rules.is_recused(seat.judge, entry):
        raise Http404
    attachment = (
        entry.attachments.filter(kind=AttachmentKind.REPORT).order_by("-uploaded_at").first()
    )
    if attachment is None:
        raise Http404
    response = FileResponse(
        attachment.file.open("rb"), content_type=attachment.content_type or "application/pdf"
    )
    response["Content-Disposition"] = "inline"
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@xframe_options_sameorigin
def entry_file(request, submission_id, attachment_pk):
    """Open one file of an entry the judge may score (a nomination's evidence, say)."""
    seat, entry = entry_for_judge_or_404(request.user, submission_id)
    if rules.is_recused(seat.judge, entry):
        raise Http404
    return attachment_response(get_object_or_404(entry.attachments, pk=attachment_pk))
