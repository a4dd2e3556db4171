"""Anchors of the score ledger: the chain heads recorded outside the chains, signed.

An anchor holds, for one moment, the head (entry count and hash) of every chain of the event's
ledger and the event head over them. It is signed with an HMAC whose key is derived from
``settings.LEDGER_ANCHOR_KEY`` (else ``SECRET_KEY``), which the database does not hold: an
anchor row cannot be rewritten to match an edited ledger, and the text printed on a chair's
lock receipt, shown on the public results page or exported by the organizer can be checked
later with ``verify_ledger EVENT --anchor FILE``.

The text of an anchor::

    # 评分账本锚点 …（comment lines start with #）
    event=cmqa-40
    kind=lock
    venue=3
    created=2026-09-24T08:30:00+00:00
    chain venue:12 42 5f1c…
    head=9a0b…
    signature=77de…
"""

from __future__ import annotations

import datetime as dt
import hmac
import json
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from events.models import Event, Venue
from judging.models import AnchorKind, LedgerAnchor
from judging.scoring.ledger import canonical_json, chain_heads, event_head

KEY_SALT = "qcexchange.ledger-anchor"


class AnchorError(ValueError):
    """An anchor text that cannot be read (the message says what and where)."""


@dataclass(frozen=True)
class Anchor:
    event: str
    kind: str
    venue: str
    created: str
    heads: dict[str, tuple[int, str]]
    head: str
    signature: str
    source: str = ""

    @property
    def entries(self) -> int:
        return sum(n for n, _hash in self.heads.values())

    def message(self) -> str:
        """Return the canonical text the signature covers."""
        return canonical_json(
            {
                "event": self.event,
                "kind": self.kind,
                "venue": self.venue,
                "created": self.created,
                "heads": {chain: [n, h] for chain, (n, h) in sorted(self.heads.items())},
                "head": self.head,
            }
        )


def sign(message: str) -> str:
    """Return the HMAC-SHA256 (hex) of an anchor's message with the anchor key."""
    secret = getattr(settings, "LEDGER_ANCHOR_KEY", "") or settings.SECRET_KEY
    return salted_hmac(KEY_SALT, message, secret=secret, algorithm="sha256").hexdigest()


def signature_ok(anchor: Anchor) -> bool:
    return hmac.compare_digest(sign(anchor.message()), anchor.signature)


def _created_text(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).replace(microsecond=0).isoformat()


def record_anchor(
    *, event: Event, kind: str, venue: Venue | None = None, run=None, user=None
) -> LedgerAnchor:
    """Record and sign the current heads of the event's ledger; return the anchor row."""
    heads = chain_heads(event)
    created = timezone.now().replace(microsecond=0)
    anchor = Anchor(
        event=event.slug,
        kind=str(kind),
        venue=str(venue.number) if venue else "",
        created=_created_text(created),
        heads=heads,
        head=event_head(event, heads),
        signature="",
    )
    return LedgerAnchor.objects.create(
        event=event,
        kind=kind,
        venue=venue,
        run=run,
        heads=canonical_json({c: [n, h] for c, (n, h) in heads.items()}),
        entries=anchor.entries,
        head=anchor.head,
        signature=sign(anchor.message()),
        created_at=created,
        created_by=user if getattr(user, "is_authenticated", False) else None,
    )


def anchor_of(row: LedgerAnchor, *, event_slug: str, venue_number: int | None = None) -> Anchor:
    """Return the anchor a stored row holds (its venue's number given when it has one)."""
    heads = {chain: (int(n), str(h)) for chain, (n, h) in json.loads(row.heads).items()}
    label = _("%(kind)s锚点（%(time)s）") % {
        "kind": AnchorKind(row.kind).label,
        "time": timezone.localtime(row.created_at).strftime("%Y-%m-%d %H:%M:%S"),
    }
    return Anchor(
        event=event_slug,
        kind=row.kind,
        venue=str(venue_number) if venue_number is not None else "",
        created=_created_text(row.created_at),
        heads=heads,
        head=row.head,
        signature=row.signature,
        source=label,
    )


def anchor_text(anchor: Anchor, *, title: str = "") -> str:
    """Return the printable, machine-readable text of an anchor (a receipt or an export)."""
    lines = [
        "# " + (title or _("评分账本锚点")),
        "# "
        + _(
            "本文件记录评分账本各链的记录数与哈希；用 verify_ledger 活动标识 --anchor 本文件 核对。"
        ),
        f"event={anchor.event}",
        f"kind={anchor.kind}",
        f"venue={anchor.venue}",
        f"created={anchor.created}",
    ]
    lines += [f"chain {chain} {n} {h}" for chain, (n, h) in sorted(anchor.heads.items())]
    lines += [
        f"entries={anchor.entries}",
        f"head={anchor.head}",
        f"signature={anchor.signature}",
    ]
    return "\n".join(lines) + "\n"


def parse_anchor_text(text: str, *, source: str = "") -> Anchor:
    """Read an anchor text; raise AnchorError naming the line that cannot be read."""
    fields: dict[str, str] = {}
    heads: dict[str, tuple[int, str]] = {}
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("chain "):
            parts = line.split()
            if len(parts) != 4 or not parts[2].isdigit() or len(parts[3]) != 64:
                raise AnchorError(
                    _("%(source)s 第 %(line)s 行无法识别：%(text)s")
                    % {"source": source, "line": number, "text": line[:80]}
                )
            heads[parts[1]] = (int(parts[2]), parts[3])
            continue
        key, sep, value = line.partition("=")
        if not sep:
            raise AnchorError(
                _("%(source)s 第 %(line)s 行无法识别：%(text)s")
                % {"source": source, "line": number, "text": line[:80]}
            )
        fields[key.strip()] = value.strip()
    missing = [
        key for key in ("event", "kind", "created", "head", "signature") if key not in fields
    ]
    if missing:
        raise AnchorError(
            _("%(source)s 缺少字段：%(fields)s") % {"source": source, "fields": "、".join(missing)}
        )
    return Anchor(
        event=fields["event"],
        kind=fields["kind"],
        venue=fields.get("venue", ""),
        created=fields["created"],
        heads=heads,
        head=fields["head"],
        signature=fields["signature"],
        source=source,
    )


def stored_anchors(event: Event) -> list[Anchor]:
    """Return the anchors recorded for the event, oldest first (one query)."""
    rows = LedgerAnchor.objects.filter(event=event).select_related("venue").order_by("pk")
    return [
        anchor_of(row, event_slug=event.slug, venue_number=row.venue.number if row.venue else None)
        for row in rows
    ]


def latest_anchor(event: Event, **filters) -> LedgerAnchor | None:
    return (
        LedgerAnchor.objects.filter(event=event, **filters)
        .select_related("venue")
        .order_by("-pk")
        .first()
    )


def text_of(row: LedgerAnchor, *, title: str = "") -> str:
    """Return the printable text of a stored anchor."""
    anchor = anchor_of(
        row, event_slug=row.event.slug, venue_number=row.venue.number if row.venue else None
    )
    return anchor_text(anchor, title=title)
