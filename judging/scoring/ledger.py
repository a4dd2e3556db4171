"""The score ledger: append-only SHA-256 hash chains over every change to scores and locks.

Each entry stores the canonical JSON of the change (sorted keys, no whitespace, Decimals as
strings) and ``hash = sha256(prev_hash + payload)``. Each venue has a chain of its own
(``venue:<pk>``), so the venues of an event append side by side; ledgers written before per-venue
chains keep their event-wide chain (``event``). The event head is the SHA-256 over the heads of
all chains; it is anchored outside the chains (judging.scoring.anchors): in each chair's lock
receipt, on the published results page and in the organizer's signed export.
``verify_ledger`` (judging.scoring.ledger_verify) recomputes every chain, checks it against the
anchors, then compares the scorecards and venue locks in the database with the latest state
the ledger recorded for each, so a score edited directly in the database is found.
"""

import hashlib
import json
from decimal import Decimal

from django.db import transaction
from django.db.models import OuterRef, Prefetch, Subquery, prefetch_related_objects

from events.models import Event, Venue
from judging import dossiers
from judging.enums import LedgerAction
from judging.models import LedgerEntry, Scorecard, ScoreLine

GENESIS_HASH = "0" * 64
CARD_ACTIONS = {
    LedgerAction.SUBMIT,
    LedgerAction.RETURN,
    LedgerAction.IMPORT,
    LedgerAction.CONFIRM,
}
VENUE_ACTIONS = {LedgerAction.LOCK, LedgerAction.UNLOCK}


def decimal_text(value: Decimal) -> str:
    """Return a Decimal as plain text without exponent or trailing zeros ("12.5", "10")."""
    text = format(value.normalize(), "f")
    return "0" if text in {"-0", ""} else text


