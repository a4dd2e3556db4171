"""The enterprise portal (include at portal/)."""

from django.urls import path

from .views import delegates, nominations, portal

app_name = "submissions"

urlpatterns = [
    path("", portal.dashboard, name="dashboard"),
    path("team/", portal.team, name="team"),
    path("<slug:slug>/delegates/", delegates.delegates, name="delegates"),
    path("<slug:slug>/delegates/new/", delegates.delegate_edit, name="delegate_create"),
    path("<slug:slug>/delegates/<int:pk>/", delegates.delegate_edit, name="delegate_edit"),
    path("<slug:slug>/new/<str:kind>/", portal.entry_create, name="entry_create"),
    path(
        "<slug:slug>/nominate/<str:kind>/", nominations.nomination_create, name="nomination_create"
    ),
    path("nominations/<int:pk>/edit/", nominations.nomination_edit, name="nomination_edit"),
    path(
        "nominations/<int:pk>/withdraw/",
        nominations.nomination_withdraw,
        name="nomination_withdraw",
    ),
    path("entries/<int:pk>/", portal.entry_detail, name="entry"),
    path("entries/<int:pk>/edit/", portal.entry_edit, name="entry_edit"),
    path("entries/<int:pk>/submit/", portal.entry_submit, name="entry_submit"),
    path("entries/<int:pk>/reopen/", portal.entry_reopen, name="entry_reopen"),
    path("entries/<int:pk>/files/", portal.attachment_upload, name="attachment_upload"),
    path(
        "entries/<int:pk>/files/<int:attachment_pk>/",
        portal.attachment_download,
        name="attachment",
    ),
    path(
        "entries/<int:pk>/files/<int:attachment_pk>/delete/",
        portal.attachment_delete,
        name="attachment_delete",
    ),
]
