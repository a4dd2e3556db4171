"""Sign-in with the one-time link of a judge's login card."""

from django.contrib.auth import login
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from judging.scoring.signin import redeem_signin_token


@require_http_methods(["GET", "POST"])
def signin(request, token):
    """Ask for a tap first (link previews must not spend the token), then sign the judge in."""
    error = None
    if request.method == "POST":
        try:
            judge = redeem_signin_token(token=token)
        except ValidationError as exc:
            error = exc.messages[0]
        else:
            login(request, judge.user, backend="django.contrib.auth.backends.ModelBackend")
            return redirect("judging:judge_home")
    return render(
        request, "judging/judge/signin.html", {"error": error}, status=400 if error else 200
    )
