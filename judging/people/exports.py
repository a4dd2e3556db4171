"""Exports of the people of an event: the delegate list and the hotel list (row generators)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from events.models import Event
from judging.models import CheckIn
from submissions.models import Delegate

DELEGATE_HEADERS = [
    "姓名",
    "单位",
    "单位类型",
    "省份",
    "职务",
    "手机",
    "电子邮箱",
    "参会类型",
    "住宿",
    "报到日期",
    "离会日期",
    "饮食要求",
    "场次",
    "签到",
]
HOTEL_HEADERS = ["单位", "姓名", "手机", "报到日期", "离会日期", "晚数", "饮食要求"]


def delegate_rows(event: Event) -> Iterator[list[Any]]:
    """Yield one row per registration, with its sessions and where it checked in."""
    seen: dict[int, list[str]] = {}
    for delegate_id, session in CheckIn.objects.filter(event=event).values_list(
        "delegate_id", "session"
    ):
        seen.setdefault(delegate_id, []).append(session)
    people = (
        Delegate.objects.filter(event=event)
        .prefetch_related("venues")
        .order_by("organization", "name", "pk")
    )
    for d in people:
        sessions = (["大会"] if d.attends_plenary else []) + [v.name for v in d.venues.all()]
        yield [
            d.name,
            d.organization,
            d.get_organization_kind_display(),
            d.province,
            d.title,
            d.mobile,
            d.email,
            d.get_kind_display() + ("（已作废）" if d.revoked else ""),
            "是" if d.lodging else "否",
            d.arrival,
            d.departure,
            d.dietary,
            "、".join(sessions),
            "、".join(sorted(seen.get(d.pk, []))),
        ]


def hotel_rows(event: Event) -> Iterator[list[Any]]:
    """Yield the delegates who need lodging, by organization, with their nights."""
    people = Delegate.objects.filter(event=event, lodging=True, revoked=False).order_by(
        "organization", "arrival", "name"
    )
    for d in people:
        arrival = d.arrival or event.start_date
        departure = d.departure or event.end_date
        nights = max((departure - arrival).days, 0)
        yield [d.organization, d.name, d.mobile, arrival, departure, nights, d.dietary]
