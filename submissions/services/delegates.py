"""Delegate registration: the portal's form, the organizer's workbook, capacity and deadline.

A person registers once per event: the mobile number is unique within an event (a database
constraint; the checks here only turn it into a message that names the other registration).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import IO

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from events.models import Event, Venue

from .. import delegates_excel
from ..enums import OrganizationKind
from ..excel import CellError
from ..models import Delegate, Enterprise, Member

ASSOCIATION_WORDS = re.compile(r"(协会|学会|研究会|联合会|工会|促进会|委员会)")


class DelegateImportRefused(Exception):
    def __init__(self, errors: Sequence[CellError]):
        super().__init__(f"{len(errors)} errors")
        self.errors = list(errors)


@dataclass(frozen=True)
class DelegateImportSummary:
    created: int
    updated: int
    linked_enterprises: int


def registration_is_open(event: Event, now=None) -> bool:
    """Return whether delegates may still register through the portal."""
    closes = event.registration_closes
    return closes is None or (now or timezone.now()) < closes


def organization_kind_of(name: str, enterprise: Enterprise | None) -> str:
    """Return the kind of an organization written as free text."""
    if enterprise is not None:
        return OrganizationKind.ENTERPRISE
    if ASSOCIATION_WORDS.search(name):
        return OrganizationKind.ASSOCIATION
    return OrganizationKind.GUEST


def capacity_problems(event: Event, *, adding: int, venue_ids: Iterable[int] = ()) -> list[str]:
    """Return why adding delegates to the event, and one to each venue, exceeds a capacity."""
    problems = []
    if adding and event.delegate_capacity is not None:
        taken = Delegate.objects.filter(event=event, revoked=False).count()
        if taken + adding > event.delegate_capacity:
            problems.append(
                _("本活动代表名额为 %(capacity)s 人，已报名 %(taken)s 人，无法再增加 %(adding)s 人")
                % {"capacity": event.delegate_capacity, "taken": taken, "adding": adding}
            )
    venue_ids = list(venue_ids)
    if venue_ids:
        venues = Venue.objects.filter(pk__in=venue_ids, capacity__isnull=False).annotate(
            taken=Count("delegates", filter=Q(delegates__revoked=False))
        )
        for venue in venues:
            if venue.taken + 1 > venue.capacity:
                problems.append(
                    _("%(venue)s 容纳 %(capacity)s 人，已满")
                    % {
                        "venue": venue.name,
                        "capacity": venue.capacity,
                    }
                )
    return problems


def duplicate_message(existing: Delegate) -> str:
    return _("手机号已登记：%(name)s（%(organization)s）已用此号报名本活动") % {
        "name": existing.name,
        "organization": existing.organization,
    }


def member_for(*, event: Event, enterprise: Enterprise | None, name: str) -> Member | None:
    """Return the member of one of the enterprise's entries in this event with this name."""
    if enterprise is None:
        return None
    return (
        Member.objects.filter(submission__event=event, submission__enterprise=enterprise, name=name)
        .order_by("pk")
        .first()
    )


def register_delegate(
    *,
    event: Event,
    delegate: Delegate,
    venues: Sequence[Venue] = (),
    user=None,
    enforce_deadline: bool = True,
) -> Delegate:
    """Save a new or edited registration after the deadline, capacity and duplicate checks."""
    if enforce_deadline and not registration_is_open(event):
        raise ValidationError(_("本活动代表报名已截止。"))
    delegate.event = event
    with transaction.atomic():
        Event.objects.select_for_update().filter(pk=event.pk).first()
        existing = (
            Delegate.objects.filter(event=event, mobile=delegate.mobile)
            .exclude(pk=delegate.pk)
            .first()
        )
        if existing is not None:
            raise ValidationError({"mobile": duplicate_message(existing)})
        current = set(delegate.venues.values_list("pk", flat=True)) if delegate.pk else set()
        new_venues = [v.pk for v in venues if v.pk not in current]
        problems = capacity_problems(event, adding=0 if delegate.pk else 1, venue_ids=new_venues)
        if problems:
            raise ValidationError(problems)
        if delegate.member_id is None:
            delegate.member = member_for(
                event=event, enterprise=delegate.enterprise, name=delegate.name
            )
        if not delegate.organization_kind:
            delegate.organization_kind = organization_kind_of(
                delegate.organization, delegate.enterprise
            )
        if delegate.enterprise and not delegate.province:
            delegate.province = delegate.enterprise.province
        if user is not None and user.is_authenticated and not delegate.pk:
            delegate.registered_by = user
        try:
            with transaction.atomic():
                delegate.save()
        except IntegrityError as error:
            raise ValidationError({"mobile": _("手机号已在本活动登记。")}) from error
        delegate.venues.set(venues)
    return delegate


