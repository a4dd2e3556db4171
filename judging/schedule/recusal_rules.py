"""Recusal, as plain functions: which judge may not score which entry, and why; whether a
panel can still score every entry.

Nothing here touches the database, the request or the settings: callers pass plain values
(keys may be ids or codes) and get frozen dataclasses back.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType

ENTERPRISE, PARENT_GROUP, PROVINCE, RECOMMENDER = "enterprise", "group", "province", "recommender"


@dataclass(frozen=True)
class JudgeParty:
    key: Hashable
    organisations: frozenset[str] = frozenset()  # the judge's employer, by full name
    parent_group: str = ""
    province: str = ""


@dataclass(frozen=True)
class EntryParty:
    key: Hashable
    enterprises: frozenset[str] = frozenset()  # applicant and completing units
    parent_group: str = ""
    province: str = ""
    recommender: str = ""


@dataclass(frozen=True)
class RecusalRules:
    parent_group: bool = False
    province: bool = False
    recommender: bool = False


@dataclass(frozen=True)
class AutoRecusal:
    judge: Hashable
    entry: Hashable
    source: str  # one of ENTERPRISE, PARENT_GROUP, PROVINCE, RECOMMENDER


def _norm(text: str) -> str:
    return "".join(text.split())


def recusal_source(judge: JudgeParty, entry: EntryParty, rules: RecusalRules) -> str | None:
    """Return why the judge may not score the entry, or None: own enterprise first."""
    organisations = {_norm(o) for o in judge.organisations if _norm(o)}
    if organisations & {_norm(e) for e in entry.enterprises}:
        return ENTERPRISE
    if (
        rules.parent_group
        and _norm(judge.parent_group)
        and (_norm(judge.parent_group) == _norm(entry.parent_group))
    ):
        return PARENT_GROUP
    if rules.province and judge.province and judge.province.strip() == entry.province.strip():
        return PROVINCE
    if rules.recommender and _norm(entry.recommender) and _norm(entry.recommender) in organisations:
        return RECOMMENDER
    return None


def auto_recusals(
    judges: Iterable[JudgeParty], entries: Iterable[EntryParty], rules: RecusalRules
) -> tuple[AutoRecusal, ...]:
    """Return every judge-entry pair the rules exclude."""
    entries = list(entries)
    found = []
    for judge in judges:
        for entry in entries:
            source = recusal_source(judge, entry, rules)
            if source:
                found.append(AutoRecusal(judge.key, entry.key, source))
    return tuple(found)


@dataclass(frozen=True)
class PanelCheck:
    eligible: Mapping[Hashable, int]  # entry -> judges who may score it
    thin: tuple[Hashable, ...]  # entries with fewer than the minimum
    heavy: tuple[tuple[Hashable, int], ...] = field(default=())  # (judge, entries recused from)


def check_panel(
    judges: Sequence[Hashable],
    entries: Sequence[Hashable],
    recused: Iterable[tuple[Hashable, Hashable]],
    *,
    minimum: int = 3,
    heavy_share: float = 0.25,
) -> PanelCheck:
    """Count, per entry of a venue, the panel's judges who may score it, and flag the weak spots.

    An entry with fewer than ``minimum`` such judges is thin; a judge recused from more than
    ``heavy_share`` of the venue's entries is heavy.
    """
    pairs = {(j, e) for j, e in recused}
    eligible = {e: sum(1 for j in judges if (j, e) not in pairs) for e in entries}
    thin = tuple(e for e in entries if eligible[e] < minimum)
    heavy = []
    for judge in judges:
        count = sum(1 for e in entries if (judge, e) in pairs)
        if entries and count > heavy_share * len(entries):
            heavy.append((judge, count))
    return PanelCheck(MappingProxyType(eligible), thin, tuple(heavy))
