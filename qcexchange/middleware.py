"""Cross-cutting HTTP concerns that are not business logic."""

from django.conf import settings

DEFAULT_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self'; "
    "frame-src 'self' blob:; object-src 'self'; base-uri 'self'; form-action 'self'; "
    "frame-ancestors 'self'"
)


class ContentSecurityPolicyMiddleware:
    """Send a Content-Security-Policy that forbids inline scripts and third-party origins."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.path.startswith("/admin/"):
            # The Django admin uses a few inline scripts of its own.
            return response
        policy = getattr(settings, "QCX_CSP", DEFAULT_CSP)
        response.headers.setdefault("Content-Security-Policy", policy)
        return response


class ChineseFirstMiddleware:
    """Serve Chinese unless the user picked another language with the switcher.

    The browser's Accept-Language is ignored on purpose: a judge's tablet or a venue PC set up
    in English must still show the Chinese interface that the event runs in.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        return self.get_response(request)
