"""URLs of event set-up: the organizer's events, the checklist, cloning, a contest announced
at an event, the role landing."""

from django.urls import path

from judging.setup import views

app_name = "judging_setup"

urlpatterns = [
    path("accounts/home/", views.landing, name="landing"),
    path("orga/", views.my_events, name="events"),
    path("orga/<slug:slug>/setup/", views.setup, name="setup"),
    path("orga/<slug:slug>/setup/clone/", views.clone, name="clone"),
    path("orga/<slug:slug>/setup/contest/", views.new_contest, name="new_contest"),
]
