"""Sign-up of an enterprise and confirmation of its first account."""

from django.contrib import messages
from django.contrib.auth import login
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from ..forms import SignupForm
from ..services import accounts


@require_http_methods(["GET", "POST"])
def signup(request):
    if request.user.is_authenticated:
        return redirect("submissions:dashboard")
    form = SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        accounts.register_enterprise(
            name=data["enterprise_name"],
            credit_code=data["credit_code"],
            short_name=data["short_name"],
            username=data["username"],
            email=data["email"],
            password=data["password1"],
            full_name=data["full_name"],
            request=request,
        )
        return render(request, "registration/signup_done.html", {"email": data["email"]})
    return render(request, "registration/signup.html", {"form": form})


def signup_confirm(request, uidb64, token):
    user = accounts.confirm_account(uidb64=uidb64, token=token)
    if user is None:
        return render(request, "registration/signup_invalid.html", status=400)
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    messages.success(request, _("账号已确认，欢迎使用成果申报。"))
    return redirect("submissions:dashboard")


def lockout(request, credentials, *args, **kwargs):
    """Answer a sign-in locked by too many failures (django-axes) with a page in Chinese."""
    from axes.helpers import get_cool_off, get_failure_limit

    cool_off = get_cool_off(request)
    context = {
        "failure_limit": get_failure_limit(request, credentials),
        "minutes": int(cool_off.total_seconds() // 60) if cool_off else None,
    }
    return render(request, "registration/lockout.html", context, status=429)
