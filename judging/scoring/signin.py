"""One-time sign-in links for judges' tablets, printed as QR codes on login cards."""

import datetime as dt
import hashlib
import secrets

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from events.models import Event
from judging.models import Judge
from judging.models.panels import judge_account_problem
from judging.scoring.judges import ensure_judge_accounts


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def link_expiry(event: Event) -> dt.datetime:
    """Return the end of the event's last day (local time), when sign-in links stop working."""
    last_day = dt.datetime.combine(event.end_date + dt.timedelta(days=1), dt.time.min)
    return timezone.make_aware(last_day)


def card_plan(*, event: Event) -> tuple[list[Judge], list[tuple[Judge, str]]]:
    """Return the judges who get a login card and the others, each with why it is left out."""
    printable, left_out = [], []
    judges = Judge.objects.filter(event=event).select_related("user").prefetch_related("seats")
    for judge in judges.order_by("code"):
        if not judge.seats.all():
            left_out.append((judge, _("未安排分会场席位")))
        elif judge.user is None:
            left_out.append((judge, _("尚无账号")))
        elif not judge.user.is_active:
            left_out.append((judge, _("账号已停用")))
        elif judge_account_problem(judge_pk=judge.pk, user=judge.user):
            left_out.append((judge, _("账号不是评委自己的账号")))
        else:
            printable.append(judge)
    return printable, left_out


@transaction.atomic
def issue_signin_tokens(*, event: Event) -> dict[Judge, str]:
    """Give every seated judge of the event a fresh one-time token on its own account.

    Judges without an account get one the event creates first. Only the tokens' hashes are
    stored; issuing again invalidates the previous cards.
    """
    ensure_judge_accounts(event=event)
    expires = link_expiry(event)
    tokens = {}
    for judge in card_plan(event=event)[0]:
        token = secrets.token_urlsafe(24)
        judge.signin_token_hash = token_hash(token)
        judge.signin_token_expires = expires
        judge.signin_token_used_at = None
        judge.save(
            update_fields=["signin_token_hash", "signin_token_expires", "signin_token_used_at"]
        )
        tokens[judge] = token
    return tokens


@transaction.atomic
def redeem_signin_token(*, token: str) -> Judge:
    """Spend a sign-in token and return its judge; refuse unknown, used or expired tokens."""
    judge = (
        Judge.objects.select_for_update(of=("self",))
        .select_related("user")
        .filter(signin_token_hash=token_hash(token))
        .exclude(signin_token_hash="")
        .first()
    )
    if (
        judge is None
        or judge.user is None
        or not judge.user.is_active
        or judge_account_problem(judge_pk=judge.pk, user=judge.user)
    ):
        raise ValidationError(_("登录链接无效，请向组织者索取新的登录卡。"))
    if judge.signin_token_used_at is not None:
        raise ValidationError(
            _("此登录卡已使用过；如需在另一台平板登录，请使用账号密码或新的登录卡。")
        )
    if judge.signin_token_expires is None or judge.signin_token_expires <= timezone.now():
        raise ValidationError(_("登录卡已过期（活动已结束）。"))
    judge.signin_token_used_at = timezone.now()
    judge.save(update_fields=["signin_token_used_at"])
    return judge


def render_login_cards(*, event: Event, base_url: str) -> bytes:
    """Return a PDF with one login card per judge: name, code, venue and a sign-in QR code."""
    import segno
    from django.template.loader import render_to_string
    from django.urls import reverse
    from weasyprint import HTML

    cards = []
    tokens = issue_signin_tokens(event=event)
    left_out = card_plan(event=event)[1]
    for judge, token in tokens.items():
        url = base_url.rstrip("/") + reverse("judging:signin", kwargs={"token": token})
        seats = judge.seats.select_related("venue").order_by("venue__number")
        cards.append(
            {
                "judge": judge,
                "venues": [seat.venue for seat in seats],
                "url": url,
                "qr": segno.make(url, error="m").svg_data_uri(scale=4, border=2),
            }
        )
    html = render_to_string(
        "judging/cards/login_cards.html",
        {
            "event": event,
            "cards": cards,
            "left_out": left_out,
            "expires": link_expiry(event),
        },
    )
    return HTML(string=html).write_pdf()
