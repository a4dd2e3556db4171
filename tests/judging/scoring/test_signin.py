import datetime as dt
import subprocess

import pytest
from django.urls import reverse
from django.utils import timezone

from judging.models import Judge
from judging.scoring.signin import issue_signin_tokens, link_expiry, token_hash
from tests.judging.panel_setup import build_panel, fast_passwords  # noqa: F401

pytestmark = pytest.mark.django_db


def test_issue_signin_tokens_stores_only_hashes_until_after_event():
    panel = build_panel(judges=2, entries=1)
    tokens = issue_signin_tokens(event=panel.event)
    judge = Judge.objects.get(pk=panel.chair.pk)
    assert judge.signin_token_hash == token_hash(tokens[panel.chair])
    assert tokens[panel.chair] not in judge.signin_token_hash
    assert judge.signin_token_expires == link_expiry(panel.event)
    assert timezone.localtime(link_expiry(panel.event)).date() == dt.date(2021, 9, 26)


def test_signin_link_logs_in_once(client):
    panel = build_panel(judges=1, entries=1)
    panel.event.end_date = dt.date.today() + dt.timedelta(days=1)
    panel.event.save()
    token = issue_signin_tokens(event=panel.event)[panel.chair]
    url = reverse("judging:signin", args=[token])
    assert client.get(url).status_code == 200  # a link preview does not spend it
    response = client.post(url)
    assert response.url == reverse("judging:judge_home")
    assert client.session["_auth_user_id"] == str(panel.chair.user.pk)
    client.logout()
    again = client.post(url)
    assert again.status_code == 400
    assert "已使用" in again.content.decode()


def test_signin_link_expired_after_event(client):
    panel = build_panel(judges=1, entries=1)
    token = issue_signin_tokens(event=panel.event)[panel.chair]  # the event was in 2021
    response = client.post(reverse("judging:signin", args=[token]))
    assert response.status_code == 400
    assert "已过期" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_signin_unknown_token(client):
    response = client.post(reverse("judging:signin", args=["nope"]))
    assert "登录链接无效" in response.content.decode()


def test_login_cards_pdf_one_card_per_judge(client, tmp_path):
    panel = build_panel(judges=2, entries=1)
    client.force_login(panel.organizer)
    response = client.post(reverse("judging:login_cards", args=[panel.event.slug]))
    assert response["Content-Type"] == "application/pdf"
    pdf = tmp_path / "cards.pdf"
    pdf.write_bytes(response.content)
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout
    for judge in panel.judges:
        assert judge.name in text
        assert f"评委编号 {judge.code}" in text
    assert Judge.objects.exclude(signin_token_hash="").count() == 2


def test_login_cards_not_for_judges(client):
    panel = build_panel(judges=1, entries=1)
    client.force_login(panel.chair.user)
    url = reverse("judging:login_cards", args=[panel.event.slug])
    assert client.post(url).status_code == 404
