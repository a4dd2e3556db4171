"""URLs of the people on site (organizers and door staff)."""

from django.urls import path

from judging.people import public_views, views

app_name = "people"

urlpatterns = [
    path("orga/<slug:slug>/people/", views.people, name="people"),
    path("orga/<slug:slug>/people/delegates.xlsx", views.delegates_xlsx, name="delegates_xlsx"),
    path("orga/<slug:slug>/people/hotel.xlsx", views.hotel_xlsx, name="hotel_xlsx"),
    path("orga/<slug:slug>/people/attendance/", views.attendance_live, name="attendance"),
    path("orga/<slug:slug>/checkin/", views.checkin, name="checkin"),
    path("e/<slug:slug>/participation/", public_views.participation, name="participation"),
]
