from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from django.views.i18n import JavaScriptCatalog

from events import views as event_views

from . import views

admin.site.site_header = _("qcexchange 活动管理")
admin.site.site_title = "qcexchange"
admin.site.index_title = _("活动配置")

urlpatterns = [
    path("", event_views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("i18n/switch/<str:language>/", views.switch_language, name="switch_language"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("i18n/js/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("", include("judging.setup.urls")),  # before accounts/ and orga/<slug>/
    path("accounts/", include("submissions.urls_accounts")),
    path("portal/", include("submissions.urls")),
    path("orga/<slug:slug>/", include("submissions.urls_orga")),
    path("e/", include("events.urls")),
    path("", include("judging.schedule.urls")),
    path("", include("judging.scoring.urls")),
    path("", include("judging.documents.urls")),
    path("", include("judging.awards.urls")),
    path("", include("judging.people.urls")),
    path("", include("judging.awards.plenary_urls")),
]
