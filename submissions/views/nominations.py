"""The portal's nominations: an enterprise nominates an organization or a person for an honour.

A nomination is an entry of a nomination category: its page, files, submission and review
are the entries' own (views/portal.py); here are only creating, editing and withdrawing it.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from events.enums import CategoryKind
from events.models import Category, Event

from .. import rules, selectors
from ..forms import NominationForm
from ..models import Submission
from ..services import nominations
from .portal import _after_save, _membership


def _save(request, form, save) -> Submission | None:
    """Run a nomination service on a valid form; put its refusal on the form."""
    if not form.is_valid():
        return None
    try:
        return save(form.save(commit=False), form.cleaned_data["organization"])
    except ValidationError as error:
        form.add_error(None, error.messages)
    return None


def _page(request, form, submission, category):
    context = {"form": form, "submission": submission, "category": category}
    return render(request, "submissions/portal/nomination_form.html", context)


@login_required
def nomination_create(request, slug, kind):
    membership = _membership(request)
    event = get_object_or_404(Event, slug=slug)
    if kind not in CategoryKind.nominations():
        raise Http404
    category = get_object_or_404(Category, event=event, kind=kind)
    if not rules.window_is_open(event, timezone.now()):
        messages.error(request, _("本活动当前不在申报时间内。"))
        return redirect("submissions:dashboard")
    enterprise = membership.enterprise
    submission = Submission(event=event, category=category, submitter=enterprise)
    form = NominationForm(
        request.POST or None, instance=submission, category=category, enterprise=enterprise
    )
    if request.method == "POST":
        saved = _save(
            request,
            form,
            lambda draft, organization: nominations.create_nomination(
                event=event,
                category=category,
                enterprise=enterprise,
                user=request.user,
                submission=draft,
                organization=organization,
            ),
        )
        if saved is not None:
            return _after_save(request, saved)
    return _page(request, form, submission, category)


@login_required
def nomination_edit(request, pk):
    submission = selectors.enterprise_submission(user=request.user, pk=pk)
    if not submission.category.is_nomination:
        return redirect("submissions:entry_edit", pk=pk)
    if not rules.enterprise_can_edit(submission, timezone.now()):
        messages.error(request, _("该推荐当前不能修改。"))
        return redirect("submissions:entry", pk=pk)
    form = NominationForm(
        request.POST or None,
        instance=submission,
        category=submission.category,
        enterprise=_membership(request).enterprise,
    )
    if request.method == "POST":
        saved = _save(
            request,
            form,
            lambda draft, organization: nominations.save_nomination(
                submission=draft, organization=organization
            ),
        )
        if saved is not None:
            return _after_save(request, saved)
    return _page(request, form, submission, submission.category)


@login_required
@require_POST
def nomination_withdraw(request, pk):
    submission = selectors.enterprise_submission(user=request.user, pk=pk)
    try:
        nominations.withdraw_nomination(submission=submission, user=request.user)
        messages.success(request, _("推荐已撤回，不再占用限报名额。"))
    except PermissionDenied as error:
        messages.error(request, str(error))
    return redirect("submissions:entry", pk=pk)
