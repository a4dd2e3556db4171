"""Enterprise accounts: sign-up, e-mail confirmation, login, password reset, bulk creation."""

import re

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.urls import reverse

from submissions.models import Enterprise, Membership
from tests.factories import EnterpriseFactory

pytestmark = pytest.mark.django_db
User = get_user_model()

SIGNUP = {
    "enterprise_name": "杭州精工机械股份有限公司",
    "credit_code": "91330106ma2ab1c2xm",
    "short_name": "杭州精工",
    "full_name": "张伟",
    "email": "zw@example.com",
    "username": "zhangwei",
    "password1": "质量-Quality-2021",
    "password2": "质量-Quality-2021",
}


def link_in(body: str) -> str:
    return re.search(r"http://testserver(/\S+)", body).group(1)


def test_signup_confirm_and_login(client, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("signup"), SIGNUP)
    assert response.status_code == 200
    user = User.objects.get(username="zhangwei")
    assert user.is_active is False
    membership = Membership.objects.get(user=user)
    assert (membership.enterprise.name, membership.enterprise.credit_code, membership.is_admin) == (
        "杭州精工机械股份有限公司",
        "91330106MA2AB1C2XM",
        True,
    )
    assert client.login(username="zhangwei", password=SIGNUP["password1"]) is False

    confirmed = client.get(link_in(mailoutbox[0].body))
    assert confirmed.url == reverse("submissions:dashboard")
    user.refresh_from_db()
    assert user.is_active is True
    assert client.get(link_in(mailoutbox[0].body)).status_code == 400  # used once
    client.logout()
    assert client.login(username="zhangwei", password=SIGNUP["password1"]) is True


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        (
            {"credit_code": "91330106MA2AB1C2X0"},
            "credit_code",
            "统一社会信用代码校验位错误：第18位应为 M，实际为 0",
        ),
        ({"credit_code": "9133010"}, "credit_code", "统一社会信用代码应为18位，实际为7位"),
        ({"password2": "另一个密码-2021"}, "password2", "两次输入的密码不一致"),
    ],
)
def test_signup_refuses_bad_input(client, changes, field, message):
    response = client.post(reverse("signup"), {**SIGNUP, **changes})
    assert response.context["form"].errors[field] == [message]
    assert not Enterprise.objects.exists()


def test_signup_for_registered_enterprise_refused(client):
    EnterpriseFactory(name="另一个名字", credit_code="91330106MA2AB1C2XM")
    response = client.post(reverse("signup"), SIGNUP)
    assert response.context["form"].errors["credit_code"] == [
        "该统一社会信用代码已注册，请联系本单位的账号管理员开通账号"
    ]


def test_password_reset_mails_a_working_link(client, mailoutbox):
    user = User.objects.create_user("lina", "lina@example.com", "old-password-2021")
    client.post(reverse("password_reset"), {"email": "lina@example.com"})
    confirm = client.get(link_in(mailoutbox[0].body), follow=True)
    new = "新的-Password-2021"
    client.post(confirm.redirect_chain[-1][0], {"new_password1": new, "new_password2": new})
    user.refresh_from_db()
    assert user.check_password(new)


def test_signup_and_password_reset_mails_in_the_language_of_the_request(
    client, mailoutbox, english_catalogue, django_capture_on_commit_callbacks
):
    """Mails sent from a request (not a worker) follow the language the user chose."""
    User.objects.create_user("lina", "lina@example.com", "old-password-2021")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("signup"), SIGNUP)
    client.post(reverse("password_reset"), {"email": "lina@example.com"})
    confirm, reset = mailoutbox
    assert confirm.subject == "Please confirm your enterprise account"
    assert confirm.body.startswith("Dear 张伟,\n\n")
    assert "If this was not you, please ignore this email." in confirm.body
    assert reset.subject == "Password reset on testserver"
    assert "您好" not in confirm.body + reset.body


def test_login_page_links_to_password_reset(client):
    assert reverse("password_reset") in client.get(reverse("login")).text


def test_organizer_bulk_creates_accounts(
    client, organizer, event, mailoutbox, django_capture_on_commit_callbacks
):
    existing = EnterpriseFactory(name="宁波轴承有限公司", credit_code="91350100M000100Y43")
    client.force_login(organizer)
    lines = "宁波轴承有限公司,91350100M000100Y43,a@example.com,甲\n新企业有限公司,,b@example.com\n新企业有限公司，，c@example.com"
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("submissions_orga:accounts", args=[event.slug]), {"lines": lines})
    assert list(existing.memberships.values_list("user__username", "is_admin")) == [
        ("a@example.com", True)
    ]
    new = Enterprise.objects.get(name="新企业有限公司")
    assert sorted(new.memberships.values_list("user__username", "is_admin")) == [
        ("b@example.com", True),
        ("c@example.com", False),
    ]
    assert sorted(m.to[0] for m in mailoutbox) == [
        "a@example.com",
        "b@example.com",
        "c@example.com",
    ]


def test_organizer_bulk_creation_is_all_or_nothing(client, organizer, event):
    client.force_login(organizer)
    lines = "甲有限公司,,a@example.com\n乙有限公司,91330106MA2AB1C2X0,b@example.com\n丙有限公司,c@example"
    response = client.post(
        reverse("submissions_orga:accounts", args=[event.slug]), {"lines": lines}
    )
    assert response.context["problems"] == [
        "第2行：统一社会信用代码校验位错误：第18位应为 M，实际为 0",
        "第3行：应为“企业全称,统一社会信用代码,邮箱[,姓名]”",
    ]
    assert not User.objects.filter(username="a@example.com").exists()


def test_password_reset_reaches_account_without_password(client, mailoutbox):
    user = User.objects.create_user("colleague@example.com", "colleague@example.com")
    assert not user.has_usable_password()
    client.post(reverse("password_reset"), {"email": "colleague@example.com"})
    assert [m.to for m in mailoutbox] == [["colleague@example.com"]]
