"""Retrying a write that SQLite refused because another writer held the database.

SQLite answers a concurrent writer "database is locked" (or "table is locked" in a shared
cache) instead of making it wait as PostgreSQL's row locks do; a short, bounded retry
outside any enclosing transaction lets the second writer see the first one's result.
"""

import time

from django.db import OperationalError, connection

SQLITE_LOCK_RETRIES = 8


def sqlite_locked(error: OperationalError) -> bool:
    return (
        connection.vendor == "sqlite" and "locked" in str(error) and not connection.in_atomic_block
    )


def pause(attempt: int) -> None:
    time.sleep(0.05 * (attempt + 1))
