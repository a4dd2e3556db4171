"""Account pages beyond login: enterprise sign-up and password reset (include at accounts/)."""

from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from .forms import AccountPasswordResetForm
from .views import accounts

urlpatterns = [
    path("signup/", accounts.signup, name="signup"),
    path("signup/confirm/<uidb64>/<token>/", accounts.signup_confirm, name="signup_confirm"),
    path(
        "password/reset/",
        auth_views.PasswordResetView.as_view(form_class=AccountPasswordResetForm),
        name="password_reset",
    ),
    path(
        "password/reset/sent/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "password/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(
            success_url=reverse_lazy("password_reset_complete")
        ),
        name="password_reset_confirm",
    ),
    path(
        "password/reset/done/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
]
