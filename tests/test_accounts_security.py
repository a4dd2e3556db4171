"""Accounts and the HTTP surface: throttled sign-in, password rules, production cookies, a
Content-Security-Policy without inline script, CSRF on every POST, the audit log and
personal data kept to those who need it."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.apps import apps
from django.test import Client
from django.urls import reverse

from events.models import AuditLog
from judging.models import VenueStatus
from submissions.models import Enterprise
from tests.admin_setup import organizer as admin_organizer
from tests.test_permission_matrix import RULES, kwargs_for, walked
from tests.world import build_world

ROOT = Path(__file__).resolve().parent.parent


def logged_in(world, role, **client_kwargs) -> Client:
    client = Client(**client_kwargs)
    if world.users.get(role) is not None:
        client.force_login(world.users[role])
    return client


# Sign-in throttling --------------------------------------------------------------------


@pytest.mark.django_db
def test_sixth_sign_in_after_five_failures_is_locked_out_with_a_chinese_page(settings):
    settings.AXES_ENABLED = True
    world = build_world()
    client = Client(REMOTE_ADDR="203.0.113.7")
    url = reverse("login")
    statuses = [
        client.post(url, {"username": "enterprise_a", "password": f"wrong-{n}"}).status_code
        for n in range(5)
    ]
    assert statuses == [200, 200, 200, 200, 429]
    # Even the right password is refused now, with a page that says why and for how long.
    response = client.post(url, {"username": "enterprise_a", "password": "correct-horse-battery"})
    assert response.status_code == 429
    page = response.content.decode()
    assert "登录已暂时锁定" in page
    assert "连续 5 次密码错误" in page
    assert "请在 30 分钟后再试" in page
    assert "_auth_user_id" not in client.session
    # Another address is not locked out of the same account.
    other = Client(REMOTE_ADDR="198.51.100.9")
    other.post(url, {"username": "enterprise_a", "password": "correct-horse-battery"})
    assert other.session["_auth_user_id"] == str(world.users["enterprise_a"].pk)


# Password rules --------------------------------------------------------------------------


def signup(client, password, username="zhang.wei"):
    return client.post(
        reverse("signup"),
        {
            "enterprise_name": "杭州精密机床有限公司",
            "credit_code": "91330100716105852F",
            "full_name": "张伟",
            "email": "zhang.wei@example.com",
            "username": username,
            "password1": password,
            "password2": password,
        },
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("password", "fragment"),
    [
        ("Ab3$xyz", "太短"),  # under 10 characters
        ("1234567890123", "只包含数字"),
        ("password123", "太常见"),
        ("zhang.wei.2021", "太相似"),
    ],
)
def test_sign_up_refuses_weak_passwords(password, fragment):
    response = signup(Client(), password)
    assert response.status_code == 200
    errors = response.context["form"].errors["password1"]
    assert any(fragment in error for error in errors), errors
    assert not Enterprise.objects.filter(name="杭州精密机床有限公司").exists()


@pytest.mark.django_db
def test_sign_up_accepts_a_strong_password():
    response = signup(Client(), "Lathe-Spindle-Tolerance-42")
    assert response.status_code == 200
    assert "form" not in response.context or not response.context["form"].errors
    assert Enterprise.objects.filter(name="杭州精密机床有限公司").exists()


# Production settings ------------------------------------------------------------------

PRODUCTION_ENV = {
    "DJANGO_SECRET_KEY": "a-long-random-production-secret-key-used-only-by-this-test-7f3a9c",
    "DJANGO_DEBUG": "0",
    "DJANGO_ALLOWED_HOSTS": "qc.example.org",
}
PROBE = """
import django, json
django.setup()
from django.conf import settings as s
names = ["SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE", "SESSION_COOKIE_HTTPONLY",
         "SESSION_COOKIE_SAMESITE", "SECURE_SSL_REDIRECT", "SECURE_HSTS_SECONDS",
         "SECURE_CONTENT_TYPE_NOSNIFF", "X_FRAME_OPTIONS", "DEBUG", "AXES_ENABLED",
         "AXES_FAILURE_LIMIT"]
