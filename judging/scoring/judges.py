"""Judges as the event's own people: their accounts, seats and imports."""

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction

from events.models import Event
from judging.models import Judge
from judging.models.panels import judge_account_problem


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
