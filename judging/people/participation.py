"""Participation figures computed from registration and check-in rows (pure: plain values)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Person:
    """One registration as the figures need it."""

    delegate_id: int
    organization: str
    organization_kind: str
    province: str
    kind: str
    arrived: bool


@dataclass(frozen=True)
class Participation:
    delegates: int
    organizations: int
    arrived: int
    arrived_organizations: int
    enterprises: int
    associations: int
    by_kind: tuple[tuple[str, int, int], ...]  # kind, registered, arrived
    by_province: tuple[tuple[str, int, int], ...]  # province, registered, arrived


def participation(people: Iterable[Person]) -> Participation:
    """Count delegates and organizations, registered and arrived, by kind and province."""
    people = list(people)
    organizations = {p.organization for p in people}
    arrived_orgs = {p.organization for p in people if p.arrived}
    kinds_of_org: dict[str, str] = {}
    for p in people:
        kinds_of_org.setdefault(p.organization, p.organization_kind)
    kind_counts = Counter(kinds_of_org.values())
    registered_kind = Counter(p.kind for p in people)
    arrived_kind = Counter(p.kind for p in people if p.arrived)
    registered_province = Counter(p.province or "" for p in people)
    arrived_province = Counter(p.province or "" for p in people if p.arrived)
    provinces = sorted(registered_province, key=lambda k: (-registered_province[k], k == "", k))
    return Participation(
        delegates=len(people),
        organizations=len(organizations),
        arrived=sum(1 for p in people if p.arrived),
        arrived_organizations=len(arrived_orgs),
        enterprises=kind_counts.get("enterprise", 0),
        associations=len(organizations) - kind_counts.get("enterprise", 0),
        by_kind=tuple(
            (kind, registered_kind[kind], arrived_kind[kind]) for kind in sorted(registered_kind)
        ),
        by_province=tuple(
            (province, registered_province[province], arrived_province[province])
            for province in provinces
        ),
    )
