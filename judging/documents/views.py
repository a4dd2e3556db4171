"""Certificates and the report: organizers render and download; enterprises download theirs."""

import tempfile

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from events.models import Event
from events.services import record_audit
from judging import rules
from judging.documents import badge_services, certificate_files, services
from judging.documents import report_services as services_report
from judging.enums import CertificateStatus, JobKind, JobStatus
from judging.models import Certificate, RenderJob
from judging.people.services import register_judges
from qcexchange.queueing import BROKER_DOWN_MESSAGE
from submissions.models import Enterprise


def _managed_event(request, slug) -> Event:
    event = get_object_or_404(Event, slug=slug)
    if not rules.is_organizer(request.user, event):
        raise Http404
    return event


def _zip_response(certificates, filename):
    spool = tempfile.SpooledTemporaryFile(max_size=32 * 1024 * 1024)
    certificate_files.write_zip(certificates, spool)
    spool.seek(0)
    return FileResponse(spool, as_attachment=True, filename=filename)


@login_required
def documents(request, slug):
    """The organizer's documents page: render buttons, progress, downloads."""
    event = _managed_event(request, slug)
    certs = Certificate.objects.filter(event=event)
    context = {
        "event": event,
        "cert_job": RenderJob.objects.filter(event=event, kind=JobKind.CERTIFICATES).first(),
        "report_job": RenderJob.objects.filter(event=event, kind=JobKind.REPORT).first(),
        "report_file": services_report.latest_report(event=event),
        "valid": certs.filter(status=CertificateStatus.VALID).count(),
        "revoked": certs.filter(status=CertificateStatus.REVOKED).count(),
        "rendered": certs.filter(status=CertificateStatus.VALID).exclude(file="").count(),
        "enterprises": Enterprise.objects.filter(submissions__certificates__event=event)
        .distinct()
        .order_by("name"),
    }
    return render(request, "judging/documents/index.html", context)


@login_required
def job_progress(request, slug, job_id):
    """The progress bar of one job; htmx polls it while the job runs."""
    event = _managed_event(request, slug)
    job = get_object_or_404(RenderJob, event=event, pk=job_id)
    return render(request, "judging/documents/_progress.html", {"event": event, "job": job})


def _tell_started(request, job, text: str) -> None:
    """Say the job started, that it waits for the task queue, or (run in the request, as
    without a worker) what it did: never a count the job has not reached yet."""
    job.refresh_from_db(fields=["message", "status", "total", "done"])
    if job.message == BROKER_DOWN_MESSAGE:
        messages.warning(request, gettext(job.message))
    elif job.status == JobStatus.DONE:
        messages.success(request, gettext(job.message) or text)
    elif job.status == JobStatus.FAILED:
        messages.error(request, gettext(job.message))
    else:
        messages.success(request, text)


@login_required
@require_POST
def start_certificates(request, slug):
    event = _managed_event(request, slug)
    try:
        job = services.render_certificates(event=event, user=request.user)
    except services.CertificateError as exc:
        messages.error(request, str(exc))
    else:
        record_audit(
            actor=request.user,
            action="render_certificates",
            event=event,
            target=f"job #{job.pk}",
            request=request,
        )
        _tell_started(request, job, _("已开始生成证书，进度见下方；完成后显示实际生成的张数。"))
    return redirect("judging_documents:documents", slug=event.slug)


@login_required
@require_POST
def start_report(request, slug):
    event = _managed_event(request, slug)
    job = services_report.render_report(event=event, user=request.user)
    record_audit(
        actor=request.user,
        action="render_report",
        event=event,
        target=f"job #{job.pk}",
        request=request,
    )
    _tell_started(request, job, _("已开始生成总结报告"))
    return redirect("judging_documents:documents", slug=event.slug)


@login_required
def report_pdf(request, slug):
    event = _managed_event(request, slug)
    job = services_report.latest_report(event=event)
    if job is None:
        raise Http404
    return FileResponse(job.output.open("rb"), filename=f"{event.slug}-总结报告.pdf")


@login_required
def all_certificates_zip(request, slug):
    event = _managed_event(request, slug)
    certs = Certificate.objects.filter(event=event, status=CertificateStatus.VALID)
    return _zip_response(certs.order_by("number"), f"{event.slug}-证书.zip")


@login_required
def enterprise_certificates_zip(request, slug, enterprise_id):
    event = _managed_event(request, slug)
    enterprise = get_object_or_404(
        Enterprise.objects.filter(submissions__event=event).distinct(), pk=enterprise_id
    )
    certs = Certificate.objects.filter(
        event=event, submission__enterprise=enterprise, status=CertificateStatus.VALID
    )
    return _zip_response(certs.order_by("number"), f"{event.slug}-{enterprise.name}-证书.zip")


@login_required
def certificate_pdf(request, code):
    """One certificate's PDF, for its event's organizers and its enterprise."""
    cert = get_object_or_404(
        Certificate.objects.select_related("event", "submission"), verify_code=code
    )
    if not rules.can_download_certificate(request.user, cert) or not cert.file:
        raise Http404
    return FileResponse(cert.file.open("rb"), filename=f"{cert.number}.pdf")


@login_required
def portal_certificates(request):
    """An enterprise's certificates of events whose results are final."""
    enterprise = rules.enterprise_of(request.user)
    if enterprise is None:
        raise Http404
    certs = [
        cert
        for cert in Certificate.objects.filter(submission__enterprise=enterprise)
        .exclude(file="")
        .select_related("event", "submission", "event__publication")
        .order_by("event", "number")
        if rules.results_are_final(cert.event)
    ]
    return render(
        request,
        "judging/documents/portal.html",
        {"enterprise": enterprise, "certificates": certs},
    )


@login_required
def portal_certificates_zip(request, slug):
    enterprise = rules.enterprise_of(request.user)
    event = get_object_or_404(Event, slug=slug)
    if enterprise is None or not rules.results_are_final(event):
        raise Http404
    certs = Certificate.objects.filter(
        event=event, submission__enterprise=enterprise, status=CertificateStatus.VALID
    )
    return _zip_response(certs.order_by("number"), f"{event.slug}-{enterprise.name}-证书.zip")


@login_required
@require_POST
def start_badges(request, slug):
    event = rules.organized_event_or_404(request.user, slug)
    register_judges(event=event)
    job = badge_services.render_badges(event=event, user=request.user)
    record_audit(
        actor=request.user,
        action="render_badges",
        event=event,
        target=f"job #{job.pk}",
        request=request,
    )
    messages.success(request, _("已开始生成胸卡"))
    return redirect("people:people", slug=slug)


@login_required
def badges_pdf(request, slug):
    event = rules.organized_event_or_404(request.user, slug)
    job = badge_services.latest_badges(event=event)
    if job is None:
        raise Http404
    return FileResponse(job.output.open("rb"), filename=f"{event.slug}-胸卡.pdf")