def _plain(value):
    if isinstance(value, Decimal):
        return decimal_text(value)
    if isinstance(value, dict):
        return {str(key): _plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    return value


def canonical_json(data: dict) -> str:
    """Return the canonical JSON text of a payload: sorted keys, no whitespace, Decimals as text."""
    return json.dumps(_plain(data), sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def chain_hash(prev_hash: str, payload: str) -> str:
    """Return the SHA-256 (hex) of the previous entry's hash followed by this entry's payload."""
    return hashlib.sha256((prev_hash + payload).encode("utf-8")).hexdigest()


def card_state(card: Scorecard, *, lines: dict[str, Decimal] | None = None) -> dict:
    """Return the ledger's view of a scorecard: who, what, its lines, total and status.

    ``lines`` (item code to points) are the card's lines when the caller has them at hand.
    """
    if lines is None:
        prefetched = "lines" in getattr(card, "_prefetched_objects_cache", {})
        rows = card.lines.all() if prefetched else card.lines.select_related("item")
        lines = {line.item.code: line.points for line in rows}
    return {
        "card": card.pk,
        "judge": card.judge.code,
        "entry": card.submission.code,
        "sheet": card.sheet_id,
        "status": card.status,
        "lines": lines,
        "total": card.total,
        "comment": card.comment,
        "source": card.source,
        "confirmed": card.confirmed_by_id is not None,
    }


EVENT_CHAIN = "event"


def chain_of(venue: Venue | None) -> str:
    """Return the name of a venue's chain ("venue:<pk>"), or the event-wide chain."""
    return f"venue:{venue.pk}" if venue is not None else EVENT_CHAIN


def lock_chain(event: Event, venue: Venue | None) -> None:
    """Hold the row that serialises appends to a chain until commit: the venue's own row.

    On PostgreSQL the venue row is locked FOR NO KEY UPDATE (rows that merely refer to the
    venue are not held up), so appends to one venue's chain queue up for the last moment of
    their transaction only, while the venues of an event append side by side; the event-wide
    chain locks the event row. Every writer of cards takes the venue's status row first (FOR
    SHARE, or FOR UPDATE for a lock, a return or an import), then the card, then this row:
    one order, no deadlock. SQLite serialises writers by itself.
    """
    if venue is None:
        Event.objects.select_for_update(of=("self",)).filter(pk=event.pk).order_by().values_list(
            "pk"
        ).first()
        return
    Venue.objects.select_for_update(no_key=True, of=("self",)).filter(
        pk=venue.pk
    ).order_by().values_list("pk").first()


def append_entry(
    *,
    event: Event,
    action: str,
    data: dict,
    actor=None,
    card: Scorecard | None = None,
    venue: Venue | None = None,
    chain_venue: Venue | None = None,
    chain_locked: bool = False,
    request_id=None,
) -> LedgerEntry:
    """Append one entry to a chain of the event's ledger: the chain of ``chain_venue`` (or of
    ``venue`` when not given), the event-wide chain when neither is known.

    Appends to one chain are serialised on its venue's row (see ``lock_chain``); a caller
    already holding that row passes ``chain_locked=True`` and saves a statement.
    """
    chain_venue = chain_venue or venue
    chain = chain_of(chain_venue)
    with transaction.atomic(savepoint=False):
        if not chain_locked:
            lock_chain(event, chain_venue)
        seq, prev_hash = _chain_end(event, chain)
        entry = _new_entry(
            event=event, chain=chain, seq=seq + 1, prev_hash=prev_hash, action=action, data=data,
            actor=actor, card=card, venue=venue, request_id=request_id,
        )  # fmt: skip
        entry.save(force_insert=True)
        return entry


def _chain_end(event: Event, chain: str) -> tuple[int, str]:
    """Return the count and head hash of one chain (0 and the genesis hash when empty)."""
    last = (
        LedgerEntry.objects.filter(event=event, chain=chain)
        .order_by("-seq")
        .values_list("seq", "hash")
        .first()
    )
    return last or (0, GENESIS_HASH)


def _new_entry(
    *, event, chain, seq, prev_hash, action, data, actor, card, venue, request_id
) -> LedgerEntry:
    fields = {
        **data,
        "action": str(action),
        "event": event.slug,
        "seq": seq,
        "actor": getattr(actor, "username", None),
    }
    if chain != EVENT_CHAIN:
        fields["chain"] = chain
    payload = canonical_json(fields)
    extra = {"request_id": request_id} if request_id else {}
    return LedgerEntry(
        event=event,
        chain=chain,
        seq=seq,
        action=action,
        card=card,
        venue=venue,
        actor=actor if getattr(actor, "pk", None) else None,
        payload=payload,
        prev_hash=prev_hash,
        hash=chain_hash(prev_hash, payload),
        **extra,
    )


def append_card_entries(
    *,
    event: Event,
    venue: Venue,
    cards: list[tuple[Scorecard, dict[str, Decimal]]],
    action: str = LedgerAction.SUBMIT,
    actor=None,
    actors: list | None = None,
) -> list[LedgerEntry]:
    """Append one entry per (card, lines) to the venue's chain in bulk (seeds, bulk imports).

    Each card's judge and submission must be loaded; ``lines`` maps item codes to points.
    ``actors``, when given, names who submitted each card (else ``actor`` for all).
    """
    chain = chain_of(venue)
    with transaction.atomic(savepoint=False):
        lock_chain(event, venue)
        seq, prev_hash = _chain_end(event, chain)
        rows = []
        for index, (card, lines) in enumerate(cards):
            seq += 1
            entry = _new_entry(
                event=event, chain=chain, seq=seq, prev_hash=prev_hash, action=action,
                data={"state": card_state(card, lines=lines)},
                actor=actors[index] if actors is not None else actor, card=card,
                venue=None, request_id=None,
            )  # fmt: skip
            rows.append(entry)
            prev_hash = entry.hash
        return LedgerEntry.objects.bulk_create(rows, batch_size=500)


def append_card_entry(
    *,
    card: Scorecard,
    action: str,
    actor=None,
    extra: dict | None = None,
    request_id=None,
    venue: Venue | None = None,
    lines: dict[str, Decimal] | None = None,
    chain_locked: bool = False,
) -> LedgerEntry:
    """Append an entry holding the card's full current state to its venue's chain.

    ``lines`` (item code to points) are the lines just written, else they are loaded afresh;
    ``venue`` is the entry's venue, else it is looked up.
    """
    if lines is None:
        prefetch_related_objects(
            [card], Prefetch("lines", queryset=ScoreLine.objects.select_related("item"))
        )
    if venue is None:
        venue = dossiers.venue_of_card(card)
    return append_entry(
        event=card.submission.event,
        action=action,
        data={"state": card_state(card, lines=lines), **(extra or {})},
        actor=actor,
        card=card,
        chain_venue=venue,
        chain_locked=chain_locked,
        request_id=request_id,
    )


def chain_heads(event: Event) -> dict[str, tuple[int, str]]:
    """Return every chain's head of the event's ledger, {chain: (entries, hash)}, in one query."""
    last_seq = (
        LedgerEntry.objects.filter(event=event, chain=OuterRef("chain"))
        .order_by("-seq")
        .values("seq")[:1]
    )
    rows = LedgerEntry.objects.filter(event=event, seq=Subquery(last_seq)).values_list(
        "chain", "seq", "hash"
    )
    return {chain: (seq, hash_) for chain, seq, hash_ in sorted(rows)}


def event_head(event: Event, heads: dict[str, tuple[int, str]]) -> str:
    """Return the event head: the SHA-256 over the heads of all its chains (canonical JSON)."""
    if set(heads) <= {EVENT_CHAIN}:
        # A ledger with only the event-wide chain: its head is that chain's head, as before.
        return heads.get(EVENT_CHAIN, (0, GENESIS_HASH))[1]
    data = {"event": event.slug, "heads": {c: [n, h] for c, (n, h) in heads.items()}}
    return hashlib.sha256(canonical_json(data).encode("utf-8")).hexdigest()


def head_hash(event: Event) -> str:
    """Return the event head over every chain (the genesis hash when the ledger is empty)."""
    return event_head(event, chain_heads(event))


def verify_ledger(event: Event, *, anchors=()):
    """Verify the event's ledger (see judging.scoring.ledger_verify.verify_ledger)."""
    from judging.scoring.ledger_verify import verify_ledger as verify

    return verify(event, anchors=anchors)
