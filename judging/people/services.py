"""Check-in at the doors, and judges registered as delegates without typing them twice."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone

from events.models import Event, Venue
from judging.models import CheckIn, Judge
from judging.models.people import session_key
from submissions.enums import DelegateKind, OrganizationKind
from submissions.models import Delegate

OK, UNKNOWN, REVOKED, USED = "ok", "unknown", "revoked", "used"


@dataclass(frozen=True)
class CheckInAnswer:
    status: str  # OK, UNKNOWN, REVOKED or USED
    code: str
    name: str = ""
    organization: str = ""
    kind: str = ""
    at: object = None  # when admitted (now, or the earlier scan of a used code)

    @property
    def admitted(self) -> bool:
        return self.status == OK


def normalise_code(value: str) -> str:
    """Return a scanned or typed code upper-cased without blanks."""
    return "".join(str(value).split()).upper()[:40]


def check_in(
    *, event: Event, code: str, venue: Venue | None = None, by=None, door: str = ""
) -> CheckInAnswer:
    """Admit a badge to a session once: unknown, revoked and already-used codes are refused."""
    code = normalise_code(code)
    delegate = (
        Delegate.objects.filter(event=event, checkin_code=code)
        .only("pk", "name", "organization", "kind", "revoked")
        .first()
        if code
        else None
    )
    if delegate is None:
        return CheckInAnswer(UNKNOWN, code)
    answer = {
        "code": code,
        "name": delegate.name,
        "organization": delegate.organization,
        "kind": delegate.get_kind_display(),
    }
    if delegate.revoked:
        return CheckInAnswer(REVOKED, **answer)
    session = session_key(venue)
    now = timezone.now()
    try:
        with transaction.atomic():
            CheckIn.objects.create(
                event=event,
                delegate=delegate,
                session=session,
                venue=venue,
                door=door[:40],
                checked_by=by if by is not None and by.is_authenticated else None,
                at=now,
            )
    except IntegrityError:
        earlier = (
            CheckIn.objects.filter(delegate=delegate, session=session)
            .values_list("at", flat=True)
            .first()
        )
        return CheckInAnswer(USED, at=earlier, **answer)
    return CheckInAnswer(OK, at=now, **answer)


def register_judges(*, event: Event) -> int:
    """Register the event's judges as delegates (kind 评委), matched by mobile; return how many.

    A judge already registered under the same mobile is marked a judge instead of added
    again, so no one is typed twice.
    """
    judges = Judge.objects.filter(event=event).select_related("affiliation")
    by_mobile = {d.mobile: d for d in Delegate.objects.filter(event=event)}
    created, changed = [], []
    for judge in judges:
        mobile = "".join(ch for ch in judge.phone if ch.isdigit())[-11:]
        if not mobile:
            continue
        existing = by_mobile.get(mobile)
        if existing is not None:
            if existing.kind != DelegateKind.JUDGE:
                existing.kind = DelegateKind.JUDGE
                changed.append(existing)
            continue
        organization = (
            judge.affiliation.name if judge.affiliation else judge.affiliation_name or "—"
        )
        delegate = Delegate(
            event=event,
            name=judge.name,
            enterprise=judge.affiliation,
            organization=organization,
            organization_kind=OrganizationKind.ENTERPRISE
            if judge.affiliation
            else OrganizationKind.GUEST,
            province=judge.province,
            mobile=mobile,
            kind=DelegateKind.JUDGE,
        )
        by_mobile[mobile] = delegate
        created.append(delegate)
    with transaction.atomic():
        Delegate.objects.bulk_create(created)
        Delegate.objects.bulk_update(changed, ["kind"])
    return len(created) + len(changed)
