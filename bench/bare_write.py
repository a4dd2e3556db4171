"""The baseline of bench_judging_load.py: a bare idempotent row write through the same stack.

Served by the same gunicorn, the same Django settings and middleware (session, CSRF, the
signed-in user), ``POST /bench/bare-write/`` inserts one row keyed by the request's client id
(``INSERT ... ON CONFLICT DO NOTHING``) and answers 201, or 200 when the row was there: what a
submit would cost if it did nothing but store its card once. Used only by the benchmark
(``DJANGO_SETTINGS_MODULE=bench.bare_write_settings``); the product never routes to it.
"""

import json

from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import JsonResponse
from django.urls import path
from django.views.decorators.http import require_POST

from qcexchange.urls import urlpatterns as product_urlpatterns

TABLE = "bench_bare_write"
CREATE = (
    f"CREATE TABLE IF NOT EXISTS {TABLE} (client_id uuid PRIMARY KEY, user_id integer NOT NULL,"
    " payload text NOT NULL, created_at timestamptz NOT NULL DEFAULT now())"
)


@login_required
@require_POST
def bare_write(request):
    body = json.loads(request.body)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {TABLE} (client_id, user_id, payload) VALUES (%s, %s, %s)"
            " ON CONFLICT (client_id) DO NOTHING",
            [body["client_id"], request.user.pk, json.dumps(body.get("points", {}))],
        )
        created = cursor.rowcount == 1
    return JsonResponse({"client_id": body["client_id"]}, status=201 if created else 200)


urlpatterns = [path("bench/bare-write/", bare_write), *product_urlpatterns]
