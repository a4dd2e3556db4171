"""Operational endpoints."""

from django.conf import settings
from django.db import connection
from django.http import Http404, HttpResponseRedirect, JsonResponse
from django.utils.http import url_has_allowed_host_and_scheme


def healthz(request):
    """Report whether the database and the Celery broker are reachable."""
    checks = {"database": "ok", "broker": "ok"}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception as exc:  # noqa: BLE001 - any failure means unhealthy
        checks["database"] = f"down: {exc.__class__.__name__}"
    if settings.REDIS_URL:
        try:
            import redis

            redis.Redis.from_url(
                settings.REDIS_URL, socket_connect_timeout=1, socket_timeout=1
            ).ping()
        except Exception as exc:  # noqa: BLE001
            checks["broker"] = f"down: {exc.__class__.__name__}"
    elif settings.QCX_EMBEDDED_BROKER:
        checks["broker"] = "embedded (files)"
    else:
        checks["broker"] = "in-process"
    healthy = all(not value.startswith("down") for value in checks.values())
    body = {"status": "ok" if healthy else "degraded", **checks}
    if checks["database"] == "ok":
        from .queueing import pending_count

        body["tasks_waiting_for_broker"] = pending_count()
    return JsonResponse(body, status=200 if healthy else 503)


def switch_language(request, language):
    """Set the language cookie and go back: a plain link, so pages carry no CSRF token for it."""
    if language not in dict(settings.LANGUAGES):
        raise Http404
    target = request.GET.get("next", "/")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = "/"
    response = HttpResponseRedirect(target)
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )
    return response
