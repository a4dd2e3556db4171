"""Admin of certificate designs (with a preview PDF), certificates and rendering jobs."""

from django.contrib import admin, messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from events.admin import EventScopedAdmin
from judging.documents import certificate_files, services
from judging.models import Certificate, CertificateDesign, RenderJob


@admin.register(CertificateDesign)
class CertificateDesignAdmin(EventScopedAdmin):
    list_display = ["event", "audience", "category", "title", "issuing_body", "issue_date"]
    list_filter = [("event", admin.RelatedOnlyFieldListFilter), "audience"]
    readonly_fields = ["preview_link"]
    fields = [
        "event",
        "category",
        "audience",
        "title",
        "wording",
        "issuing_body",
        "issue_date",
        "seal",
        "background",
        "preview_link",
    ]

    @admin.display(description=_("预览"))
    def preview_link(self, obj):
        if not obj or not obj.pk:
            return _("保存后可预览 PDF")
        url = reverse("admin:judging_certificatedesign_preview", args=[obj.pk])
        return format_html('<a href="{}" target="_blank">{}</a>', url, _("预览证书 PDF"))

    def get_urls(self):
        return [
            path(
                "<int:pk>/preview/",
                self.admin_site.admin_view(self.preview_view),
                name="judging_certificatedesign_preview",
            )
        ] + super().get_urls()

    def preview_view(self, request, pk):
        design = get_object_or_404(self.get_queryset(request), pk=pk)
        try:
            pdf = certificate_files.preview_design(design=design)
        except services.CertificateError as exc:
            messages.error(request, str(exc))
            return redirect("admin:judging_certificatedesign_change", pk)
        response = HttpResponse(pdf, content_type="application/pdf")
        response["Content-Disposition"] = 'inline; filename="preview.pdf"'
        return response


@admin.register(Certificate)
class CertificateAdmin(EventScopedAdmin):
    list_display = ["number", "audience", "honour", "submission", "member", "status", "rendered_at"]
    list_filter = [("event", admin.RelatedOnlyFieldListFilter), "audience", "status"]
    search_fields = ["number", "verify_code", "submission__enterprise__name", "member__name"]
    list_select_related = ["submission", "member"]
    readonly_fields = [
        "event",
        "submission",
        "member",
        "audience",
        "number",
        "verify_code",
        "honour",
        "content",
        "content_hash",
        "file",
        "rendered_hash",
        "rendered_at",
        "revoked_at",
    ]

    def has_add_permission(self, request):
        return False


@admin.register(RenderJob)
class RenderJobAdmin(EventScopedAdmin):
    list_display = ["event", "kind", "status", "done", "total", "created_at", "finished_at"]
    list_filter = ["kind", "status"]
    readonly_fields = [f.name for f in RenderJob._meta.fields]

    def has_add_permission(self, request):
        return False
