"""Judges' accounts belong to their event: no organizer can attach an existing account."""

import datetime as dt
import subprocess

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from judging.models import Judge
from judging.scoring.judges import check_judge_account, create_judge_account
from judging.scoring.signin import issue_signin_tokens, token_hash
from submissions.models import Membership
from tests.admin_setup import event_rows, organizer
from tests.factories import EnterpriseFactory, JudgeFactory, PanelSeatFactory, UserFactory

pytestmark = pytest.mark.django_db


def judge_add_post(event, venue, **extra) -> dict:
    data = {
        "event": event.pk,
        "code": "J99",
        "name": "外来评委",
        "affiliation_name": "",
        "parent_group": "",
        "province": "浙江",
        "qualification": "",
        "phone": "",
        "seats-TOTAL_FORMS": "1",
        "seats-INITIAL_FORMS": "0",
        "seats-MIN_NUM_FORMS": "0",
        "seats-MAX_NUM_FORMS": "1000",
        "seats-0-venue": venue.pk,
        "seats-0-role": "member",
        "recusals-TOTAL_FORMS": "0",
        "recusals-INITIAL_FORMS": "0",
        "recusals-MIN_NUM_FORMS": "0",
        "recusals-MAX_NUM_FORMS": "1000",
    }
    data.update(extra)
    return data


def signin_urls_of(pdf_bytes: bytes, tmp_path) -> list[str]:
    """Return the sign-in URLs read from the login cards' QR codes, as a phone would."""
    pdf = tmp_path / "cards.pdf"
    pdf.write_bytes(pdf_bytes)
    subprocess.run(["pdftoppm", "-r", "150", "-png", str(pdf), str(tmp_path / "page")], check=True)
    urls = []
    for page in sorted(tmp_path.glob("page*.png")):
        out = subprocess.run(
            ["zbarimg", "--quiet", "--raw", str(page)], capture_output=True, text=True
        ).stdout
        urls += [line for line in out.splitlines() if line.strip()]
    return urls


def test_organizer_cannot_take_over_the_superuser_through_a_judge(client, tmp_path):
    """Issue 13, finding 1: judge admin → login card → QR → signed in as the superuser."""
    root = UserFactory(username="root", is_staff=True, is_superuser=True)
    theirs = event_rows("b")
    event_rows("a")
    attacker = organizer("organizer-b")
    theirs.event.staff.add(attacker)
    theirs.event.end_date = theirs.event.end_date.replace(year=2099)
    theirs.event.save()
    client.force_login(attacker)

    client.post(
        reverse("admin:judging_judge_add"),
        judge_add_post(theirs.event, theirs.venue, user=root.pk),
    )
    response = client.post(reverse("judging:login_cards", args=[theirs.event.slug]))
    assert response["Content-Type"] == "application/pdf"

    signed_in = []
    for url in signin_urls_of(response.content, tmp_path):
        tablet = Client()
        tablet.post(url)
        signed_in.append(int(tablet.session["_auth_user_id"]))
    assert signed_in, "the login cards carry QR codes"
    assert root.pk not in signed_in
    assert not Judge.objects.filter(user=root).exists()
    new_judge = Judge.objects.get(event=theirs.event, code="J99")
    assert new_judge.user_id in signed_in
    assert not new_judge.user.is_staff and not new_judge.user.has_usable_password()


def test_judge_admin_form_has_no_account_field(client):
    rows = event_rows("a")
    user = organizer()
    rows.event.staff.add(user)
    client.force_login(user)
    response = client.get(reverse("admin:judging_judge_change", args=[rows.judge.pk]))
    assert "user" not in response.context["adminform"].form.fields


def test_judge_saved_in_admin_gets_an_account_of_its_own(client):
    rows = event_rows("a")
    user = organizer()
    rows.event.staff.add(user)
    client.force_login(user)
    response = client.post(
        reverse("admin:judging_judge_add"), judge_add_post(rows.event, rows.venue)
    )
    assert response.status_code == 302
    judge = Judge.objects.get(event=rows.event, code="J99")
    assert judge.user.username == "event-a-j99"
    assert not judge.user.has_usable_password()


@pytest.mark.parametrize(
    "kind", ["superuser", "staff", "other_judge", "enterprise_user", "inactive_ok"]
)
def test_check_judge_account_refuses_accounts_that_are_not_the_judges_own(kind):
    judge = JudgeFactory(user=None)
    user = UserFactory(username=f"acct-{kind}")
    if kind == "superuser":
        user.is_superuser = True
        user.save()
    elif kind == "staff":
        user.is_staff = True
        user.save()
    elif kind == "other_judge":
        JudgeFactory(user=user)
    elif kind == "enterprise_user":
        Membership.objects.create(user=user, enterprise=EnterpriseFactory())
    if kind == "inactive_ok":
        check_judge_account(judge=judge, user=user)
        return
    with pytest.raises(ValidationError):
        check_judge_account(judge=judge, user=user)
    judge.user = user
    with pytest.raises(ValidationError):
        judge.full_clean()


def test_signin_refuses_a_judge_linked_to_a_staff_account(client):
    """Even a row written past the checks never signs a staff account in by a card."""
    seat = PanelSeatFactory()
    staff = UserFactory(username="staffer", is_staff=True)
    Judge.objects.filter(pk=seat.judge.pk).update(
        user=staff,
        signin_token_hash=token_hash("card-token"),
        signin_token_expires=timezone.now() + dt.timedelta(days=1),
    )
    assert seat.judge not in issue_signin_tokens(event=seat.judge.event)
    Judge.objects.filter(pk=seat.judge.pk).update(
        signin_token_hash=token_hash("card-token"),
        signin_token_expires=timezone.now() + dt.timedelta(days=1),
    )
    response = client.post(reverse("judging:signin", args=["card-token"]))
    assert response.status_code == 400
    assert "_auth_user_id" not in client.session


def test_create_judge_account_is_unique_and_unusable():
    judge = JudgeFactory(user=None, code="J01")
    get_user_model().objects.create(username=f"{judge.event.slug}-j01")
    user = create_judge_account(judge=judge)
    assert user.username == f"{judge.event.slug}-j01-2"
    assert Judge.objects.get(pk=judge.pk).user == user
    assert not user.has_usable_password()
