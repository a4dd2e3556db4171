"""Venue balancing, the running-order draw and slot packing, as plain functions.

Nothing here touches the database, the request or the settings: callers pass plain values
(keys may be ids or codes) and get frozen dataclasses back. Recusal is in recusal_rules.py.
"""

from __future__ import annotations

import math
import random
from collections import Counter, defaultdict
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from types import MappingProxyType


class ScheduleError(ValueError):
    """The input cannot be scheduled as asked (e.g. a lock on a venue of another category)."""


# --------------------------------------------------------------------------- assignment


@dataclass(frozen=True)
class Entry:
    key: Hashable
    enterprise: Hashable
    topic_type: str = ""
    locked_venue: Hashable | None = None


@dataclass(frozen=True)
class VenueSpec:
    key: Hashable
    topic_type: str = ""  # a venue dedicated to one topic type; blank takes any


@dataclass(frozen=True)
class Stack:
    """An enterprise with more entries in one venue than an even spread would give."""

    venue: Hashable
    enterprise: Hashable
    count: int


@dataclass(frozen=True)
class Assignment:
    placements: Mapping[Hashable, Hashable]  # entry key -> venue key
    counts: Mapping[Hashable, int]  # venue key -> number of entries
    homes: Mapping[Hashable, str]  # venue key -> topic type it was given to ("" for none)
    stacks: tuple[Stack, ...] = ()

    @property
    def balanced(self) -> bool:
        return not self.counts or max(self.counts.values()) - min(self.counts.values()) <= 1

    def entries_of(self, venue: Hashable) -> list[Hashable]:
        return [entry for entry, where in self.placements.items() if where == venue]


def balanced_targets(total: int, venues: Sequence[Hashable], locked: Mapping) -> dict:
    """Return how many entries each venue gets: counts differ by at most one unless locks forbid.

    Each free entry goes to the venue with the fewest so far (the earlier venue on a tie), so
    locked entries count towards their venue's share.
    """
    counts = {venue: locked.get(venue, 0) for venue in venues}
    for _ in range(total - sum(counts.values())):
        venue = min(venues, key=lambda v: (counts[v], venues.index(v)))
        counts[venue] += 1
    return counts


def _give_homes(free_types: dict[str, int], venues: list[VenueSpec], free_cap: dict) -> dict:
    """Return venue key -> home topic type: declared venues keep theirs, the others get one.

    Undeclared venues are handed out one at a time to the topic type with the most entries not yet
    covered by its homes; when there are at least as many venues as types, every type first gets
    one venue of its own. Types are then laid out contiguously in the venue order.
    """
    homes = {v.key: v.topic_type for v in venues if v.topic_type}
    uncovered = dict(free_types)
    for venue in venues:
        if venue.topic_type in uncovered:
            uncovered[venue.topic_type] -= free_cap[venue.key]
    open_venues = [v.key for v in venues if not v.topic_type]
    seat_caps = sorted((free_cap[v] for v in open_venues), reverse=True)
    seats: Counter = Counter()
    candidates = [t for t in _type_order(free_types) if uncovered[t] > 0]
    if candidates and len(open_venues) >= len(candidates):
        for topic in candidates:
            seats[topic] += 1
            uncovered[topic] -= seat_caps.pop(0)
    while seat_caps:
        needy = [t for t in _type_order(free_types) if uncovered[t] > 0]
        if not needy:
            break
        topic = max(needy, key=lambda t: uncovered[t])
        seats[topic] += 1
        uncovered[topic] -= seat_caps.pop(0)
    queue = [topic for topic in _type_order(free_types) for _ in range(seats[topic])]
    for venue_key, topic in zip(open_venues, queue, strict=False):
        homes[venue_key] = topic
    for venue_key in open_venues[len(queue) :]:
        homes[venue_key] = ""
    return homes


def _type_order(counts: Mapping[str, int]) -> list[str]:
    """Return topic types, the largest first (alphabetical on a tie)."""
    return sorted(counts, key=lambda t: (-counts[t], t))


def _allocate(free_types: dict[str, int], venues: list[VenueSpec], free_cap: dict, locked_types):
    """Return {(topic, venue): count}: fill each type's home venues, then spill the rest."""
    homes = _give_homes(free_types, venues, free_cap)
    spare = dict(free_cap)
    remaining = dict(free_types)
    alloc: Counter = Counter()
    for topic in _type_order(free_types):
        for venue in venues:
            if homes.get(venue.key) == topic and remaining[topic] and spare[venue.key]:
                take = min(spare[venue.key], remaining[topic])
                alloc[topic, venue.key] += take
                spare[venue.key] -= take
                remaining[topic] -= take
    order = [v.key for v in venues]
    for topic in sorted(remaining, key=lambda t: (-remaining[t], t)):
        while remaining[topic]:
            open_ = [v for v in order if spare[v]]
            if not open_:
                raise ScheduleError("venue capacities do not cover the entries")
            has_topic = [v for v in open_ if alloc[topic, v] or (topic, v) in locked_types]
            fits = [v for v in open_ if spare[v] >= remaining[topic] and not homes.get(v)]
            fits = fits or [v for v in open_ if spare[v] >= remaining[topic]]
            if has_topic:
                venue = has_topic[0]
            elif fits:
                venue = min(fits, key=lambda v: (spare[v], order.index(v)))
            else:
                venue = max(open_, key=lambda v: (spare[v], -order.index(v)))
            take = min(spare[venue], remaining[topic])
            alloc[topic, venue] += take
            spare[venue] -= take
            remaining[topic] -= take
    return alloc, homes