def import_delegates(*, event: Event, source: str | IO[bytes]) -> DelegateImportSummary:
    """Import the delegates workbook: every row checked first, then all saved or none."""
    parsed = delegates_excel.parse_workbook(source)
    if not parsed.ok:
        raise DelegateImportRefused(parsed.errors)
    rows = parsed.delegates
    with transaction.atomic():
        Event.objects.select_for_update().filter(pk=event.pk).first()
        existing = {d.mobile: d for d in Delegate.objects.filter(event=event)}
        errors = []
        for row in rows:
            other = existing.get(row.mobile)
            if other is not None and other.name != row.name:
                errors.append(
                    delegates_excel.error_at(
                        delegates_excel.SHEET,
                        row.row,
                        "phone",
                        parsed.positions,
                        duplicate_message(other),
                    )
                )
        adding = sum(1 for row in rows if row.mobile not in existing)
        for problem in capacity_problems(event, adding=adding):
            errors.append(CellError(delegates_excel.SHEET, None, "", "", problem))
        if errors:
            raise DelegateImportRefused(errors)
        enterprises = _enterprises_for(rows)
        members = _members_by_name(event)
        to_create, to_update = [], []
        for row in rows:
            enterprise = enterprises.get(row.credit_code) or enterprises.get(row.organization)
            delegate = existing.get(row.mobile) or Delegate(event=event, mobile=row.mobile)
            delegate.name = row.name
            delegate.organization = enterprise.name if enterprise else row.organization
            delegate.enterprise = enterprise
            delegate.organization_kind = organization_kind_of(row.organization, enterprise)
            delegate.province = enterprise.province if enterprise else delegate.province
            delegate.title = row.title
            delegate.email = row.email
            delegate.kind = row.kind
            delegate.lodging = row.lodging
            if enterprise is not None and delegate.member_id is None:
                delegate.member_id = members.get((enterprise.pk, row.name))
            (to_update if delegate.pk else to_create).append(delegate)
        Delegate.objects.bulk_create(to_create, batch_size=500)
        fields = [
            "name",
            "organization",
            "enterprise",
            "organization_kind",
            "province",
            "title",
            "email",
            "kind",
            "lodging",
            "member",
        ]
        Delegate.objects.bulk_update(to_update, fields, batch_size=500)
    linked = len({id(e) for e in enterprises.values()})
    return DelegateImportSummary(
        created=len(to_create), updated=len(to_update), linked_enterprises=linked
    )


def _enterprises_for(rows) -> dict[str, Enterprise]:
    codes = {row.credit_code for row in rows if row.credit_code}
    names = {row.organization for row in rows}
    found: dict[str, Enterprise] = {}
    for enterprise in Enterprise.objects.filter(Q(credit_code__in=codes) | Q(name__in=names)):
        found[enterprise.name] = enterprise
        if enterprise.credit_code:
            found[enterprise.credit_code] = enterprise
    return found


def _members_by_name(event: Event) -> dict[tuple[int, str], int]:
    members = Member.objects.filter(submission__event=event).values_list(
        "submission__enterprise_id", "name", "pk"
    )
    result: dict[tuple[int, str], int] = {}
    for enterprise_id, name, pk in members:
        result.setdefault((enterprise_id, name), pk)
    return result


def revoke_delegate(*, delegate: Delegate) -> None:
    """Void a delegate's badge: its code is refused at every door from now on."""
    Delegate.objects.filter(pk=delegate.pk).update(revoked=True)
