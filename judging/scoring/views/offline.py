"""Offline judging: the tablet's service worker and the list of pages it keeps for a venue.

The service worker (static/js/sw.js) is served from /judge/sw.js so that its scope covers the
judge's pages. Once the venue page has been opened online it precaches what the manifest below
lists: the venue's running order, every scorecard page and score sheet of the venue, and the
assets those pages load. The cache is named after the signed-in user (a keyed hash, not the
id) and the venue, so a tablet never serves one judge's pages to the next user.
"""

from functools import wraps
from pathlib import Path

from django.contrib.auth.decorators import login_required
from django.contrib.staticfiles import finders
from django.http import HttpResponse, JsonResponse
from django.templatetags.static import static
from django.urls import reverse
from django.utils.crypto import salted_hmac
from django.views.decorators.cache import never_cache

from judging.rules import seat_or_404
from judging.scoring import selectors

OWNER_HEADER = "X-Qcx-Offline-Owner"
CACHE_PREFIX = "qcx-judge-"
ASSETS = [
    "vendor/bootstrap/css/bootstrap.min.css",
    "vendor/bootstrap/js/bootstrap.bundle.min.js",
    "vendor/htmx/htmx.min.js",
    "css/qcexchange.css",
    "css/tablet.css",
    "js/qcexchange.js",
    "js/scorecard.js",
    "js/offline.js",
]


def owner_key(user) -> str:
    """An opaque key for the signed-in user that names their offline caches."""
    return salted_hmac("qcexchange.offline-owner", str(user.pk)).hexdigest()[:20]


def cache_name(user, venue_id: int) -> str:
    return f"{CACHE_PREFIX}{owner_key(user)}-{venue_id}"


def tells_owner(view):
    """Mark a judge page with whose it is: the service worker drops other users' caches."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if request.user.is_authenticated:
            response[OWNER_HEADER] = owner_key(request.user)
        return response

    return wrapped


def service_worker(request):
    """Serve static/js/sw.js at /judge/sw.js (scope /judge/), never cached by the browser."""
    path = finders.find("js/sw.js")
    response = HttpResponse(Path(path).read_bytes(), content_type="text/javascript")
    response["Cache-Control"] = "no-cache"
    response["Service-Worker-Allowed"] = reverse("judging:judge_home")
    return response


@never_cache
@login_required
@tells_owner
def manifest(request, venue_id):
    """What the tablet keeps for offline use at this venue (JSON for the service worker)."""
    seat = seat_or_404(request.user, venue_id)
    rows = selectors.venue_board(venue=seat.venue, judge=seat.judge)
    pages = [
        reverse("judging:venue", args=[venue_id]),
        reverse("judging:venue_order", args=[venue_id]),
    ]
    kept = [row for row in rows if not row.recused]
    for row in kept:
        pages.append(reverse("judging:scorecard", args=[row.entry.pk]))
        pages.append(reverse("judging:api_sheet", args=[row.entry.pk]))
    return JsonResponse(
        {
            "cache": cache_name(request.user, venue_id),
            "owner": owner_key(request.user),
            "entries": len(kept),
            "pages": pages,
            "assets": [static(name) for name in ASSETS] + [reverse("javascript-catalog")],
        }
    )
