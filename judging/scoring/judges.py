"""Judges as the event's own people: their accounts, seats and imports."""

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from events.models import Event, Venue
from judging.enums import SeatRole
from judging.models import Judge, PanelSeat
from judging.models.panels import judge_account_problem
from judging.schedule.services import sync_auto_recusals
from judging.scoring.judges_excel import judge_cell_error, parse_judges_workbook
from submissions.models import Enterprise


def judge_username(*, event: Event, code: str) -> str:
    """Return the username the event gives a judge: its slug and the judge's code."""
    return f"{event.slug}-{code}".lower()[:150]


def check_judge_account(*, judge: Judge, user) -> None:
    """Refuse an account that is not this judge's own (staff, enterprise user, another judge)."""
    problem = judge_account_problem(judge_pk=judge.pk, user=user)
    if problem:
        raise ValidationError(problem, code="judge_account")


@transaction.atomic
def create_judge_account(*, judge: Judge):
    """Create the judge's own account (no usable password: it signs in by card or link)."""
    User = get_user_model()
    base = judge_username(event=judge.event, code=judge.code)
    username, suffix = base, 1
    while User.objects.filter(username=username).exists():
        suffix += 1
        username = f"{base}-{suffix}"
    user = User(username=username, first_name=judge.name[:150], email=judge.email)
    user.set_unusable_password()
    user.save()
    judge.user = user
    judge.save(update_fields=["user"])
    return user


@transaction.atomic
def save_judge(*, judge: Judge) -> Judge:
    """Save a judge and give it an account of its own if it has none."""
    if judge.user_id is not None:
        check_judge_account(judge=judge, user=judge.user)
    judge.save()
    if judge.user_id is None:
        create_judge_account(judge=judge)
    return judge


@transaction.atomic
def ensure_judge_accounts(*, event: Event) -> int:
    """Give every judge of the event without an account its own; return how many were made."""
    judges = list(Judge.objects.filter(event=event, user__isnull=True).select_related("event"))
    for judge in judges:
        create_judge_account(judge=judge)
    return len(judges)


class JudgesImportRefused(Exception):
    """The judges workbook has errors; nothing was saved."""

    def __init__(self, errors: list):
        super().__init__(f"{len(errors)} errors")
        self.errors = errors


@dataclass(frozen=True)
class JudgesImportSummary:
    created: int
    updated: int
    seated: int
    accounts: int


def import_judges(*, event: Event, source) -> JudgesImportSummary:
    """Import the judges workbook: every row checked first, then all saved or none."""
    parsed = parse_judges_workbook(source)
    if not parsed.ok:
        raise JudgesImportRefused(list(parsed.errors))
    venues = {venue.number: venue for venue in Venue.objects.filter(event=event)}
    errors = []
    for row in parsed.judges:
        if row.venue is not None and row.venue not in venues:
            message = _("本活动没有第%(venue)s分会场（现有：%(numbers)s）") % {
                "venue": row.venue,
                "numbers": "、".join(str(n) for n in sorted(venues)) or _("无"),
            }
            errors.append(judge_cell_error(row.row, "venue", parsed.positions, message))
    codes = {row.code.upper() for row in parsed.judges}
    chairs = PanelSeat.objects.filter(venue__event=event, role=SeatRole.CHAIR).select_related(
        "judge", "venue"
    )
    for seat in chairs:
        if seat.judge.code.upper() in codes:
            continue  # this judge's seats are rewritten by the file
        for row in parsed.judges:
            if row.role == SeatRole.CHAIR and row.venue == seat.venue.number:
                message = _("第%(venue)s分会场已有组长 %(judge)s") % {
                    "venue": row.venue,
                    "judge": seat.judge,
                }
                errors.append(judge_cell_error(row.row, "role", parsed.positions, message))
    if errors:
        raise JudgesImportRefused(errors)
    return _save_judges(event=event, rows=parsed.judges, venues=venues)


@transaction.atomic
def _save_judges(*, event: Event, rows, venues) -> JudgesImportSummary:
    enterprises = {
        enterprise.name: enterprise
        for enterprise in Enterprise.objects.filter(
            name__in={row.affiliation for row in rows if row.affiliation},
            submissions__event=event,
        ).distinct()
    }
    existing = {judge.code.upper(): judge for judge in Judge.objects.filter(event=event)}
    seated_codes = {row.code.upper() for row in rows if row.venue is not None}
    # The seats of judges the file seats are rewritten from the file (so a chair can move).
    PanelSeat.objects.filter(
        judge__event=event,
        judge__code__in=[j.code for k, j in existing.items() if k in seated_codes],
    ).delete()
    created = updated = seated = accounts = 0
    for row in rows:
        judge = existing.get(row.code.upper()) or Judge(event=event, code=row.code)
        is_new = judge.pk is None
        judge.name = row.name
        judge.affiliation_name = row.affiliation
        judge.affiliation = enterprises.get(row.affiliation)
        judge.parent_group = row.group
        judge.province = row.province
        judge.phone = row.phone
        judge.email = row.email
        had_account = judge.user_id is not None
        save_judge(judge=judge)
        accounts += not had_account
        created += is_new
        updated += not is_new
        if row.venue is not None:
            PanelSeat.objects.create(judge=judge, venue=venues[row.venue], role=row.role)
            seated += 1
    # Affiliations may have changed: the automatic recusals follow them at once.
    sync_auto_recusals(event=event)
    return JudgesImportSummary(created=created, updated=updated, seated=seated, accounts=accounts)


@transaction.atomic
def add_judge(*, event: Event, venue: Venue | None = None, role: str = SeatRole.MEMBER, **fields):
    """Add a judge to the event with its own account and, if given, its seat at a venue."""
    if venue is not None and venue.event_id != event.pk:
        raise ValidationError(_("分会场“%(venue)s”不属于本活动。") % {"venue": venue})
    if Judge.objects.filter(event=event, code__iexact=fields["code"]).exists():
        raise ValidationError(_("评委编号 %(code)s 已存在。") % {"code": fields["code"]})
    if (
        venue is not None
        and role == SeatRole.CHAIR
        and PanelSeat.objects.filter(venue=venue, role=SeatRole.CHAIR).exists()
    ):
        raise ValidationError(_("%(venue)s 已有评审组长。") % {"venue": venue.name})
    judge = save_judge(judge=Judge(event=event, **fields))
    if venue is not None:
        PanelSeat.objects.create(judge=judge, venue=venue, role=role)
    sync_auto_recusals(event=event)
    return judge
