"""Version numbers of what pages show, kept in the cache and bumped by the services that change it.

A page or a poll builds its cache key and its ETag from the versions of what it shows: an
event (its programme, schedule, now-presenting entries, publication), a venue (its cards,
presenter, lock) or the certificates. A service that changes one calls ``bump_*``; a new
number is written at once and again when the transaction commits, so nobody keeps a page
of the old rows under the final number.

A version missing from the cache (evicted, or a fresh Redis) is created anew with a value
never used before, so losing the cache can only cost a render, never serve a stale page.
It lives at the bottom of the layers: events, submissions and judging all may call it.
"""

import logging
import secrets
import time

from django.core.cache import caches
from django.core.cache.backends.filebased import FileBasedCache
from django.db import transaction

CACHE_ALIAS = "versions"
logger = logging.getLogger("qcexchange.versions")


class VersionFileCache(FileBasedCache):
    """The versions' store without Redis: Django's file cache, culled now and then.

    Django's file cache lists its whole directory on every write to decide whether to cull;
    versions are written on every submit and their keys are few (one per event and venue),
    so the listing is left to one write in ``CULL_EVERY`` of each process.
    """

    CULL_EVERY = 1024
    _writes = 0

    def _cull(self):
        type(self)._writes += 1
        if self._writes % self.CULL_EVERY == 0:
            super()._cull()


def _cache():
    return caches[CACHE_ALIAS]


def _fresh() -> str:
    """Return a value no earlier version had: the clock in microseconds and a random tail."""
    return f"{time.time_ns() // 1000:x}{secrets.token_hex(2)}"


def event_key(event_id: int) -> str:
    return f"ver:event:{event_id}"


def venue_key(venue_id: int) -> str:
    return f"ver:venue:{venue_id}"


def live_key(event_id: int) -> str:
    """What the control room shows: every venue's cards, locks and presenters."""
    return f"ver:live:{event_id}"


CERTIFICATES_KEY = "ver:certificates"
# Every event's score sheets and items: processes keep the sheets they read under it.
SHEETS_KEY = "ver:sheets"


def current(key: str) -> str:
    """Return the version stored under ``key``, creating it when missing.

    With the cache unreachable (Redis stopped) the answer is a value never used before: the
    page is rendered afresh and never kept under a number that could go stale.
    """
    cache = _cache()
    try:
        value = cache.get(key)
        if value is None:
            cache.add(key, _fresh(), timeout=None)
            value = cache.get(key)
    except Exception:  # noqa: BLE001 - redis and socket errors alike
        logger.warning("version cache unreachable key=%s", key)
        return _fresh()
    return value or _fresh()


def current_many(keys: list[str]) -> str:
    """Return one version combining several keys (a page that shows an event and its venues)."""
    cache = _cache()
    try:
        found = cache.get_many(keys)
    except Exception:  # noqa: BLE001
        logger.warning("version cache unreachable keys=%s", keys)
        return ".".join(_fresh() for _key in keys)
    missing = [key for key in keys if key not in found]
    for key in missing:
        found[key] = current(key)
    return ".".join(found[key] for key in keys)


def _bump(*keys: str) -> None:
    def write():
        # A stopped cache must never fail the write that changed the rows (a judge's submit):
        # pages kept in that same cache are out of reach too, and expire on their own.
        try:
            _cache().set_many({key: _fresh() for key in keys}, timeout=None)
        except Exception:  # noqa: BLE001
            logger.warning("version cache unreachable, not bumped keys=%s", keys)

    # Now, so the writer's own next read sees the change, and again on commit, so a page
    # rendered from the old rows in between is never kept under the final version.
    write()
    transaction.on_commit(write)


def bump_event(event_id: int) -> None:
    """Mark what the event's pages show as changed (after commit)."""
    _bump(event_key(event_id))


def cards_key(venue_id: int) -> str:
    """The cards at a venue alone: a matrix poll that finds only these changed sends the rows
    whose cards changed, not the whole matrix."""
    return f"ver:venue-cards:{venue_id}"


def bump_venue(venue) -> None:
    """Mark a venue's lock or panel as changed (its matrix, the control room), not public pages."""
    _bump(venue_key(venue.pk), live_key(venue.event_id))


def bump_cards(venue) -> None:
    """Mark cards at the venue as written, submitted or returned: its matrix's rows and the
    control room, not public pages."""
    _bump(cards_key(venue.pk), live_key(venue.event_id))


def bump_presenting(venue) -> None:
    """Mark who presents at the venue as changed: its live views and the public pages."""
    _bump(venue_key(venue.pk), live_key(venue.event_id), event_key(venue.event_id))


def bump_sheets() -> None:
    """Mark score sheets or their items as changed: every process reads them afresh."""
    _bump(SHEETS_KEY)


def bump_certificates() -> None:
    """Mark certificates as issued, revoked or changed (after commit)."""
    _bump(CERTIFICATES_KEY)


def venues_key(event_id: int) -> str:
    return f"ver:event-venues:{event_id}"


def venue_poll_keys(venue) -> list[str]:
    """Return the keys of what a venue's live views show: the venue and the event's venues."""
    return [venue_key(venue.pk), venues_key(venue.event_id)]


def bump_event_venues(event_id: int) -> None:
    """Mark every venue of the event as changed (assignments, recusals, imports) after commit."""
    _bump(venues_key(event_id), live_key(event_id), event_key(event_id))


def bump_results(event_id: int) -> None:
    """Mark the event's published results, and so what certificates verify, as changed."""
    _bump(event_key(event_id), CERTIFICATES_KEY)
