"""Whole anonymous pages from a shared cache, keyed by the version of what they show.

A request without a session or messages cookie is anonymous and has nothing of its own on
the page (no CSRF token: the language switcher is a plain link), so the page rendered for one
such reader is the page for all who read it in the same language. A view marked with
``shared_page`` names the versions of what it shows (``qcexchange.versions``), which the
services that change them bump; ``SharedPageMiddleware``, near the top of the stack, keeps
the finished response under the page's path and language with those versions, and answers
the next anonymous reader from it while the versions are unchanged, before sessions, URL
resolving or the view run. A conditional request whose ETag is current gets a 304. Signed-in
readers go past the cache to the view.
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


def is_anonymous_request(request) -> bool:
    """Return whether the request carries nothing that could make its page its own."""
    cookies = request.COOKIES
    return (
        request.method in ("GET", "HEAD")
        and settings.SESSION_COOKIE_NAME not in cookies
        and "messages" not in cookies
    )


def request_language(request) -> str:
    """Return the language the page is served in: the switcher's cookie, else Chinese."""
    chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
    return chosen if chosen in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


def _cache_get(key: str):
    """Read the shared cache; an unreachable one (Redis stopped) reads as empty."""
    try:
        return cache.get(key)
    except Exception:  # noqa: BLE001 - redis and socket errors alike
        return None


def _cache_set(key: str, value, timeout) -> None:
    """Write the shared cache when it is reachable; the page is rendered again otherwise."""
    try:
        cache.set(key, value, timeout)
    except Exception:  # noqa: BLE001
        pass


def _key(request, language: str) -> str:
    path = hashlib.sha256(request.get_full_path().encode()).hexdigest()[:32]
    return f"page:{language}:{path}"


def _etag(version: str, language: str) -> str:
    return f'"{version}.{language}"'


def _matches(request, etag: str) -> bool:
    header = request.headers.get("If-None-Match", "")
    return any(tag.strip() in (etag, f"W/{etag}", "*") for tag in header.split(","))


def _public(response, etag: str):
    response["ETag"] = etag
    # Revalidate every time: the ETag makes an unchanged page cost a 304 and no rendering.
    patch_cache_control(response, public=True, no_cache=True)
    return response


def shared_page(version_keys: Callable[..., list[str] | None]):
    """Mark a view's anonymous GETs as shared pages showing what ``version_keys`` names.

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
            language = request_language(request)
            version = versions.current_many(keys)
            etag = _etag(version, language)
            if _matches(request, etag):
                return _public(HttpResponseNotModified(), etag)
            # Nothing below may read the session: the page would then vary by cookie.
            request.user = AnonymousUser()
            request._messages = CookieStorage(request)
            response = view(request, *args, **kwargs)
            if language == get_language():
                request.shared_page = (keys, version)
            return _public(response, etag)

        return wrapped

    return decorator


class SharedPageMiddleware:
    """Answer anonymous readers from the shared page cache; keep what shared views render."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not is_anonymous_request(request):
            return self.get_response(request)
        language = request_language(request)
        key = _key(request, language)
        stored = _cache_get(key)
        if stored is not None:
            keys, version, status, headers, content = stored
            if versions.current_many(keys) == version:
                etag = _etag(version, language)
                if _matches(request, etag):
                    return _public(HttpResponseNotModified(), etag)
                response = HttpResponse(content, status=status)
                for name, value in headers:
                    response[name] = value
                return response
        response = self.get_response(request)
        shared = getattr(request, "shared_page", None)
        if (
            shared is not None
            and response.status_code == 200
            and not response.streaming
            and not response.cookies
        ):
            keys, version = shared
            headers = [(n, v) for n, v in response.items() if n.lower() != "content-length"]
            stored = (keys, version, response.status_code, headers, response.content)
            _cache_set(key, stored, settings.QCX_PUBLIC_CACHE_SECONDS)
        return response


def event_version_keys(slug: str, **_kwargs) -> list[str] | None:
    """Return the version key of the event with ``slug`` (None when there is none)."""
    event_id = _cache_get(f"event-id:{slug}")
    if event_id is None:
        from events.models import Event

        event_id = Event.objects.filter(slug=slug).values_list("pk", flat=True).first()
        if event_id is None:
            return None
        _cache_set(f"event-id:{slug}", event_id, 300)
    return [versions.event_key(event_id)]


def certificate_version_keys(**_kwargs) -> list[str]:
    return [versions.CERTIFICATES_KEY]
