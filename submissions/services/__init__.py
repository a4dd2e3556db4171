"""Writes of the submissions app, one module per stage: accounts, entries, files, intake,
review.
Queued work goes by task name through qcexchange.queueing: no service imports a tasks module.
"""

from .review import record_review_verdict

__all__ = ["record_review_verdict"]
