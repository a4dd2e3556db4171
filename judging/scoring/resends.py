"""A tablet's resend of a submit: one submit of a card at a time, and the stored card as the
answer to the resend.

A tablet sends a card again whenever the answer is slow to come, so every card arrives about
twice; the resend is answered here, from the card stored the first time, in a few plain
queries, before the entry and the seat are looked up
(``judging.scoring.services.submit_scorecard`` answers any resend that gets past this as a
replay all the same).
"""

from __future__ import annotations

from contextlib import contextmanager

from django.db import connection, transaction

from judging.enums import CardStatus
from judging.models import Scorecard, ScoreLine
from qcexchange.prepared import Prepared


@contextmanager
def one_submit_per_card(user_id: int, submission_id: int):
    """Let one submit of a user's card for an entry run at a time; the others wait here.

    A tablet sends a card again when the answer is slow: the resend arriving while the first is
    still being stored waits on this lock (a PostgreSQL advisory lock held until commit,
    keyed by the user and the entry) instead of doing the whole submit beside it only to
    be refused at the end, and then finds the stored card and answers as a replay. Other
    databases write one at a time anyway: there it holds nothing.
    """
    if connection.vendor != "postgresql":
        yield
        return
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [user_id, submission_id])
        yield


def stored_resend(user, submission_id: int, client_id) -> Scorecard | None:
    """Return the user's submitted card for the entry stored under ``client_id``, or None.

    A tablet resends a submit until it hears back; the resend (holding
    ``one_submit_per_card``) finds its card and is answered with it as ``submit_scorecard``
    would answer it, before the entry and the seat are looked up. Unlike ``services._replayed`` it
    refuses nothing: a client id of another card, or of a card returned since, goes on to the
    submit, which says why.
    """
    if not client_id or not getattr(user, "is_authenticated", False):
        return None
    card = _RESENT_CARD.first(client_id=client_id)  # its unique index
    if card is None:  # the usual case: a first submit asks no more than this
        return None
    if (
        card.submission_id != submission_id
        or card.status != CardStatus.SUBMITTED
        or card.judge.user_id != user.pk
    ):
        return None
    card.keep_lines(_RESENT_LINES.all(card_id=card.pk))
    return card


# What a resend is answered with, compiled once (qcexchange.prepared): every card is sent
# twice when a tablet's answer is slow.
_RESENT_CARD = Prepared(
    lambda client_id: (
        Scorecard.objects.select_related("judge", "submission")
        .filter(client_id=client_id)
        .order_by()[:1]
    ),
    "client_id",
    uuids=("client_id",),
)
_RESENT_LINES = Prepared(
    lambda card_id: ScoreLine.objects.select_related("item").filter(card_id=card_id),
    "card_id",
)
