"""Organizer pages of the award engine: runs, results, overrides, fairness, publication."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from events.models import Event
from judging.awards import fairness_services as fair
from judging.awards import publication as pub
from judging.awards import selectors
from judging.awards import services as svc
from judging.awards.forms import AnswerForm, OverrideForm, PublishForm, RunForm, ShowcaseAddForm
from judging.models import AwardRun, Objection, Result, Showcase
from judging.rules import is_organizer


def _event(request, slug) -> Event:
    event = Event.objects.filter(slug=slug).first()
    if event is None or not is_organizer(request.user, event):
        raise Http404
    return event


def _back(event):
    return redirect("awards:orga", slug=event.slug)


@login_required
def awards_home(request, slug):
    event = _event(request, slug)
    run = AwardRun.objects.filter(event=event).order_by("-pk").first()
    done = selectors.latest_done_run(event)
    overrides = selectors.active_overrides(event)
    results = []
    if done:
        results = list(
            Result.objects.filter(run=done)
            .select_related("submission__enterprise", "submission__category", "venue")
            .order_by("submission__category__order", "rank_in_category", "submission__code")
        )
        for r in results:
            r.override = overrides.get(r.submission_id)
    publication = pub.Publication.objects.filter(event=event).first()
    return render(
        request,
        "judging/orga/awards.html",
        {
            "event": event,
            "run": run,
            "done": done,
            "results": results,
            "unlocked": selectors.unlocked_venues(event),
            "run_form": RunForm(),
            "publish_form": PublishForm(initial={"days": event.notice_days}),
            "publication": publication,
            "objections": Objection.objects.filter(event=event).select_related("submission"),
            "showcase": Showcase.objects.filter(event=event).select_related("submission"),
            "showcase_form": ShowcaseAddForm(),
        },
    )


@login_required
def publication(request, slug):
    event = _event(request, slug)
    return redirect(reverse("awards:orga", kwargs={"slug": event.slug}) + "#publication")


@login_required
@require_POST
def start_run(request, slug):
    event = _event(request, slug)
    form = RunForm(request.POST)
    form.is_valid()
    try:
        svc.start_award_run(
            event=event,
            user=request.user,
            force=form.cleaned_data.get("force", False),
            reason=form.cleaned_data.get("reason", ""),
        )
    except svc.AwardError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("评选计算已提交。"))
    return _back(event)


@login_required
def run_progress(request, slug):
    event = _event(request, slug)
    run = AwardRun.objects.filter(event=event).order_by("-pk").first()
    return render(request, "judging/orga/awards_progress.html", {"event": event, "run": run})


@login_required
def override(request, slug, code):
    event = _event(request, slug)
    result = get_object_or_404(
        Result.objects.select_related("submission", "venue"),
        run=selectors.latest_done_run(event),
        submission__code=code,
    )
    form = OverrideForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            svc.create_override(
                event=event, submission=result.submission, user=request.user, **form.cleaned_data
            )
        except svc.AwardError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("已记录对 %(code)s 的审定。") % {"code": code})
            return _back(event)
    history = result.submission.overrides.filter(event=event).select_related("created_by")
    context = {"event": event, "result": result, "form": form, "history": history}
    return render(request, "judging/orga/awards_override.html", context)


@login_required
def fairness(request, slug):
    event = _event(request, slug)
    run = selectors.latest_done_run(event)
    if run is None:
        messages.error(request, _("尚无已完成的评选计算。"))
        return _back(event)
    context = {"event": event, "run": run, **fair.fairness_page(run)}
    return render(request, "judging/orga/awards_fairness.html", context)


@login_required
def fairness_status(request, slug):
    """The report's state, polled while it is computed; reloads the page once it is done."""
    event = _event(request, slug)
    run = selectors.latest_done_run(event)
    if run is None:
        raise Http404
    context = {"event": event, "run": run, **fair.fairness_state(run)}
    response = render(request, "judging/orga/awards_fairness_status.html", context)
    stored = context["stored"]
    if request.headers.get("HX-Request") and not (stored and stored.busy):
        response["HX-Refresh"] = "true"
    return response


@login_required
@require_POST
def fairness_compute(request, slug):
    event = _event(request, slug)
    run = selectors.latest_done_run(event)
    if run is None:
        messages.error(request, _("尚无已完成的评选计算。"))
        return _back(event)
    fair.request_fairness_report(run=run, user=request.user)
    return redirect("awards:fairness", slug=event.slug)


@login_required
def export(request, slug):
    from judging.awards.exports import write_results_workbook

    event = _event(request, slug)
    run = selectors.latest_done_run(event)
    if run is None:
        raise Http404
    response = HttpResponse(
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="{event.slug}-results.xlsx"'
    write_results_workbook(run, response)
    return response


@login_required
@require_POST
def publish(request, slug):
    event = _event(request, slug)
    form = PublishForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("公示天数须为1到60之间的整数。"))
        return _back(event)
    try:
        pub.publish_results(event=event, user=request.user, days=form.cleaned_data["days"])
    except svc.AwardError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("评选结果已公示。"))
    return _back(event)


@login_required
@require_POST
def finalize(request, slug):
    event = _event(request, slug)
    try:
        pub.finalize_results(event=event, user=request.user)
    except svc.AwardError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("评选结果已定稿。"))
    return _back(event)


@login_required
def answer_objection(request, slug, pk):
    event = _event(request, slug)
    objection = get_object_or_404(
        Objection.objects.select_related("submission"), event=event, pk=pk
    )
    form = AnswerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            pub.answer_objection(
                objection=objection, user=request.user, request=request, **form.cleaned_data
            )
        except svc.AwardError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("处理意见已记录。"))
            return _back(event)
    context = {"event": event, "objection": objection, "form": form}
    return render(request, "judging/orga/awards_objection.html", context)


@login_required
@require_POST
def showcase_propose(request, slug):
    event = _event(request, slug)
    run = selectors.latest_done_run(event)
    if run is None:
        messages.error(request, _("尚无已完成的评选计算。"))
    else:
        svc.propose_showcase(event=event, run=run, user=request.user)
        messages.success(request, _("已按得分与企业分布生成大会展示建议名单。"))
    return _back(event)


@login_required
@require_POST
def showcase_add(request, slug):
    event = _event(request, slug)
    form = ShowcaseAddForm(request.POST)
    if form.is_valid():
        try:
            svc.add_to_showcase(event=event, code=form.cleaned_data["code"], user=request.user)
        except svc.AwardError as exc:
            messages.error(request, str(exc))
    return _back(event)


@login_required
@require_POST
def showcase_remove(request, slug, pk):
    event = _event(request, slug)
    svc.remove_from_showcase(
        showcase=get_object_or_404(Showcase, event=event, pk=pk), user=request.user
    )
    return _back(event)
