"""Enterprise accounts: sign-up with e-mail confirmation, colleagues, organizer bulk creation."""

import dataclasses

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_decode, urlsafe_base64_encode
from django.utils.translation import gettext as _

from events.models import Event
from events.services import record_audit

from ..models import Enterprise, Membership
from ..validators import credit_code_problem, normalise_credit_code

User = get_user_model()


def _link(request, name: str, user) -> str:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    return request.build_absolute_uri(reverse(name, kwargs={"uidb64": uid, "token": token}))


def _mail(template: str, subject: str, to: str, context: dict) -> None:
    send_mail(subject, render_to_string(template, context), settings.DEFAULT_FROM_EMAIL, [to])


@transaction.atomic
def register_enterprise(
    *,
    name: str,
    credit_code: str,
    short_name: str,
    username: str,
    email: str,
    password: str,
    full_name: str,
    request,
) -> User:
    """Create the enterprise and its first (admin) user, inactive until the e-mail is confirmed."""
    user = User(username=username, email=email, first_name=full_name[:150], is_active=False)
    user.set_password(password)
    user.save()
    enterprise = Enterprise.objects.create(
        name=name, credit_code=normalise_credit_code(credit_code), short_name=short_name
    )
    Membership.objects.create(user=user, enterprise=enterprise, is_admin=True)
    link = _link(request, "signup_confirm", user)
    transaction.on_commit(
        lambda: _mail(
            "registration/email/confirm.txt",
            _("请确认您的企业账号"),
            email,
            {"user": user, "enterprise": enterprise, "link": link},
        )
    )
    return user


def user_from_token(uidb64: str, token: str):
    """Return the user a confirmation or password link was made for, or None."""
    try:
        user = User.objects.get(pk=urlsafe_base64_decode(uidb64).decode())
    except (User.DoesNotExist, ValueError, TypeError, OverflowError):
        return None
    return user if default_token_generator.check_token(user, token) else None


def confirm_account(*, uidb64: str, token: str):
    """Activate the account of a valid confirmation link; return the user or None."""
    user = user_from_token(uidb64, token)
    if user is None or user.is_active:
        return None
    user.is_active = True
    user.save(update_fields=["is_active"])
    return user


@transaction.atomic
def add_enterprise_user(*, enterprise: Enterprise, email: str, full_name: str, request) -> User:
    """Create a colleague's account and e-mail a link to set the password."""
    user = User.objects.create_user(username=email, email=email, first_name=full_name[:150])
    user.set_unusable_password()
    user.save()
    Membership.objects.create(user=user, enterprise=enterprise)
    link = _link(request, "password_reset_confirm", user)
    transaction.on_commit(
        lambda: _mail(
            "registration/email/welcome.txt",
            _("您的成果申报账号已开通"),
            email,
            {"user": user, "enterprise": enterprise, "link": link},
        )
    )
    return user


@dataclasses.dataclass(frozen=True)
class AccountLine:
    line: int
    enterprise: str
    credit_code: str
    email: str
    full_name: str


def parse_account_lines(text: str) -> tuple[list[AccountLine], list[str]]:
    """Read `企业全称,统一社会信用代码,邮箱[,姓名]` lines; return them and the problems found."""
    lines, problems, seen = [], [], set()
    existing = set(User.objects.values_list("username", flat=True))
    for number, raw in enumerate(text.splitlines(), start=1):
        if not raw.strip():
            continue
        parts = [p.strip() for p in raw.replace("，", ",").split(",")]
        if len(parts) not in (3, 4):
            problems.append(
                _("第%(line)s行：应为“企业全称,统一社会信用代码,邮箱[,姓名]”") % {"line": number}
            )
            continue
        name, code, email = parts[0], normalise_credit_code(parts[1]), parts[2]
        full_name = parts[3] if len(parts) == 4 else ""
        if not name:
            problems.append(_("第%(line)s行：企业全称不能为空") % {"line": number})
        if code and (problem := credit_code_problem(code)):
            problems.append(_("第%(line)s行：%(problem)s") % {"line": number, "problem": problem})
        try:
            validate_email(email)
        except ValidationError:
            problems.append(
                _("第%(line)s行：邮箱“%(email)s”格式不正确") % {"line": number, "email": email}
            )
        if email in existing or email in seen:
            problems.append(
                _("第%(line)s行：邮箱“%(email)s”已有账号") % {"line": number, "email": email}
            )
        seen.add(email)
        lines.append(AccountLine(number, name, code, email, full_name))
    return lines, problems


@transaction.atomic
def create_enterprise_accounts(
    *, event: Event, lines: list[AccountLine], actor, request
) -> tuple[int, int]:
    """Create accounts (and enterprises when unknown); return (users, enterprises) created."""
    created_enterprises = 0
    for line in lines:
        enterprise = None
        if line.credit_code:
            enterprise = Enterprise.objects.filter(credit_code=line.credit_code).first()
        if enterprise is None:
            enterprise = Enterprise.objects.filter(name=line.enterprise).first()
        if enterprise is None:
            enterprise = Enterprise.objects.create(
                name=line.enterprise, credit_code=line.credit_code or None
            )
            created_enterprises += 1
        user = add_enterprise_user(
            enterprise=enterprise, email=line.email, full_name=line.full_name, request=request
        )
        if not enterprise.memberships.exclude(user=user).exists():
            Membership.objects.filter(user=user).update(is_admin=True)
    record_audit(
        actor=actor,
        action="submissions.accounts_created",
        event=event,
        target=f"{len(lines)} accounts",
        details={"emails": [line.email for line in lines]},
        request=request,
    )
    return len(lines), created_enterprises