def assign_entries(
    entries: Sequence[Entry],
    venues: Sequence[VenueSpec],
    *,
    recused: Mapping[tuple[Hashable, Hashable], int] | None = None,
) -> Assignment:
    """Spread a category's entries over its venues.

    Venue counts differ by at most one (locked entries stay where they are and count towards
    their venue). Entries of one topic type are kept together: every type gets a home venue
    when there are enough venues, the overflow goes to as few other venues as possible.
    Within that, each entry goes where its enterprise has the fewest entries so far and, among
    those, where the fewest judges are recused from it (``recused[(entry, venue)]``).
    """
    if not venues:
        if entries:
            raise ScheduleError("no venue for the entries")
        return Assignment(MappingProxyType({}), MappingProxyType({}), MappingProxyType({}))
    recused = recused or {}
    venue_keys = [v.key for v in venues]
    placements: dict = {}
    locked_count: Counter = Counter()
    locked_types: set = set()
    per_enterprise: dict = defaultdict(Counter)
    for entry in entries:
        if entry.locked_venue is None:
            continue
        if entry.locked_venue not in venue_keys:
            raise ScheduleError(f"entry {entry.key} is locked to an unknown venue")
        placements[entry.key] = entry.locked_venue
        locked_count[entry.locked_venue] += 1
        locked_types.add((entry.topic_type, entry.locked_venue))
        per_enterprise[entry.enterprise][entry.locked_venue] += 1

    free = [e for e in entries if e.locked_venue is None]
    targets = balanced_targets(len(entries), venue_keys, locked_count)
    free_cap = {v: targets[v] - locked_count[v] for v in venue_keys}
    free_types = Counter(e.topic_type for e in free)
    alloc, homes = _allocate(dict(free_types), list(venues), free_cap, locked_types)

    totals = Counter(e.enterprise for e in entries)
    type_rank = {t: i for i, t in enumerate(_type_order(free_types))}
    # Enterprises of equal size are taken in the order they first appear among the entries
    # (the caller's order, by code), never by their keys: database ids differ between
    # databases, and as text "10" sorts before "8".
    first_seen: dict = {}
    for entry in entries:
        first_seen.setdefault(entry.enterprise, len(first_seen))
    ordered = sorted(
        enumerate(free),
        key=lambda p: (
            type_rank[p[1].topic_type],
            -totals[p[1].enterprise],
            first_seen[p[1].enterprise],
            p[0],
        ),
    )
    for _, entry in ordered:
        options = [v for v in venue_keys if alloc[entry.topic_type, v] > 0]
        venue = min(
            options,
            key=lambda v: (
                per_enterprise[entry.enterprise][v],
                recused.get((entry.key, v), 0),
                -alloc[entry.topic_type, v],
                venue_keys.index(v),
            ),
        )
        alloc[entry.topic_type, venue] -= 1
        placements[entry.key] = venue
        per_enterprise[entry.enterprise][venue] += 1

    stacks = []
    for enterprise, spread in per_enterprise.items():
        fair = math.ceil(totals[enterprise] / len(venue_keys))
        for venue in venue_keys:
            if spread[venue] > fair:
                stacks.append(Stack(venue, enterprise, spread[venue]))
    counts = Counter(placements.values())
    return Assignment(
        placements=MappingProxyType(placements),
        counts=MappingProxyType({v: counts[v] for v in venue_keys}),
        homes=MappingProxyType(homes),
        stacks=tuple(stacks),
    )


# --------------------------------------------------------------------------- the draw


def draw_order(keys: Iterable, *, seed: int) -> tuple:
    """Return the keys in a random running order that the same seed always reproduces.

    The keys are sorted first, so the order does not depend on how they were loaded.
    Draw numbers are the positions, counted from 1.
    """
    ordered = sorted(keys, key=str)
    if len(set(ordered)) != len(ordered):
        raise ScheduleError("duplicate entries in the draw")
    random.Random(seed).shuffle(ordered)
    return tuple(ordered)


def new_seed() -> int:
    """Return a fresh seed for a draw: a positive number that fits a 63-bit column."""
    return random.SystemRandom().randrange(1, 10**12)


