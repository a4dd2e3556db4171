"""URLs of certificates and the report: organizers, enterprises, public verification."""

from django.urls import path

from judging.documents import public_views as verify
from judging.documents import views as documents

app_name = "judging_documents"

urlpatterns = [
    path("verify/<str:code>/", verify.verify, name="verify"),
    path("orga/<slug:slug>/documents/", documents.documents, name="documents"),
    path("orga/<slug:slug>/people/badges/", documents.start_badges, name="start_badges"),
    path("orga/<slug:slug>/people/badges.pdf", documents.badges_pdf, name="badges_pdf"),
    path(
        "orga/<slug:slug>/documents/jobs/<int:job_id>/",
        documents.job_progress,
        name="job_progress",
    ),
    path(
        "orga/<slug:slug>/documents/certificates/render/",
        documents.start_certificates,
        name="start_certificates",
    ),
    path("orga/<slug:slug>/documents/report/render/", documents.start_report, name="start_report"),
    path("orga/<slug:slug>/documents/report.pdf", documents.report_pdf, name="report_pdf"),
    path(
        "orga/<slug:slug>/documents/certificates.zip",
        documents.all_certificates_zip,
        name="all_zip",
    ),
    path(
        "orga/<slug:slug>/documents/enterprises/<int:enterprise_id>/certificates.zip",
        documents.enterprise_certificates_zip,
        name="enterprise_zip",
    ),
    path("certificates/<str:code>.pdf", documents.certificate_pdf, name="certificate_pdf"),
    path("portal/certificates/", documents.portal_certificates, name="portal_certificates"),
    path(
        "portal/certificates/<slug:slug>.zip",
        documents.portal_certificates_zip,
        name="portal_zip",
    ),
]
