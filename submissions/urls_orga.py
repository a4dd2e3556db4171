"""Organizer pages of the submissions app (include at orga/<slug:slug>/)."""

from django.urls import path

from .views import orga

app_name = "submissions_orga"

urlpatterns = [
    path("entries/", orga.entry_list, name="entries"),
    path("entries/export.xlsx", orga.export, name="export"),
    path("entries/accounts/", orga.bulk_accounts, name="accounts"),
    path("entries/<int:pk>/", orga.entry_review, name="entry"),
    path(
        "entries/<int:pk>/files/<int:attachment_pk>/",
        orga.attachment_download,
        name="attachment",
    ),
    path("import/", orga.import_page, name="import"),
    path("import/template.xlsx", orga.template, name="template"),
    path("import/nominations/", orga.nominations_import, name="nominations_import"),
    path(
        "import/nominations/template.xlsx",
        orga.nominations_template,
        name="nominations_template",
    ),
    path("import/<int:pk>/", orga.import_job, name="import_job"),
    path("import/<int:pk>/status/", orga.import_job_status, name="import_job_status"),
]
