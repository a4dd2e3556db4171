"""URLs of the plenary: organizer pages and the public programme."""

from django.urls import path

from judging.awards import plenary_views as views

app_name = "plenary"

urlpatterns = [
    path("orga/<slug:slug>/showcase/", views.showcase, name="showcase"),
    path("orga/<slug:slug>/plenary/", views.programme, name="programme"),
    path("e/<slug:slug>/plenary/", views.public, name="public"),
]
