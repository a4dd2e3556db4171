"""Writes of the submissions app, one module per stage: accounts, entries, files, intake, review."""

from .review import record_review_verdict

__all__ = ["record_review_verdict"]