print(json.dumps({n: getattr(s, n) for n in names}))
"""


def test_production_cookies_are_secure_and_http_only():
    import json

    env = {**os.environ, **PRODUCTION_ENV, "DJANGO_SETTINGS_MODULE": "qcexchange.settings"}
    env.pop("AXES_ENABLED", None)
    result = subprocess.run(
        [sys.executable, "-c", PROBE], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout.strip().splitlines()[-1])
    assert values == {
        "SESSION_COOKIE_SECURE": True,
        "CSRF_COOKIE_SECURE": True,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SECURE_SSL_REDIRECT": True,
        "SECURE_HSTS_SECONDS": 31536000,
        "SECURE_CONTENT_TYPE_NOSNIFF": True,
        "X_FRAME_OPTIONS": "DENY",
        "DEBUG": False,
        "AXES_ENABLED": True,
        "AXES_FAILURE_LIMIT": 5,
    }


# Content-Security-Policy ----------------------------------------------------------------

INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
HANDLER = re.compile(r"<[^>]+\son[a-z]+\s*=", re.IGNORECASE)
JAVASCRIPT_URL = re.compile(r"""(href|src|action)\s*=\s*["']?\s*javascript:""", re.IGNORECASE)


def crawled_pages(world, role):
    """Yield (url, response) of every GET page of the matrix this role may open."""
    tested, _ = walked()
    client = logged_in(world, role)
    for name, route in sorted(tested.items()):
        if name not in RULES:
            continue  # test_every_url_has_a_rule names it
        method, expected = RULES[name]
        if method != "GET" or expected[role] != 200:
            continue
        url = reverse(name, kwargs=kwargs_for(name, route, world))
        yield url, client.get(url)


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["organizer", "chair_v1", "enterprise_a", "anonymous"])
def test_every_page_has_a_csp_without_inline_script(role):
    world = build_world()
    problems, html_pages = [], 0
    for url, response in crawled_pages(world, role):
        policy = response.headers.get("Content-Security-Policy", "")
        script_src = re.search(r"script-src ([^;]*)", policy)
        if not script_src or "'unsafe-inline'" in script_src.group(1):
            problems.append(f"{url}: policy {policy!r}")
        if not response["Content-Type"].startswith("text/html"):
            continue
        html_pages += 1
        body = response.content.decode()
        problems += [f"{url}: inline {m.group(0)}" for m in INLINE_SCRIPT.finditer(body)]
        problems += [f"{url}: handler {m.group(0)[:80]}" for m in HANDLER.finditer(body)]
        problems += [f"{url}: {m.group(0)}" for m in JAVASCRIPT_URL.finditer(body)]
    assert problems == []
    assert html_pages >= 4


def test_templates_have_no_inline_script_or_handlers():
    problems = []
    for path in (ROOT / "templates").rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        problems += [f"{path.name}: {m.group(0)}" for m in INLINE_SCRIPT.finditer(text)]
        problems += [f"{path.name}: {m.group(0)[:60]}" for m in HANDLER.finditer(text)]
    assert problems == []


# CSRF -------------------------------------------------------------------------------------

# POSTs each role may make, every one refused without a token (nothing reaches the view).
CSRF_ROLE = {"organizer", "enterprise_a", "chair_v1", "judge_v1", "anonymous"}


@pytest.mark.django_db
def test_every_post_without_a_csrf_token_is_refused():
    world = build_world()
    tested, _ = walked()
    before = AuditLog.objects.count(), VenueStatus.objects.count()
    accepted = []
    posts = 0
    for name, route in sorted(tested.items()):
        if name not in RULES:
            continue  # test_every_url_has_a_rule names it
        _, expected = RULES[name]
        roles = [r for r in CSRF_ROLE if expected[r] in {200, "allowed"}] or ["anonymous"]
        url = reverse(name, kwargs=kwargs_for(name, route, world))
        for role in roles:
            client = logged_in(world, role, enforce_csrf_checks=True)
            response = client.post(url, {"reason": "x", "seed": "1"})
            posts += 1
            # 405: a view that takes no POST at all (the schema pages) never runs it.
            if response.status_code not in {403, 405}:
                accepted.append(f"{role} POST {url}: {response.status_code}")
            elif response.status_code == 403 and not url.startswith("/api/"):
                assert "CSRF" in response.content.decode(), url
    assert accepted == []
    assert posts >= len(tested)
    assert (AuditLog.objects.count(), VenueStatus.objects.count()) == before


