"""A fixed-window rate limit on Django's cache, for forms the public can post (objections)."""

from django.core.cache import cache


def client_ip(request) -> str:
    return request.META.get("REMOTE_ADDR") or "unknown"


def allow(*, scope: str, keys: list[str], limit: int, window: int) -> bool:
    """Count one attempt under each key; return False once any key is past ``limit``.

    Every key is counted even when an earlier one is over, so an address cannot dodge the
    limit by switching accounts (or the reverse).
    """
    allowed = True
    for key in keys:
        name = f"throttle:{scope}:{key}"
        cache.add(name, 0, timeout=window)
        try:
            count = cache.incr(name)
        except ValueError:  # expired between add and incr
            cache.set(name, 1, timeout=window)
            count = 1
        if count > limit:
            allowed = False
    return allowed
