"""Whole anonymous pages from a shared cache, keyed by the version of what they show.

A request without a session or messages cookie is anonymous and has nothing of its own on
the page (no CSRF token: the language switcher is a plain link), so the page rendered for one
such reader is the page for all who read it in the same language. ``shared_page`` stores it
under the page's version (``qcexchange.versions``), which the services that change what the
page shows bump on commit, and answers a conditional request whose ETag is still current
with 304. Signed-in readers go past the cache to the view.
"""

import hashlib
from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache
from django.http import HttpResponse, HttpResponseNotModified
from django.utils.cache import patch_cache_control
from django.utils.translation import get_language

from qcexchange import versions

HEADERS_KEPT = ("Content-Type", "Content-Language", "Content-Security-Policy")


def is_anonymous_request(request) -> bool:
    """Return whether the request carries nothing that could make its page its own."""
    cookies = request.COOKIES
    return (
        request.method in ("GET", "HEAD")
        and settings.SESSION_COOKIE_NAME not in cookies
        and "messages" not in cookies
    )


def _etag(version: str, language: str) -> str:
    return f'"{version}.{language}"'


def _matches(request, etag: str) -> bool:
    header = request.headers.get("If-None-Match", "")
    return any(tag.strip() in (etag, f"W/{etag}", "*") for tag in header.split(","))


def shared_page(version_keys: Callable[..., list[str] | None]):
    """Serve anonymous GETs of the view from the shared cache.

    ``version_keys(**view_kwargs)`` returns the version keys of what the page shows, or None
    when the page cannot be shared (e.g. no such event: the view answers as it would).
    """

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not is_anonymous_request(request):
                return view(request, *args, **kwargs)
            keys = version_keys(**kwargs)
            if keys is None:
                return view(request, *args, **kwargs)
            # Nothing here may read the session: the page would then vary by cookie.
            request.user = AnonymousUser()
            request._messages = CookieStorage(request)
            language = get_language()
            version = versions.current_many(keys)
            etag = _etag(version, language)
            if _matches(request, etag):
                response = HttpResponseNotModified()
                response["ETag"] = etag
                return _public(response)
            path = hashlib.sha256(request.get_full_path().encode()).hexdigest()[:24]
            key = f"page:{language}:{version}:{path}"
            stored = cache.get(key)
            if stored is not None:
                status, headers, content = stored
                response = HttpResponse(content, status=status)
                for name, value in headers.items():
                    response[name] = value
            else:
                response = view(request, *args, **kwargs)
                if response.status_code != 200 or response.streaming or response.cookies:
                    return response
                if hasattr(response, "render") and callable(response.render):
                    response.render()
                headers = {name: response[name] for name in HEADERS_KEPT if name in response}
                cache.set(
                    key,
                    (response.status_code, headers, response.content),
                    settings.QCX_PUBLIC_CACHE_SECONDS,
                )
            response["ETag"] = etag
            return _public(response)

        return wrapped

    return decorator


def _public(response):
    # Revalidate every time: the ETag makes an unchanged page cost a 304 and no rendering.
    patch_cache_control(response, public=True, no_cache=True)
    return response


def event_version_keys(slug: str, **_kwargs) -> list[str] | None:
    """Return the version key of the event with ``slug`` (None when there is none)."""
    event_id = cache.get(f"event-id:{slug}")
    if event_id is None:
        from events.models import Event

        event_id = Event.objects.filter(slug=slug).values_list("pk", flat=True).first()
        if event_id is None:
            return None
        cache.set(f"event-id:{slug}", event_id, 300)
    return [versions.event_key(event_id)]


def certificate_version_keys(**_kwargs) -> list[str]:
    return [versions.CERTIFICATES_KEY]
