"""Set-up pages: the organizer's events, an event's readiness checklist, the next event,
a contest announced at an event, and where each role lands after signing in."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from judging.models import Judge
from judging.rules import enterprise_of, organized_event_or_404
from judging.setup import contest_services, selectors, services
from judging.setup.forms import CloneEventForm, ContestForm, contest_category_forms


@login_required
def my_events(request):
    """The events the user organizes, each with its set-up page and control room."""
    events = selectors.organized_events(request.user).order_by("-start_date", "slug")
    return render(request, "judging/setup/events.html", {"events": events})


@login_required
def setup(request, slug):
    """An event's readiness checklist, and the form that starts next year's event from it."""
    event = organized_event_or_404(request.user, slug)
    checks = selectors.readiness(event)
    context = {
        "event": event,
        "checks": checks,
        "missing": sum(len(check.problems) for check in checks),
        "form": CloneEventForm(),
    }
    return render(request, "judging/setup/setup.html", context)


@login_required
@require_POST
def clone(request, slug):
    source = organized_event_or_404(request.user, slug)
    form = CloneEventForm(request.POST)
    if form.is_valid():
        try:
            event = services.clone_event(
                source=source,
                slug=form.cleaned_data["slug"],
                name=form.cleaned_data["name"],
                start=form.cleaned_data["start"],
                user=request.user,
                request=request,
            )
        except ValidationError as error:
            form.add_error("slug", error)
        else:
            messages.success(
                request,
                _("已按“%(source)s”的配置创建“%(event)s”；请按准备清单补齐其余事项。")
                % {"source": source.name, "event": event.name},
            )
            return redirect("judging_setup:setup", slug=event.slug)
    checks = selectors.readiness(source)
    context = {
        "event": source,
        "checks": checks,
        "missing": sum(len(check.problems) for check in checks),
        "form": form,
    }
    return render(request, "judging/setup/setup.html", context, status=400)


@login_required
def new_contest(request, slug):
    """新建竞赛/评选活动: a contest or honour announced at this event, with its categories
    (优秀组织单位, 优秀个人, 质量工匠) and its notice."""
    source = organized_event_or_404(request.user, slug)
    status = 200
    if request.method == "POST":
        form = ContestForm(request.POST, request.FILES)
        sections = contest_category_forms(source, data=request.POST)
        if form.is_valid() and all([section.is_valid() for section in sections]):
            data = form.cleaned_data
            try:
                event = contest_services.create_contest(
                    announced_at=source,
                    categories=[s.category() for s in sections if s.category() is not None],
                    user=request.user,
                    request=request,
                    **{name: data[name] for name in ContestForm.base_fields},
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(
                    request,
                    _("已创建“%(event)s”（在“%(source)s”上发布）；请按准备清单补齐评审专家等事项。")
                    % {"event": event.name, "source": source.name},
                )
                return redirect("judging_setup:setup", slug=event.slug)
        status = 400
    else:
        form = ContestForm()
        sections = contest_category_forms(source)
    context = {"event": source, "form": form, "sections": sections}
    return render(request, "judging/setup/new_contest.html", context, status=status)


def landing_url(user) -> str:
    """Return the home of a signed-in user's role: organizer, judge, enterprise."""
    events = list(selectors.organized_events(user).values_list("slug", flat=True)[:2])
    if len(events) == 1 and not user.is_superuser:
        return reverse("judging:control_room", kwargs={"slug": events[0]})
    if events:
        return reverse("judging_setup:events")
    if Judge.objects.filter(user=user).exists():
        return reverse("judging:judge_home")
    if enterprise_of(user) is not None:
        return reverse("submissions:dashboard")
    return reverse("home")


@login_required
def landing(request):
    """Where the login page sends a user who did not ask for a page."""
    return redirect(landing_url(request.user))