# Audit log ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_organizer_actions_are_written_to_the_audit_log():
    world = build_world()
    client = logged_in(world, "organizer")
    slug = world.event.slug
    from judging.scoring.chairs import lock_venue

    lock_venue(venue=world.venue1, actor=world.users["chair_v1"], override_reason="测试强制锁定")
    client.post(
        reverse("submissions_orga:entry", args=[slug, world.entry_b.pk]),
        {"verdict": "rejected", "message": "不符合申报条件"},
    )
    client.post(
        reverse("schedule:entry_action", args=[slug, world.assignment_a.pk]), {"action": "lock"}
    )
    client.post(reverse("judging:unlock_venue", args=[slug, 1]), {"reason": "补录评分"})
    client.post(reverse("judging:login_cards", args=[slug]))
    client.post(reverse("judging_documents:start_report", args=[slug]))
    client.post(
        reverse("awards:override", args=[slug, world.entry_a.code]),
        {"decision": "none", "reason": "复核发现数据不实"},
    )
    client.post(
        reverse("awards:objection", args=[slug, world.objection.pk]),
        {"status": "dismissed", "answer": "经核查，数据属实"},
    )
    actions = list(
        AuditLog.objects.filter(event=world.event, actor=world.users["organizer"])
        .order_by("pk")
        .values_list("action", flat=True)
    )
    assert actions == [
        "submission.review",
        "schedule.lock",
        "unlock_venue",
        "judges.login_cards",
        "render_report",
        "award.override",
        "objection.answer",
    ]
    assert AuditLog.objects.filter(action="lock_venue", actor=world.users["chair_v1"]).count() == 1
    assert AuditLog.objects.get(action="unlock_venue").ip_address == "127.0.0.1"


@pytest.mark.django_db
def test_audit_log_admin_is_read_only_and_shows_only_the_organizers_events():
    world = build_world()
    from events.services import record_audit

    record_audit(actor=world.users["organizer"], action="review.admitted", event=world.event)
    record_audit(
        actor=world.users["other_organizer"], action="review.secret", event=world.other_event
    )
    staff = admin_organizer("audit-reader")
    world.event.staff.add(staff)
    client = Client()
    client.force_login(staff)
    listing = client.get(reverse("admin:events_auditlog_changelist"))
    assert listing.status_code == 200
    page = listing.content.decode()
    assert "review.admitted" in page
    assert "review.secret" not in page
    theirs = AuditLog.objects.get(action="review.secret")
    assert client.get(reverse("admin:events_auditlog_change", args=[theirs.pk])).status_code in {
        302,
        404,
    }
    ours = AuditLog.objects.get(action="review.admitted")
    change = reverse("admin:events_auditlog_change", args=[ours.pk])
    assert client.post(change, {"action": "edited"}).status_code == 403
    assert client.get(reverse("admin:events_auditlog_add")).status_code == 403
    assert client.post(reverse("admin:events_auditlog_delete", args=[ours.pk])).status_code == 403
    assert AuditLog.objects.get(pk=ours.pk).action == "review.admitted"


# Personal data --------------------------------------------------------------------------

PHONE, EMAIL, JUDGE_PHONE = "13800000001", "contact-a@example.com", "13900000009"
OBJECTOR_PHONE = "13700000007"


@pytest.mark.django_db
def test_phones_and_emails_reach_only_organizers_and_the_owning_enterprise():
    world = build_world()
    world.judge_v1.phone = JUDGE_PHONE
    world.judge_v1.save()
    shown = {}
    for role in ("anonymous", "enterprise_a", "enterprise_b", "judge_v1", "chair_v1", "organizer"):
        bodies = "".join(
            response.content.decode(errors="replace")
            for url, response in crawled_pages(world, role)
            if response["Content-Type"].startswith(("text/html", "application/json"))
        )
        values = (PHONE, EMAIL, JUDGE_PHONE, OBJECTOR_PHONE)
        shown[role] = {value for value in values if value in bodies}
    assert shown == {
        "anonymous": set(),
        "enterprise_a": {PHONE},
        "enterprise_b": set(),
        "judge_v1": set(),
        "chair_v1": set(),
        "organizer": {PHONE, EMAIL, OBJECTOR_PHONE},
    }


ID_CARD = re.compile(r"\bid_?card|identity|\bid_?number|citizen|passport|身份证|证件号", re.I)


def test_no_model_stores_an_id_card_number():
    fields = [
        f"{model._meta.label}.{field.name} ({field.verbose_name})"
        for model in apps.get_models()
        for field in model._meta.get_fields()
        if ID_CARD.search(field.name) or ID_CARD.search(str(getattr(field, "verbose_name", "")))
    ]
    assert fields == []
    sources = [
        f"{path.relative_to(ROOT)}: {m.group(0)}"
        for app in ("events", "submissions", "judging")
        for path in (ROOT / app).rglob("*.py")
        for m in ID_CARD.finditer(path.read_text(encoding="utf-8"))
    ]
    assert sources == []
