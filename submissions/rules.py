"""Who may do what with enterprises and entries: plain predicates, no side effects."""

import datetime as dt

from events.models import Event

from .enums import Status
from .models import Submission


def enterprise_id_of(user) -> int | None:
    """Return the id of the enterprise the user acts for, or None."""
    if not user.is_authenticated:
        return None
    membership = getattr(user, "membership", None)
    return membership.enterprise_id if membership else None


def is_organizer(user, event: Event) -> bool:
    return event.is_staff_member(user)


def owner_id_of(submission: Submission) -> int:
    """Return the enterprise whose portal holds the entry: who nominated, else its own."""
    return submission.submitter_id or submission.enterprise_id


def can_view_submission(user, submission: Submission) -> bool:
    own = enterprise_id_of(user)
    return (own is not None and owner_id_of(submission) == own) or is_organizer(
        user, submission.event
    )


def window_is_open(event: Event, now: dt.datetime) -> bool:
    """Return whether the event's submission window is open; no opening date means closed."""
    opens, closes = event.submission_opens, event.submission_closes
    return opens is not None and now >= opens and (closes is None or now < closes)


def fix_window_is_open(submission: Submission, now: dt.datetime) -> bool:
    return submission.status == Status.RETURNED and (
        submission.fix_deadline is None or now < submission.fix_deadline
    )


def enterprise_can_edit(submission: Submission, now: dt.datetime) -> bool:
    """A draft inside the window, or an entry returned for fixes before its fix deadline."""
    if submission.status == Status.DRAFT:
        return window_is_open(submission.event, now)
    return fix_window_is_open(submission, now)


def enterprise_can_reopen(submission: Submission, now: dt.datetime) -> bool:
    """A submitted entry not yet reviewed may go back to draft while the window is open."""
    return submission.status == Status.SUBMITTED and window_is_open(submission.event, now)


WITHDRAWABLE = (Status.DRAFT, Status.SUBMITTED, Status.RETURNED)


def enterprise_can_withdraw(submission: Submission) -> bool:
    """A nomination not yet decided by the formal review may be withdrawn by its enterprise."""
    return submission.category.is_nomination and submission.status in WITHDRAWABLE


def can_manage_accounts(user) -> bool:
    membership = getattr(user, "membership", None) if user.is_authenticated else None
    return bool(membership and membership.is_admin)
