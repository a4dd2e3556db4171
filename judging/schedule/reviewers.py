"""Dossiers to experts for a written review (书面评审), as a plain function.

Each dossier goes to ``readers`` experts who are not recused from it, the experts' loads kept
as even as the recusals allow (most minus fewest at most one); a dossier with fewer free
experts than it needs gets all of them and its shortfall is reported. The seed decides who
takes the extra dossiers, so the same seed always gives the same plan. Nothing here touches
the database: keys may be ids or codes.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType

from judging.schedule.plan import ScheduleError


@dataclass(frozen=True)
class ReaderPlan:
    readers: Mapping[Hashable, tuple[Hashable, ...]]  # dossier -> its experts, in expert order
    loads: Mapping[Hashable, int]  # expert -> dossiers they read
    shortfalls: Mapping[Hashable, int]  # dossier -> readers it lacks (only dossiers short)
    seed: int

    @property
    def spread(self) -> int:
        """Return the most dossiers of one expert minus the fewest of another."""
        return max(self.loads.values()) - min(self.loads.values()) if self.loads else 0

    @property
    def balanced(self) -> bool:
        return self.spread <= 1

    @property
    def pairs(self) -> set[tuple[Hashable, Hashable]]:
        """Return every (expert, dossier) of the plan."""
        return {(e, d) for d, experts in self.readers.items() for e in experts}


def assign_readers(
    dossiers: Sequence[Hashable],
    experts: Sequence[Hashable],
    *,
    readers: int,
    seed: int,
    recused: Iterable[tuple[Hashable, Hashable]] = (),
    kept: Iterable[tuple[Hashable, Hashable]] = (),
) -> ReaderPlan:
    """Give each dossier ``readers`` experts not recused from it, loads balanced.

    ``recused`` and ``kept`` hold (expert, dossier) pairs. Kept pairs stay whatever happens
    (an expert has started that card): they count towards the expert's load and, unless
    recused, towards the dossier's readers. The most constrained dossiers are served first,
    each by the free experts with the lightest load (the seed's order among equals); then
    dossiers shift from heavier experts to lighter ones while the recusals allow it.
    """
    if readers < 1:
        raise ScheduleError("a dossier needs at least one reader")
    dossiers = sorted(dict.fromkeys(dossiers), key=str)
    experts = sorted(dict.fromkeys(experts), key=str)
    recused = set(recused)
    kept = set(kept)
    unknown = [(e, d) for e, d in kept if e not in experts or d not in dossiers]
    if unknown:
        raise ScheduleError(f"kept pairs outside the panel: {sorted(unknown, key=str)}")
    order = list(experts)
    random.Random(seed).shuffle(order)
    rank = {expert: index for index, expert in enumerate(order)}

    chosen: dict = {d: {e for e, kd in kept if kd == d} for d in dossiers}
    load: Counter = Counter({e: 0 for e in experts})
    load.update(e for e, _d in kept)
    need = {
        d: max(0, readers - sum(1 for e in chosen[d] if (e, d) not in recused)) for d in dossiers
    }
    free = {
        d: [e for e in experts if (e, d) not in recused and e not in chosen[d]] for d in dossiers
    }

    for dossier in sorted(dossiers, key=lambda d: len(free[d]) - need[d]):
        pick = sorted(free[dossier], key=lambda e: (load[e], rank[e]))[: need[dossier]]
        chosen[dossier].update(pick)
        load.update(pick)

    _rebalance(dossiers, experts, chosen, load, rank, recused, kept)
    shortfalls = {d: readers - sum(1 for e in chosen[d] if (e, d) not in recused) for d in dossiers}
    return ReaderPlan(
        readers=MappingProxyType(
            {d: tuple(sorted(chosen[d], key=experts.index)) for d in dossiers}
        ),
        loads=MappingProxyType(dict(load)),
        shortfalls=MappingProxyType({d: n for d, n in shortfalls.items() if n > 0}),
        seed=seed,
    )


def _rebalance(dossiers, experts, chosen, load, rank, recused, kept) -> None:
    """Shift dossiers from heavy experts to light ones until no shift narrows the gap.

    A shift is a chain: the heavy expert hands a dossier to a second expert, who hands another
    to a third, and so on to an expert with at least two fewer; only the ends' loads change.
    Each shift lowers the sum of squared loads, so the loop ends, and it ends only when no
    expert can pass work on to one two lighter: as even as the recusals allow.
    """
    while True:
        chain = _chain(dossiers, experts, chosen, load, rank, recused, kept)
        if chain is None:
            return
        for dossier, giver, taker in chain:
            chosen[dossier].discard(giver)
            chosen[dossier].add(taker)
        load[chain[0][1]] -= 1
        load[chain[-1][2]] += 1


def _chain(dossiers, experts, chosen, load, rank, recused, kept):
    """Return the steps (dossier, from, to) of a shortest chain from the heaviest expert that
    has one to an expert lighter by two or more, or None."""
    lightest = min(load.values(), default=0)
    for start in sorted(experts, key=lambda e: (-load[e], rank[e])):
        if load[start] - lightest < 2:
            return None
        back = {start: None}
        queue = [start]
        for giver in queue:
            for dossier in dossiers:
                if giver not in chosen[dossier] or (giver, dossier) in kept:
                    continue
                for taker in sorted(experts, key=lambda e: (load[e], rank[e])):
                    if taker in back or taker in chosen[dossier] or (taker, dossier) in recused:
                        continue
                    back[taker] = (dossier, giver)
                    if load[start] - load[taker] >= 2:
                        steps = []
                        while back[taker] is not None:
                            dossier, giver = back[taker]
                            steps.append((dossier, giver, taker))
                            taker = giver
                        return steps[::-1]
                    queue.append(taker)
    return None
