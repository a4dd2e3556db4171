"""URLs of the schedule: organizers' venue pages and the public schedule."""

from django.urls import path

from judging.schedule import public_views as public
from judging.schedule import views as orga

app_name = "schedule"

urlpatterns = [
    path("orga/<slug:slug>/venues/", orga.overview, name="overview"),
    path("orga/<slug:slug>/venues/assign/", orga.assign, name="assign"),
    path("orga/<slug:slug>/venues/venues.xlsx", orga.export_xlsx, name="export"),
    path("orga/<slug:slug>/venues/entries/<int:pk>/", orga.entry_action, name="entry_action"),
    path("orga/<slug:slug>/venues/recusals/<int:pk>/delete/", orga.unrecuse, name="unrecuse"),
    path("orga/<slug:slug>/venues/<int:number>/", orga.venue, name="venue"),
    path("orga/<slug:slug>/venues/<int:number>/redraw/", orga.redraw, name="redraw"),
    path("orga/<slug:slug>/venues/<int:number>/recuse/", orga.recuse, name="recuse"),
    path(
        "orga/<slug:slug>/venues/<int:number>/reviewers/",
        orga.assign_reviewers,
        name="assign_reviewers",
    ),
    path("orga/<slug:slug>/venues/<int:number>/print/", orga.printable, name="print"),
    path("orga/<slug:slug>/venues/<int:number>/schedule.pdf", orga.pdf, name="pdf"),
    path("e/<slug:slug>/schedule/", public.schedule, name="public"),
    path("e/<slug:slug>/schedule/live.json", public.live, name="live"),
]
