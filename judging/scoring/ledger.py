"""The score ledger: an append-only, SHA-256 hash chain over every change to scores and locks.

Each entry stores the canonical JSON of the change (sorted keys, no whitespace, Decimals as
strings) and ``hash = sha256(prev_hash + payload)``. ``verify_ledger`` recomputes the chain and
then compares the scorecards and venue locks in the database with the latest state the ledger
recorded for each, so a score edited directly in the database is found.
"""

import hashlib
import json
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.db.models import Prefetch, prefetch_related_objects

from events.models import Event, Venue
from judging.enums import CardSource, CardStatus, LedgerAction
from judging.models import LedgerEntry, Scorecard, ScoreLine, VenueStatus

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


def card_state(card: Scorecard) -> dict:
    """Return the ledger's view of a scorecard: who, what, its lines, total and status."""
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


def append_entry(
    *,
    event: Event,
    action: str,
    data: dict,
    actor=None,
    card: Scorecard | None = None,
    venue: Venue | None = None,
    request_id=None,
) -> LedgerEntry:
    """Append one entry to the event's ledger, serialised per event.

    On PostgreSQL the event row is locked (SELECT ... FOR UPDATE) until the surrounding
    transaction commits, so concurrent appends for one event queue up; SQLite serialises
    writers by itself.
    """
    with transaction.atomic(savepoint=False):
        Event.objects.select_for_update(of=("self",)).filter(pk=event.pk).order_by().values_list(
            "pk"
        ).first()
        last = LedgerEntry.objects.filter(event=event).order_by("-seq").first()
        seq = last.seq + 1 if last else 1
        prev_hash = last.hash if last else GENESIS_HASH
        payload = canonical_json(
            {
                **data,
                "action": str(action),
                "event": event.slug,
                "seq": seq,
                "actor": getattr(actor, "username", None),
            }
        )
        extra = {"request_id": request_id} if request_id else {}
        return LedgerEntry.objects.create(
            event=event,
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


def append_card_entry(
    *, card: Scorecard, action: str, actor=None, extra: dict | None = None, request_id=None
) -> LedgerEntry:
    """Append an entry holding the card's full current state (its lines are loaded afresh)."""
    prefetch_related_objects(
        [card], Prefetch("lines", queryset=ScoreLine.objects.select_related("item"))
    )
    return append_entry(
        event=card.submission.event,
        action=action,
        data={"state": card_state(card), **(extra or {})},
        actor=actor,
        card=card,
        request_id=request_id,
    )


def head_hash(event: Event) -> str:
    """Return the hash of the event's latest ledger entry (the genesis hash when empty)."""
    last = LedgerEntry.objects.filter(event=event).order_by("-seq").only("hash").first()
    return last.hash if last else GENESIS_HASH


@dataclass(frozen=True)
class LedgerCheck:
    ok: bool
    entries: int
    cards: int
    problem: str = ""
    seq: int | None = None


def _compare_card(card: Scorecard, state: dict) -> str:
    """Return what differs between a card and its last recorded state, or ""."""
    current = json.loads(canonical_json(card_state(card)))
    if current["status"] != state["status"]:
        return f"状态 账本={state['status']} 当前={current['status']}"
    if current["status"] == CardStatus.RETURNED:
        # A returned card is being revised by its judge; only its status is fixed.
        return ""
    for key in ("judge", "entry", "sheet", "total", "confirmed"):
        if current[key] != state[key]:
            return f"{key} 账本={state[key]} 当前={current[key]}"
    recorded, now = state["lines"], current["lines"]
    for code in sorted(set(recorded) | set(now)):
        if recorded.get(code) != now.get(code):
            return f"评分项 {code} 账本={recorded.get(code)} 当前={now.get(code)}"
    if current["comment"] != state["comment"]:
        return "总体评价与账本不一致"
    return ""


def verify_ledger(event: Event) -> LedgerCheck:
    """Recompute the event's hash chain and compare current scorecards and locks against it.

    Return the first problem found: a broken link or hash, a gap in the sequence, a card or a
    venue lock whose current state differs from the latest state the ledger recorded, or a
    counted card the ledger has never seen.
    """
    prev_hash = GENESIS_HASH
    card_states: dict[int, tuple[int, dict]] = {}
    venue_states: dict[int, tuple[int, str]] = {}
    entries = 0
    for expected_seq, entry in enumerate(
        LedgerEntry.objects.filter(event=event).order_by("seq").iterator(), start=1
    ):
        entries += 1
        label = f"账本记录 #{entry.seq}（{entry.hash[:12]}）"
        if entry.seq != expected_seq:
            return LedgerCheck(False, entries, 0, f"账本记录 #{expected_seq} 缺失", expected_seq)
        if entry.prev_hash != prev_hash:
            return LedgerCheck(False, entries, 0, f"{label}：前一记录哈希不符", entry.seq)
        if chain_hash(entry.prev_hash, entry.payload) != entry.hash:
            return LedgerCheck(False, entries, 0, f"{label}：内容与哈希不符", entry.seq)
        data = json.loads(entry.payload)
        if data.get("seq") != entry.seq or data.get("action") != entry.action:
            return LedgerCheck(False, entries, 0, f"{label}：序号或动作被改动", entry.seq)
        if entry.action in CARD_ACTIONS:
            state = data["state"]
            if entry.card_id != state["card"]:
                return LedgerCheck(False, entries, 0, f"{label}：评分卡关联被改动", entry.seq)
            card_states[entry.card_id] = (entry.seq, state)
        elif entry.action in VENUE_ACTIONS:
            venue_states[entry.venue_id] = (entry.seq, entry.action)
        prev_hash = entry.hash

    cards = (
        Scorecard.objects.filter(judge__event=event)
        .select_related("judge", "submission")
        .prefetch_related("lines__item")
        .order_by("pk")
    )
    checked = 0
    for card in cards:
        checked += 1
        recorded = card_states.get(card.pk)
        name = f"评分卡 {card.judge.code}→{card.submission.code}"
        if recorded is None:
            if card.status != CardStatus.DRAFT or card.source == CardSource.PAPER:
                return LedgerCheck(
                    False, entries, checked, f"{name}：状态为 {card.status}，但账本中没有记录"
                )
            continue
        seq, state = recorded
        difference = _compare_card(card, state)
        if difference:
            return LedgerCheck(
                False,
                entries,
                checked,
                f"{name} 与账本记录 #{seq} 不一致：{difference}",
                seq,
            )
    statuses = VenueStatus.objects.filter(venue__event=event).select_related("venue")
    for status in statuses:
        seq, action = venue_states.get(status.venue_id, (None, LedgerAction.UNLOCK))
        if status.is_locked != (action == LedgerAction.LOCK):
            return LedgerCheck(
                False,
                entries,
                checked,
                f"{status.venue.name} 的锁定状态与账本记录 #{seq or '—'} 不一致",
                seq,
            )
    return LedgerCheck(True, entries, checked)
