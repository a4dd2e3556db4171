"""Organizer pages of the submissions app: formal review, Excel import and export, accounts."""

import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from events.services import record_audit

from .. import excel_writer, nominations_excel, selectors
from ..forms import (
    BulkAccountsForm,
    ImportForm,
    NominationImportForm,
    ReviewFilterForm,
    ReviewForm,
)
from ..models import Attachment, ImportJob, Submission
from ..services import accounts, entries, intake, nomination_intake
from .files import attachment_response

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@login_required
def entry_list(request, slug):
    event = selectors.organizer_event(user=request.user, slug=slug)
    filters = ReviewFilterForm(request.GET or None, categories=event.categories.all())
    cleaned = filters.cleaned_data if filters.is_valid() else {}
    queryset = selectors.review_queryset(
        event=event,
        status=cleaned.get("status", ""),
        category=cleaned.get("category", ""),
        query=cleaned.get("q", ""),
    )
    page = Paginator(queryset, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "event": event,
        "filters": filters,
        "page": page,
        "counts": selectors.status_counts(event=event),
        "query": query.urlencode(),
    }
    return render(request, "submissions/orga/entry_list.html", context)


@login_required
def entry_review(request, slug, pk):
    event = selectors.organizer_event(user=request.user, slug=slug)
    submission = get_object_or_404(
        Submission.objects.select_related("category", "enterprise", "recommender", "submitter"),
        event=event,
        pk=pk,
    )
    form = ReviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        entries.review_entry(
            submission=submission,
            actor=request.user,
            verdict=form.cleaned_data["verdict"],
            message=form.cleaned_data["message"].strip(),
            deadline=form.cleaned_data["deadline"],
            request=request,
        )
        messages.success(request, _("审查结论已保存，已通知企业。"))
        return redirect("submissions_orga:entry", slug=slug, pk=pk)
    context = {
        "event": event,
        "submission": submission,
        "members": submission.members.all(),
        "attachments": submission.attachments.all(),
        "log": submission.review_log.select_related("actor"),
        "form": form,
    }
    return render(request, "submissions/orga/entry_review.html", context)


@login_required
def attachment_download(request, slug, pk, attachment_pk):
    event = selectors.organizer_event(user=request.user, slug=slug)
    attachment = get_object_or_404(
        Attachment, pk=attachment_pk, submission__pk=pk, submission__event=event
    )
    return attachment_response(attachment)


@login_required
def export(request, slug):
    event = selectors.organizer_event(user=request.user, slug=slug)
    buffer = io.BytesIO()
    intake.export_workbook(event=event, out=buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{event.slug}-entries.xlsx"'
    return response


@login_required
def template(request, slug):
    selectors.organizer_event(user=request.user, slug=slug)
    buffer = io.BytesIO()
    excel_writer.write_workbook(buffer, [], example=True)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = 'attachment; filename="entries-template.xlsx"'
    return response


@login_required
def import_page(request, slug):
    event = selectors.organizer_event(user=request.user, slug=slug)
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        job = intake.create_import_job(
            event=event, upload=form.cleaned_data["file"], user=request.user
        )
        return redirect("submissions_orga:import_job", slug=slug, pk=job.pk)
    jobs = event.import_jobs.select_related("created_by")[:10]
    return render(
        request, "submissions/orga/import.html", {"event": event, "form": form, "jobs": jobs}
    )


@login_required
def nominations_import(request, slug):
    event = selectors.organizer_event(user=request.user, slug=slug)
    form = NominationImportForm(request.POST or None, request.FILES or None)
    errors = []
    if request.method == "POST" and form.is_valid():
        try:
            summary = nomination_intake.import_nominations(
                event=event, source=form.cleaned_data["file"]
            )
        except nomination_intake.NominationImportRefused as refused:
            errors = [str(error) for error in refused.errors]
        else:
            record_audit(
                actor=request.user,
                action="nominations.import",
                event=event,
                request=request,
                details={"created": summary.created, "updated": summary.updated},
            )
            messages.success(
                request,
                _("已导入：新增推荐 %(created)s 项，更新 %(updated)s 项，未变 %(unchanged)s 项")
                % {
                    "created": summary.created,
                    "updated": summary.updated,
                    "unchanged": summary.unchanged,
                },
            )
            return redirect("submissions_orga:nominations_import", slug=slug)
    context = {
        "event": event,
        "form": form,
        "errors": errors,
        "categories": [c for c in event.categories.all() if c.is_nomination],
    }
    return render(request, "submissions/orga/nominations_import.html", context)


@login_required
def nominations_template(request, slug):
    event = selectors.organizer_event(user=request.user, slug=slug)
    buffer = io.BytesIO()
    names = nomination_intake.category_names(event) or None
    nominations_excel.write_workbook(buffer, [], names=names, example=True)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = 'attachment; filename="nominations-template.xlsx"'
    return response


def _job(request, slug, pk) -> ImportJob:
    event = selectors.organizer_event(user=request.user, slug=slug)
    try:
        return event.import_jobs.get(pk=pk)
    except ImportJob.DoesNotExist:
        raise Http404 from None


@login_required
def import_job(request, slug, pk):
    job = _job(request, slug, pk)
    context = {"event": job.event, "job": job, "progress": intake.job_progress(job)}
    return render(request, "submissions/orga/import_job.html", context)


@login_required
def import_job_status(request, slug, pk):
    return JsonResponse(intake.job_progress(_job(request, slug, pk)))


@login_required
def bulk_accounts(request, slug):
    event = selectors.organizer_event(user=request.user, slug=slug)
    form = BulkAccountsForm(request.POST or None)
    problems = []
    if request.method == "POST" and form.is_valid():
        lines, problems = accounts.parse_account_lines(form.cleaned_data["lines"])
        if not problems and lines:
            users, created = accounts.create_enterprise_accounts(
                event=event, lines=lines, actor=request.user, request=request
            )
            messages.success(
                request,
                _("已开通 %(users)d 个账号（新建企业 %(new)d 家），已发送设置密码邮件。")
                % {"users": users, "new": created},
            )
            return redirect("submissions_orga:accounts", slug=slug)
    context = {"event": event, "form": form, "problems": problems}
    return render(request, "submissions/orga/accounts.html", context)
