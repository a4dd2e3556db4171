"""Organizer pages of the people on site: delegates, badges, exports, the check-in door."""

import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from events.services import record_audit
from judging.enums import JobKind
from judging.models import RenderJob
from judging.models.people import PLENARY
from judging.people import exports, selectors
from judging.people.forms import CheckInForm, DelegateImportForm
from judging.people.services import check_in
from judging.rules import organized_event_or_404
from submissions import delegates_excel
from submissions.services.delegates import DelegateImportRefused, import_delegates

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@login_required
def people(request, slug):
    event = organized_event_or_404(request.user, slug)
    form = DelegateImportForm(request.POST or None, request.FILES or None)
    errors = []
    if request.method == "POST" and form.is_valid():
        try:
            summary = import_delegates(event=event, source=form.cleaned_data["file"])
        except DelegateImportRefused as refused:
            errors = [str(error) for error in refused.errors]
        else:
            record_audit(
                actor=request.user,
                action="delegates.import",
                event=event,
                request=request,
                details={"created": summary.created},
            )
            messages.success(
                request,
                _("已导入：新增代表 %(created)s 人，更新 %(updated)s 人")
                % {"created": summary.created, "updated": summary.updated},
            )
            return redirect("people:people", slug=slug)
    context = {
        "event": event,
        "form": form,
        "errors": errors,
        "figures": selectors.participation_of(event),
        "attendance": selectors.attendance(event),
        "badge_job": RenderJob.objects.filter(event=event, kind=JobKind.BADGES).first(),
        "badges_file": selectors.latest_badges(event=event),
    }
    return render(request, "judging/people/people.html", context)


def _xlsx(rows, *, sheet, headers, filename):
    buffer = io.BytesIO()
    delegates_excel.write_rows(buffer, rows, sheet=sheet, headers=headers)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{filename}"
    return response


@login_required
def delegates_xlsx(request, slug):
    event = organized_event_or_404(request.user, slug)
    return _xlsx(
        exports.delegate_rows(event),
        sheet="delegates",
        headers=exports.DELEGATE_HEADERS,
        filename=f"{event.slug}-delegates.xlsx",
    )


@login_required
def hotel_xlsx(request, slug):
    event = organized_event_or_404(request.user, slug)
    return _xlsx(
        exports.hotel_rows(event),
        sheet="hotel",
        headers=exports.HOTEL_HEADERS,
        filename=f"{event.slug}-hotel.xlsx",
    )


@login_required
def checkin(request, slug):
    """The door: a scanner types the code and Enter, or the camera reads the QR code."""
    event = organized_event_or_404(request.user, slug)
    key = request.POST.get("session") or request.GET.get("session") or PLENARY
    if request.method == "POST" and request.headers.get("HX-Request"):
        # The scanner's path: as few queries as possible, the answer partial only.
        form = CheckInForm(request.POST)
        answer = None
        if form.is_valid():
            found, venue = selectors.venue_of_session(event, key)
            if found:
                answer = check_in(
                    event=event,
                    code=form.cleaned_data["code"],
                    venue=venue,
                    by=request.user,
                    door=form.cleaned_data["door"],
                )
        return render(request, "judging/people/_answer.html", {"answer": answer})
    rows = selectors.sessions(event)
    session = next((row for row in rows if row[0] == key), rows[0])
    answer = None
    if request.method == "POST":
        form = CheckInForm(request.POST)
        if form.is_valid():
            answer = check_in(
                event=event,
                code=form.cleaned_data["code"],
                venue=session[2],
                by=request.user,
                door=form.cleaned_data["door"],
            )
    context = {"event": event, "sessions": rows, "session": session, "answer": answer}
    return render(request, "judging/people/checkin.html", context)


@login_required
def attendance_live(request, slug):
    event = organized_event_or_404(request.user, slug)
    context = {"event": event, "attendance": selectors.attendance(event)}
    return render(request, "judging/people/_attendance.html", context)
