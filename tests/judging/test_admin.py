"""Judging in the admin: panels on venues and judges, recusals recorded with their author."""

import pytest
from django.urls import reverse

from judging.models import Recusal
from tests.admin_setup import event_rows, organizer
from tests.factories import UserFactory


@pytest.fixture
def rows(db):
    return event_rows("甲"), event_rows("乙")


@pytest.fixture
def organizer_client(client, rows):
    user = organizer()
    rows[0].event.staff.add(user)
    client.force_login(user)
    client.user = user
    return client


def test_venue_page_shows_its_panel_with_judges_of_the_event_only(organizer_client, rows):
    mine, theirs = rows
    response = organizer_client.get(reverse("admin:events_venue_change", args=[mine.venue.pk]))
    text = response.content.decode()
    assert "评审组" in text
    assert str(mine.judge) in text
    assert str(theirs.judge) not in text


def test_judge_list_shows_each_judges_venue_and_role(organizer_client, rows):
    text = organizer_client.get(reverse("admin:judging_judge_changelist")).content.decode()
    assert f"{rows[0].venue.name}（评审组长）" in text


def test_recusal_added_in_the_admin_records_who_added_it(organizer_client, rows):
    mine = rows[0]
    response = organizer_client.post(
        reverse("admin:judging_recusal_add"),
        {
            "judge": mine.judge.pk,
            "submission": mine.entry.pk,
            "source": "manual",
            "reason": "评委曾指导该小组",
        },
    )
    assert response.status_code == 302
    recusal = Recusal.objects.get()
    assert (recusal.judge, recusal.submission, recusal.created_by) == (
        mine.judge,
        mine.entry,
        organizer_client.user,
    )


def test_recusal_refuses_a_judge_of_another_event(organizer_client, rows):
    mine, theirs = rows
    response = organizer_client.post(
        reverse("admin:judging_recusal_add"),
        {"judge": theirs.judge.pk, "submission": mine.entry.pk, "source": "manual", "reason": "x"},
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["judge"]
    assert not Recusal.objects.exists()


def test_recusal_refuses_an_entry_of_another_judges_event(client, rows):
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    mine, theirs = rows
    response = client.post(
        reverse("admin:judging_recusal_add"),
        {"judge": mine.judge.pk, "submission": theirs.entry.pk, "source": "manual", "reason": "x"},
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["submission"] == [
        f"成果 QC-001 不属于评委 {mine.judge.code} 所在的活动。"
    ]
