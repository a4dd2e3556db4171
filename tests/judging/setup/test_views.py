"""Set-up pages: the organizer's events, the checklist, the clone button, role landing."""

import datetime as dt

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from events.models import Event
from tests.factories import (
    CategoryFactory,
    EnterpriseFactory,
    EventFactory,
    JudgeFactory,
    MembershipFactory,
    UserFactory,
    VenueFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def event():
    event = EventFactory(slug="cmqa-40", name="第40次交流活动")
    event.staff.add(UserFactory(username="orga"))
    VenueFactory(event=event, category=CategoryFactory(event=event), number=1, room="")
    return event


def test_setup_page_names_what_is_missing_with_links(client, event):
    client.force_login(event.staff.get())
    response = client.get(reverse("judging_setup:setup", args=[event.slug]))
    text = response.content.decode()
    assert response.status_code == 200
    assert "类别“QC成果”没有评分表" in text
    assert "第1分会场 没有会议室" in text and "第1分会场 没有评审组长" in text
    assert "尚未添加评委" in text and "尚未设置申报开始和截止时间" in text
    assert f'href="/admin/events/venue/{event.venues.get().pk}/change/"' in text
    assert 'id="clone-button"' in text


def test_setup_page_of_another_event_is_404(client, event):
    other = EventFactory(slug="other")
    client.force_login(event.staff.get())
    assert client.get(reverse("judging_setup:setup", args=[other.slug])).status_code == 404
    response = client.post(reverse("judging_setup:clone", args=[other.slug]), {"slug": "x-41"})
    assert response.status_code == 404
    assert not Event.objects.filter(slug="x-41").exists()


def test_clone_button_creates_the_next_event_and_opens_its_setup(client, event):
    user = event.staff.get()
    client.force_login(user)
    response = client.post(
        reverse("judging_setup:clone", args=[event.slug]),
        {"slug": "cmqa-41", "name": "", "start": "2022-09-22"},
        follow=True,
    )
    new = Event.objects.get(slug="cmqa-41")
    assert response.redirect_chain == [("/orga/cmqa-41/setup/", 302)]
    assert new.start_date == dt.date(2022, 9, 22)
    assert list(new.staff.all()) == [user]
    assert "已按“第40次交流活动”的配置创建" in response.content.decode()


def test_clone_with_a_taken_slug_says_so(client, event):
    client.force_login(event.staff.get())
    response = client.post(reverse("judging_setup:clone", args=[event.slug]), {"slug": "cmqa-40"})
    assert response.status_code == 400
    assert "活动标识“cmqa-40”已被使用" in response.content.decode()
    assert Event.objects.count() == 1


def test_my_events_lists_only_the_users_events(client, event):
    EventFactory(slug="other", name="别人的活动")
    client.force_login(event.staff.get())
    text = client.get(reverse("judging_setup:events")).content.decode()
    assert "第40次交流活动" in text and "别人的活动" not in text
    assert "/orga/cmqa-40/setup/" in text


def test_navigation_shows_my_events_to_organizers_only(client, event):
    client.force_login(event.staff.get())
    assert "我的活动" in client.get("/").content.decode()
    client.force_login(UserFactory())
    assert "我的活动" not in client.get("/").content.decode()


def test_admin_event_page_links_to_setup(client, event):
    user = event.staff.get()
    user.is_staff = True
    user.save()
    for codename in ("view_event", "change_event"):
        user.user_permissions.add(*Permission.objects.filter(codename=codename))
    client.force_login(user)
    text = client.get(reverse("admin:events_event_change", args=[event.pk])).content.decode()
    assert 'href="/orga/cmqa-40/setup/"' in text


def login_lands_on(client, user) -> str:
    response = client.post(
        reverse("login"), {"username": user.username, "password": "correct-horse-battery"}
    )
    assert response.status_code == 302
    return client.get(response["Location"])["Location"]


def test_organizer_of_one_event_lands_on_its_control_room(client, event):
    assert login_lands_on(client, event.staff.get()) == "/orga/cmqa-40/"


def test_organizer_of_several_events_lands_on_their_list(client, event):
    EventFactory(slug="cmqa-41").staff.add(event.staff.get())
    assert login_lands_on(client, event.staff.get()) == "/orga/"


def test_judge_lands_on_the_tablet(client, event):
    judge = JudgeFactory(event=event)
    assert login_lands_on(client, judge.user) == "/judge/"


def test_enterprise_user_lands_on_the_portal(client):
    user = UserFactory()
    MembershipFactory(user=user, enterprise=EnterpriseFactory())
    assert login_lands_on(client, user) == "/portal/"


def test_login_with_next_goes_there(client, event):
    response = client.post(
        reverse("login") + "?next=/e/cmqa-40/",
        {"username": "orga", "password": "correct-horse-battery"},
    )
    assert response["Location"] == "/e/cmqa-40/"
