"""Operational endpoints."""

from django.conf import settings
from django.db import connection
from django.http import JsonResponse


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
