"""Verifying the score ledger: every chain, its anchors, the cards' totals, cards and locks.

``verify_ledger`` reads the ledger once, chain by chain, and then the cards, their lines and the
venue locks in a fixed number of queries (no query per card), and returns the first problem:

1. a chain broken: a gap in the sequence, a link or hash that does not match, an entry moved
   to another chain, a renumbered entry;
2. an anchor not matched: an anchor whose signature is wrong, or a chain shorter than an anchor
   recorded, or whose entry at the anchored count has another hash (the newest entries were
   deleted or rewritten);
3. a card whose state differs from the latest state the ledger recorded for it, a card whose
   total is not the sum of its lines, a counted card the ledger has never seen;
4. a venue whose lock differs from the ledger.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db import connections
from django.utils.translation import gettext as _

from events.models import Event, Venue
from judging.enums import CardSource, CardStatus, LedgerAction
from judging.models import LedgerEntry, Scorecard, ScoreLine, VenueStatus
from judging.scoring.anchors import Anchor, signature_ok, stored_anchors
from judging.scoring.ledger import (
    CARD_ACTIONS,
    EVENT_CHAIN,
    GENESIS_HASH,
    VENUE_ACTIONS,
    chain_hash,
    decimal_text,
    event_head,
)


@dataclass(frozen=True)
class LedgerCheck:
    ok: bool
    entries: int
    cards: int
    problem: str = ""
    seq: int | None = None
    anchors: int = 0


class _Names:
    """Readable names of chains ("分会场 A 账本"), looked up only when a problem is reported."""

    def __init__(self, event: Event):
        self.event = event
        self._venues: dict[str, str] | None = None

    def chain(self, chain: str) -> str:
        if chain == EVENT_CHAIN:
            return ""
        if self._venues is None:
            self._venues = {
                f"venue:{pk}": name
                for pk, name in Venue.objects.filter(event=self.event).values_list("pk", "name")
            }
        return self._venues.get(chain, chain) + " "

    def entry(self, chain: str, seq: int, hash_: str | None = None) -> str:
        suffix = f"（{hash_[:12]}）" if hash_ else ""
        return f"{self.chain(chain)}账本记录 #{seq}{suffix}"


def verify_ledger(
    event: Event, *, anchors: list[Anchor] | tuple = (), current: CurrentCards | None = None
) -> LedgerCheck:
    """Verify the event's ledger against its stored anchors and ``anchors`` (e.g. read from an
    exported file); return the first problem found, or an ok check.

    ``current`` are the event's cards as the caller read them (``current_cards``), so that what
    it goes on to use is what was verified; else they are read here.
    """
    names = _Names(event)
    all_anchors = stored_anchors(event) + list(anchors)
    wanted = {(chain, n) for anchor in all_anchors for chain, (n, _h) in anchor.heads.items()}
    seen: dict[tuple[str, int], str] = {}
    heads: dict[str, tuple[int, str]] = {}
    card_states: dict[int, tuple[int, str, int, dict]] = {}
    venue_states: dict[int, tuple[int, str, int, str]] = {}
    entries = 0
    chain, expected_seq, prev_hash = None, 0, GENESIS_HASH

    def failed(problem, seq=None, cards=0):
        return LedgerCheck(False, entries, cards, problem, seq, len(all_anchors))

    rows = (
        LedgerEntry.objects.filter(event=event)
        .order_by("chain", "seq")
        .values_list("pk", "chain", "seq", "action", "card_id", "venue_id", "payload", "prev_hash", "hash")
    )  # fmt: skip
    for (
        pk,
        entry_chain,
        seq,
        action,
        card_id,
        venue_id,
        payload,
        entry_prev,
        entry_hash,
    ) in rows.iterator(chunk_size=2000):
        if entry_chain != chain:
            chain, expected_seq, prev_hash = entry_chain, 0, GENESIS_HASH
        expected_seq += 1
        entries += 1
        if seq != expected_seq:
            return failed(
                _("%(entry)s 缺失") % {"entry": names.entry(chain, expected_seq)}, expected_seq
            )
        if entry_prev != prev_hash:
            return failed(
                _("%(entry)s：前一记录哈希不符") % {"entry": names.entry(chain, seq, entry_hash)},
                seq,
            )
        if chain_hash(entry_prev, payload) != entry_hash:
            return failed(
                _("%(entry)s：内容与哈希不符") % {"entry": names.entry(chain, seq, entry_hash)},
                seq,
            )
        data = json.loads(payload)
        if data.get("seq") != seq or data.get("action") != action:
            return failed(
                _("%(entry)s：序号或动作被改动") % {"entry": names.entry(chain, seq, entry_hash)},
                seq,
            )
        if data.get("chain", EVENT_CHAIN) != chain:
            return failed(
                _("%(entry)s：所属账本链被改动") % {"entry": names.entry(chain, seq, entry_hash)},
                seq,
            )
        if action in CARD_ACTIONS:
            state = data["state"]
            if card_id != state["card"]:
                return failed(
                    _("%(entry)s：评分卡关联被改动")
                    % {"entry": names.entry(chain, seq, entry_hash)},
                    seq,
                )
            known = card_states.get(card_id)
            if known is None or known[0] < pk:
                card_states[card_id] = (pk, chain, seq, state)
        elif action in VENUE_ACTIONS:
            known = venue_states.get(venue_id)
            if known is None or known[0] < pk:
                venue_states[venue_id] = (pk, chain, seq, action)
        if (chain, seq) in wanted:
            seen[(chain, seq)] = entry_hash
        heads[chain] = (seq, entry_hash)
        prev_hash = entry_hash

    problem = _check_anchors(event, all_anchors, heads, seen, names)
    if problem:
        return failed(*problem)
    problem, checked = _check_cards(current or current_cards(event), card_states, names)
    if problem:
        return failed(problem[0], problem[1] if len(problem) > 1 else None, checked)
    problem = _check_locks(event, venue_states, names)
    if problem:
        return failed(problem[0], problem[1], checked)
    return LedgerCheck(True, entries, checked, anchors=len(all_anchors))


def _check_anchors(event, anchors, heads, seen, names) -> tuple | None:
    for anchor in anchors:
        source = anchor.source or _("锚点")
        if anchor.event != event.slug:
            return (
                _("%(source)s 属于活动 %(other)s，不是 %(event)s")
                % {"source": source, "other": anchor.event, "event": event.slug},
            )
        if not signature_ok(anchor) or event_head(event, anchor.heads) != anchor.head:
            return (_("%(source)s 签名不符：锚点被改动或不是本系统签发") % {"source": source},)
        for chain, (count, hash_) in sorted(anchor.heads.items()):
            have = heads.get(chain, (0, GENESIS_HASH))[0]
            if have < count:
                return (
                    _(
                        "%(source)s 记录%(chain)s账本有 %(n)s 条记录（哈希 %(hash)s），"
                        "账本中现在只有 %(have)s 条：最新的记录被删除"
                    )
                    % {
                        "source": source,
                        "chain": names.chain(chain) or " ",
                        "n": count,
                        "hash": hash_[:12],
                        "have": have,
                    },
                    count,
                )
            if seen.get((chain, count)) != hash_:
                return (
                    _("%(source)s 记录的 %(entry)s 哈希为 %(hash)s，账本中为 %(now)s")
                    % {
                        "source": source,
                        "entry": names.entry(chain, count),
                        "hash": hash_[:12],
                        "now": (seen.get((chain, count)) or "")[:12],
                    },
                    count,
                )
    return None


@dataclass(frozen=True)
class CurrentCards:
    """The event's cards as values (``CARD_VALUES``, by id) and their lines
    {card id: {item code: points}}."""

    rows: list[dict]
    lines: dict[int, dict[str, Decimal]]


CARD_VALUES = (
    "pk", "judge_id", "judge__code", "submission_id", "submission__code", "sheet_id", "status",
    "total", "comment", "source", "confirmed_by_id",
)  # fmt: skip


def current_cards(event: Event) -> CurrentCards:
    """Return the event's cards and their lines in two queries.

    An event's lines run to millions (54,800 entries × 7 judges × 6-10 items) while their points
    take a few dozen values: each distinct value is converted from the database's once, and
    the lines share the Decimals.
    """
    rows = list(Scorecard.objects.filter(judge__event=event).order_by("pk").values(*CARD_VALUES))
    lines: dict[int, dict[str, Decimal]] = defaultdict(dict)
    query = (
        ScoreLine.objects.filter(card__judge__event=event)
        .order_by()
        .values_list("card_id", "item__code", "points")
    )
    compiler = query.query.get_compiler(using=query.db)
    sql, params = compiler.as_sql()
    # The ORM's own conversion of the points column (none where the driver returns Decimals).
    converters, expression = compiler.get_converters([compiler.select[2][0]]).get(0, ((), None))
    points_of: dict = {}
    with connections[query.db].cursor() as cursor:
        cursor.execute(sql, params)
        while batch := cursor.fetchmany(5000):
            for card_id, code, raw in batch:
                points = points_of.get(raw)
                if points is None:
                    points = raw
                    for convert in converters:
                        points = convert(points, expression, connections[query.db])
                    points_of[raw] = points
                lines[card_id][code] = points
    return CurrentCards(rows, dict(lines))


class _Texts(dict):
    """Decimal -> its ledger text (``decimal_text``), each distinct value worked out once."""

    def __missing__(self, value: Decimal) -> str:
        text = self[value] = decimal_text(value)
        return text


def _compare(row: dict, lines: dict[str, Decimal], state: dict, texts: _Texts) -> str:
    """Return what differs between a card and its last recorded state, or ""."""
    if row["status"] != state["status"]:
        return f"状态 账本={state['status']} 当前={row['status']}"
    if row["status"] == CardStatus.RETURNED:
        # A returned card is being revised by its judge; only its status is fixed.
        return ""
    current = {
        "judge": row["judge__code"],
        "entry": row["submission__code"],
        "sheet": row["sheet_id"],
        "total": texts[row["total"]],
        "confirmed": row["confirmed_by_id"] is not None,
    }
    for key, value in current.items():
        if value != state[key]:
            return f"{key} 账本={state[key]} 当前={value}"
    recorded = state["lines"]
    now = {code: texts[points] for code, points in lines.items()}
    if now != recorded:
        for code in sorted(set(recorded) | set(now)):
            if recorded.get(code) != now.get(code):
                return f"评分项 {code} 账本={recorded.get(code)} 当前={now.get(code)}"
    if row["comment"] != state["comment"]:
        return "总体评价与账本不一致"
    return ""


def _check_cards(current: CurrentCards, card_states, names) -> tuple[tuple | None, int]:
    """Return the first card problem (text, seq) or None, and the number of cards checked."""
    texts = _Texts()
    for checked, row in enumerate(current.rows, start=1):
        recorded = card_states.get(row["pk"])
        card_lines = current.lines.get(row["pk"], {})
        if recorded is None:
            if row["status"] != CardStatus.DRAFT or row["source"] == CardSource.PAPER:
                name = _card_name(row)
                return (f"{name}：状态为 {row['status']}，但账本中没有记录",), checked
            continue
        _pk, chain, seq, state = recorded
        difference = _compare(row, card_lines, state, texts)
        if difference:
            name = _card_name(row)
            return (f"{name} 与{names.entry(chain, seq)} 不一致：{difference}", seq), checked
        if row["status"] == CardStatus.SUBMITTED:
            added = sum(card_lines.values(), Decimal("0"))
            if added != row["total"]:
                return (
                    _("%(card)s：总分 %(total)s 与评分明细之和 %(sum)s 不一致")
                    % {
                        "card": _card_name(row),
                        "total": decimal_text(row["total"]),
                        "sum": decimal_text(added),
                    },
                    seq,
                ), checked
    return None, len(current.rows)


def _card_name(row: dict) -> str:
    return f"评分卡 {row['judge__code']}→{row['submission__code']}"


def _check_locks(event, venue_states, names) -> tuple | None:
    statuses = VenueStatus.objects.filter(venue__event=event).values_list(
        "venue_id", "venue__name", "locked_at"
    )
    for venue_id, venue_name, locked_at in statuses:
        _pk, _chain, seq, action = venue_states.get(venue_id, (0, "", None, LedgerAction.UNLOCK))
        if (locked_at is not None) != (action == LedgerAction.LOCK):
            return (f"{venue_name} 的锁定状态与账本记录 #{seq or '—'} 不一致", seq)
    return None