# --------------------------------------------------------------------------- time slots


@dataclass(frozen=True)
class Session:
    start: datetime
    end: datetime

    @property
    def minutes(self) -> int:
        return int((self.end - self.start).total_seconds() // 60)


@dataclass(frozen=True)
class Slot:
    key: Hashable
    number: int  # the draw number
    start: datetime
    end: datetime


@dataclass(frozen=True)
class Break:
    start: datetime
    end: datetime


@dataclass(frozen=True)
class Packing:
    slots: tuple[Slot, ...]
    breaks: tuple[Break, ...]
    overflow: tuple[Hashable, ...]  # entries in running order that did not fit
    slot_minutes: int

    @property
    def overflow_minutes(self) -> int:
        """Minutes the entries that did not fit still need."""
        return len(self.overflow) * self.slot_minutes

    @property
    def fits(self) -> bool:
        return not self.overflow


def venue_sessions(
    day: date,
    *,
    morning: tuple[time, time] | None,
    afternoon: tuple[time, time] | None,
    extra_days: int = 0,
) -> tuple[Session, ...]:
    """Return the venue's sessions over its first day and the extra days it was given."""
    sessions = []
    for offset in range(extra_days + 1):
        current = day + timedelta(days=offset)
        for span in (morning, afternoon):
            if span and span[0] and span[1]:
                sessions.append(
                    Session(datetime.combine(current, span[0]), datetime.combine(current, span[1]))
                )
    return tuple(sessions)


def _session_slots(session: Session, slot: int, pause: int, count: int):
    """Yield (start, end) of up to ``count`` slots and the break, if one was taken."""
    step, pause_delta = timedelta(minutes=slot), timedelta(minutes=pause)
    midpoint = session.start + timedelta(minutes=(session.minutes - pause) / 2)
    current, taken, slots, brk = session.start, not pause, [], None
    while len(slots) < count:
        if not taken and current >= midpoint and current + pause_delta + step <= session.end:
            brk = Break(current, current + pause_delta)
            current += pause_delta
            taken = True
        if current + step > session.end:
            break
        slots.append((current, current + step))
        current += step
    return slots, brk


def pack_slots(
    keys: Sequence[Hashable],
    *,
    sessions: Sequence[Session],
    slot_minutes: int,
    break_minutes: int = 0,
) -> Packing:
    """Give each entry, in running order, the next free slot of the venue's sessions.

    Each session takes one break of ``break_minutes`` at the first slot boundary past its middle
    (only when a slot still follows it). Entries left over are the overflow.
    """
    if slot_minutes <= 0:
        raise ScheduleError("slot length must be positive")
    slots, breaks, index = [], [], 0
    for session in sessions:
        spans, brk = _session_slots(session, slot_minutes, break_minutes, len(keys) - index)
        for start, end in spans:
            slots.append(Slot(keys[index], index + 1, start, end))
            index += 1
        if brk:
            breaks.append(brk)
        if index == len(keys):
            break
    return Packing(tuple(slots), tuple(breaks), tuple(keys[index:]), slot_minutes)


def day_capacity(sessions: Sequence[Session], *, slot_minutes: int, break_minutes: int = 0) -> int:
    """Return how many slots the sessions hold."""
    return sum(len(_session_slots(s, slot_minutes, break_minutes, 10**6)[0]) for s in sessions)


@dataclass(frozen=True)
class Remedies:
    """Ways to fit a venue's entries, as organizers use them."""

    overflow_entries: int
    overflow_minutes: int
    shorter_slot_minutes: int | None  # longest slot (presentation + Q&A) at which all fit
    extra_days: int | None  # more days needed, sessions as on the first day
    written_entries: int  # entries to move to written exchange (书面交流)
    extend_minutes: int  # lengthen the last session by this much


def suggest_remedies(
    count: int,
    *,
    day_sessions: Sequence[Session],
    extra_days: int = 0,
    slot_minutes: int,
    break_minutes: int = 0,
) -> Remedies:
    """Return what it takes to fit ``count`` presented entries into a venue's days."""
    per_day = day_capacity(day_sessions, slot_minutes=slot_minutes, break_minutes=break_minutes)
    capacity = per_day * (extra_days + 1)
    over = max(0, count - capacity)
    shorter = None
    if over:
        for minutes in range(slot_minutes - 1, 0, -1):
            fits = day_capacity(day_sessions, slot_minutes=minutes, break_minutes=break_minutes)
            if fits * (extra_days + 1) >= count:
                shorter = minutes
                break
    more_days = None
    if over and per_day:
        more_days = math.ceil(count / per_day) - (extra_days + 1)
    return Remedies(
        overflow_entries=over,
        overflow_minutes=over * slot_minutes,
        shorter_slot_minutes=shorter,
        extra_days=more_days if over else 0,
        written_entries=over,
        extend_minutes=over * slot_minutes,
    )
