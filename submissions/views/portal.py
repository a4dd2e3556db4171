"""The enterprise portal: entries of the user's own enterprise only; other ids answer 404."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_POST

from events.models import Category, Event

from .. import rules, selectors
from ..filetypes import size_problem
from ..forms import (
    AttachmentForm,
    ColleagueForm,
    SubmissionForm,
    member_formset_class,
    members_from_formset,
)
from ..models import Submission
from ..services import accounts, entries, files
from .files import attachment_response


def _membership(request):
    membership = getattr(request.user, "membership", None)
    if membership is None:
        raise Http404
    return membership


@login_required
def dashboard(request):
    membership = getattr(request.user, "membership", None)
    if membership is None:
        return render(request, "submissions/portal/no_enterprise.html")
    now = timezone.now()
    open_events = [
        e
        for e in Event.objects.filter(submission_opens__lte=now).prefetch_related("categories")
        if rules.window_is_open(e, now)
    ]
    context = {
        "enterprise": membership.enterprise,
        "entries": selectors.enterprise_submissions(user=request.user),
        "open_events": open_events,
        "registration_events": Event.objects.filter(registration_closes__gt=now),
    }
    return render(request, "submissions/portal/dashboard.html", context)


def _entry_form(request, *, submission, category, event, enterprise):
    existing = submission.members.count() if submission.pk else 0
    extra = min(max(category.min_members - existing, 1), category.max_members - existing)
    Formset = member_formset_class(max_members=category.max_members, extra=max(extra, 0))
    data = request.POST if request.method == "POST" else None
    form = SubmissionForm(
        data, instance=submission, kind=category.kind, enterprise=enterprise, event=event
    )
    formset = Formset(data, instance=submission, prefix="members")
    return form, formset


@login_required
def entry_create(request, slug, kind):
    membership = _membership(request)
    event = get_object_or_404(Event, slug=slug)
    category = get_object_or_404(Category, event=event, kind=kind)
    if category.is_nomination:
        return redirect("submissions:nomination_create", slug=slug, kind=kind)
    if not rules.window_is_open(event, timezone.now()):
        messages.error(request, _("本活动当前不在申报时间内。"))
        return redirect("submissions:dashboard")
    submission = Submission(event=event, category=category, enterprise=membership.enterprise)
    form, formset = _entry_form(
        request,
        submission=submission,
        category=category,
        event=event,
        enterprise=membership.enterprise,
    )
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        submission = entries.create_draft(
            event=event,
            category=category,
            enterprise=membership.enterprise,
            user=request.user,
            submission=form.save(commit=False),
            members=members_from_formset(formset),
        )
        return _after_save(request, submission)
    return render(
        request, "submissions/portal/entry_form.html", _form_context(form, formset, submission)
    )


@login_required
def entry_edit(request, pk):
    submission = selectors.enterprise_submission(user=request.user, pk=pk)
    if submission.category.is_nomination:
        return redirect("submissions:nomination_edit", pk=pk)
    if not rules.enterprise_can_edit(submission, timezone.now()):
        messages.error(request, _("该成果当前不能修改。"))
        return redirect("submissions:entry", pk=pk)
    form, formset = _entry_form(
        request,
        submission=submission,
        category=submission.category,
        event=submission.event,
        enterprise=submission.enterprise,
    )
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        entries.save_draft(
            submission=form.save(commit=False), members=members_from_formset(formset)
        )
        return _after_save(request, submission)
    return render(
        request, "submissions/portal/entry_form.html", _form_context(form, formset, submission)
    )


def _form_context(form, formset, submission):
    return {
        "form": form,
        "formset": formset,
        "submission": submission,
        "category": submission.category,
    }


def _after_save(request, submission):
    if request.POST.get("action") == "submit":
        problems = entries.submit_entry(submission=submission, user=request.user)
        if problems:
            messages.warning(request, _("草稿已保存，但尚不能提交："))
            for problem in problems:
                messages.warning(request, problem)
        elif submission.category.is_nomination:
            messages.success(request, _("推荐已提交，内容已锁定。"))
        else:
            messages.success(request, _("成果已提交，内容已锁定。"))
    else:
        messages.success(request, _("草稿已保存。"))
    return redirect("submissions:entry", pk=submission.pk)


@login_required
def entry_detail(request, pk):
    submission = selectors.enterprise_submission(user=request.user, pk=pk)
    now = timezone.now()
    context = {
        "submission": submission,
        "members": submission.members.all(),
        "attachments": submission.attachments.all(),
        "log": submission.review_log.select_related("actor"),
        "can_edit": rules.enterprise_can_edit(submission, now),
        "can_reopen": rules.enterprise_can_reopen(submission, now),
        "can_withdraw": rules.enterprise_can_withdraw(submission),
        "window_open": rules.window_is_open(submission.event, now),
        "upload_form": AttachmentForm(nomination=submission.category.is_nomination),
        "max_bytes": files.upload_limit_bytes(submission),
    }
    return render(request, "submissions/portal/entry_detail.html", context)


@login_required
@require_POST
def entry_submit(request, pk):
    submission = selectors.enterprise_submission(user=request.user, pk=pk)
    request.POST = request.POST.copy()
    request.POST["action"] = "submit"
    return _after_save(request, submission)


@login_required
@require_POST
def entry_reopen(request, pk):
    submission = selectors.enterprise_submission(user=request.user, pk=pk)
    try:
        entries.reopen_entry(submission=submission, user=request.user)
        messages.success(request, _("成果已撤回为草稿，修改后请重新提交。"))
    except PermissionDenied as error:
        messages.error(request, str(error))
    return redirect("submissions:entry", pk=pk)


@csrf_exempt  # checked below, after the size check that must not read the body
@login_required
@require_POST
def attachment_upload(request, pk):
    submission = selectors.enterprise_submission(user=request.user, pk=pk)
    limit = files.upload_limit_bytes(submission)
    declared = int(request.META.get("CONTENT_LENGTH") or 0)
    if declared > limit + 64 * 1024:  # refuse before the body is received and stored
        problem = size_problem(declared, limit)
        return _upload_answer(request, pk, problem, status=413)
    return _store_upload(request, submission)


@csrf_protect
def _store_upload(request, submission):
    form = AttachmentForm(request.POST, request.FILES, nomination=submission.category.is_nomination)
    error = None
    if not form.is_valid():
        error = "；".join(m for ms in form.errors.values() for m in ms)
    else:
        try:
            files.store_attachment(
                submission=submission,
                kind=form.cleaned_data["kind"],
                upload=form.cleaned_data["file"],
                user=request.user,
            )
        except (ValidationError, PermissionDenied) as problem:
            error = "；".join(getattr(problem, "messages", [str(problem)]))
    return _upload_answer(request, submission.pk, error, status=400)


def _upload_answer(request, pk, error, *, status):
    if request.headers.get("Accept", "").startswith("application/json"):
        return JsonResponse({"ok": error is None, "error": error}, status=status if error else 200)
    if error:
        messages.error(request, error)
    else:
        messages.success(request, _("文件已上传。"))
    return redirect("submissions:entry", pk=pk)


@login_required
def attachment_download(request, pk, attachment_pk):
    attachment = selectors.enterprise_attachment(
        user=request.user, submission_pk=pk, pk=attachment_pk
    )
    return attachment_response(attachment)


@login_required
@require_POST
def attachment_delete(request, pk, attachment_pk):
    attachment = selectors.enterprise_attachment(
        user=request.user, submission_pk=pk, pk=attachment_pk
    )
    try:
        files.delete_attachment(attachment=attachment)
        messages.success(request, _("文件已删除。"))
    except PermissionDenied as error:
        messages.error(request, str(error))
    return redirect("submissions:entry", pk=pk)


@login_required
def team(request):
    membership = _membership(request)
    form = ColleagueForm(request.POST or None)
    if request.method == "POST":
        if not rules.can_manage_accounts(request.user):
            raise Http404
        if form.is_valid():
            accounts.add_enterprise_user(
                enterprise=membership.enterprise,
                email=form.cleaned_data["email"],
                full_name=form.cleaned_data["full_name"],
                request=request,
            )
            messages.success(request, _("账号已开通，设置密码的链接已发送到该邮箱。"))
            return redirect("submissions:team")
    context = {
        "enterprise": membership.enterprise,
        "members": membership.enterprise.memberships.select_related("user"),
        "form": form,
        "can_manage": rules.can_manage_accounts(request.user),
    }
    return render(request, "submissions/portal/team.html", context)
