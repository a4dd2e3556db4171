"""Organizers' venue pages: the assignment board, a venue's order and panel, print, PDF, Excel."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from events.models import Event, Venue
from judging.models import Judge, Recusal, VenueAssignment
from judging.schedule import review_services
from judging.schedule import services as service
from judging.schedule.exports import venue_schedule_pdf, venues_workbook
from judging.schedule.selectors import assignment_in_event, recusal_in_event, venue_boards
from submissions.models import Submission


def _event_for_organizer(request, slug) -> Event:
    """Return the event if the user organizes it; anyone else gets a 404."""
    event = get_object_or_404(Event, slug=slug)
    if not event.is_staff_member(request.user):
        raise Http404
    return event


def _board(event, number):
    boards = venue_boards(event=event, number=number)
    if not boards:
        raise Http404
    return boards[0]


def _seed(value: str) -> int | None:
    value = (value or "").strip()
    if not value:
        return None
    if not value.isdigit() or len(value) > 15:
        raise ValidationError(_("随机种子应为不超过 15 位的正整数。"))
    return int(value)


@login_required
def overview(request, slug):
    event = _event_for_organizer(request, slug)
    boards = venue_boards(event=event)
    unassigned = (
        Submission.objects.filter(event=event, status="admitted", assignment__isnull=True)
        .order_by("code")
        .values_list("code", flat=True)
    )
    context = {"event": event, "boards": boards, "unassigned": list(unassigned)}
    return render(request, "judging/schedule/overview.html", context)


@login_required
@require_POST
def assign(request, slug):
    event = _event_for_organizer(request, slug)
    try:
        report = service.assign_venues(
            event=event, seed=_seed(request.POST.get("seed")), actor=request.user
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("已分配 %(n)s 项成果并完成抽签。") % {"n": report.placed})
        for outcome in report.overfull:
            messages.warning(
                request,
                _("%(venue)s容纳不下 %(n)s 项，超出 %(m)s 分钟。")
                % {
                    "venue": outcome.venue.name,
                    "n": len(outcome.packing.overflow),
                    "m": outcome.packing.overflow_minutes,
                },
            )
    return redirect("schedule:overview", slug=event.slug)


@login_required
def venue(request, slug, number):
    event = _event_for_organizer(request, slug)
    board = _board(event, number)
    context = {
        "event": event,
        "board": board,
        "other_venues": Venue.objects.filter(event=event, category=board.venue.category).exclude(
            pk=board.venue.pk
        ),
        "judges": [seat.judge for seat in board.seats],
    }
    return render(request, "judging/schedule/venue.html", context)


def _back(event, assignment_or_venue):
    venue = getattr(assignment_or_venue, "venue", assignment_or_venue)
    return redirect("schedule:venue", slug=event.slug, number=venue.number)


@login_required
@require_POST
def entry_action(request, slug, pk):
    """Lock, release, move or mark an entry as written exchange (one form per action)."""
    event = _event_for_organizer(request, slug)
    try:
        assignment = assignment_in_event(event=event, pk=pk)
    except VenueAssignment.DoesNotExist:
        raise Http404 from None
    back = _back(event, assignment)
    action = request.POST.get("action")
    try:
        if action in {"lock", "unlock"}:
            service.set_assignment_lock(
                assignment=assignment, locked=action == "lock", actor=request.user
            )
        elif action in {"written", "presented"}:
            service.set_written_exchange(
                assignment=assignment, written=action == "written", actor=request.user
            )
        elif action == "move":
            target = get_object_or_404(Venue, event=event, number=request.POST.get("venue") or 0)
            service.move_entry(assignment=assignment, venue=target, actor=request.user)
            messages.success(
                request,
                _("%(code)s 已调整到%(venue)s并锁定。")
                % {"code": assignment.submission.code, "venue": target.name},
            )
        else:
            raise Http404
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return back


@login_required
@require_POST
def redraw(request, slug, number):
    event = _event_for_organizer(request, slug)
    target = get_object_or_404(Venue, event=event, number=number)
    try:
        outcome = service.redraw_venue(
            venue=target,
            reason=request.POST.get("reason", ""),
            seed=_seed(request.POST.get("seed")),
            actor=request.user,
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("已重新抽签，随机种子 %(seed)s。") % {"seed": outcome.seed})
    return _back(event, target)


@login_required
@require_POST
def assign_reviewers(request, slug, number):
    """Give the dossiers of a written review to its experts (a re-run keeps started cards)."""
    event = _event_for_organizer(request, slug)
    target = get_object_or_404(Venue.objects.select_related("category"), event=event, number=number)
    try:
        report = review_services.assign_reviewers(
            venue=target, actor=request.user, seed=_seed(request.POST.get("seed"))
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("已分配 %(n)s 份材料，每份 %(k)s 位专家（随机种子 %(seed)s）。")
            % {"n": report.dossiers, "k": report.readers, "seed": report.seed},
        )
        if report.shortfalls:
            messages.warning(
                request,
                _("以下材料可评分的专家不足：%(codes)s。")
                % {"codes": "、".join(f"{c}（缺 {n}）" for c, n in report.shortfalls.items())},
            )
    return _back(event, target)


@login_required
@require_POST
def recuse(request, slug, number):
    event = _event_for_organizer(request, slug)
    target = get_object_or_404(Venue, event=event, number=number)
    judge = get_object_or_404(Judge, event=event, pk=request.POST.get("judge") or 0)
    submission = get_object_or_404(
        Submission, event=event, code=request.POST.get("entry", "").strip().upper()
    )
    try:
        service.recuse_judge(
            judge=judge,
            submission=submission,
            reason=request.POST.get("reason", ""),
            actor=request.user,
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return _back(event, target)


@login_required
@require_POST
def unrecuse(request, slug, pk):
    event = _event_for_organizer(request, slug)
    try:
        recusal = recusal_in_event(event=event, pk=pk)
    except Recusal.DoesNotExist:
        raise Http404 from None
    assignment = getattr(recusal.submission, "assignment", None)
    try:
        service.withdraw_recusal(recusal=recusal, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    if assignment is None:
        return redirect("schedule:overview", slug=event.slug)
    return _back(event, assignment)


@login_required
def printable(request, slug, number):
    event = _event_for_organizer(request, slug)
    board = _board(event, number)
    return render(request, "judging/schedule/print.html", {"event": event, "board": board})


@login_required
def pdf(request, slug, number):
    event = _event_for_organizer(request, slug)
    board = _board(event, number)
    html = render_to_string(
        "judging/schedule/print.html", {"event": event, "board": board, "pdf": True}
    )
    response = HttpResponse(venue_schedule_pdf(html), content_type="application/pdf")
    filename = f"{event.slug}-venue-{board.venue.number}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
def export_xlsx(request, slug):
    event = _event_for_organizer(request, slug)
    data = venues_workbook(venue_boards(event=event, with_checks=False))
    response = HttpResponse(
        data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="{event.slug}-venues.xlsx"'
    return response
