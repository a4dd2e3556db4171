"""The check-in page and the people page: organizers only; answers by htmx."""

import pytest

from submissions.models import Delegate
from tests.factories import EventFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup(client):
    event = EventFactory()
    staff = UserFactory()
    event.staff.add(staff)
    client.force_login(staff)
    person = Delegate.objects.create(
        event=event, name="张伟", organization="甲公司", mobile="13800000001"
    )
    return event, person


def test_checkin_page_answers_with_the_name(client, setup):
    event, person = setup
    url = f"/orga/{event.slug}/checkin/"

    page = client.get(url)
    answer = client.post(
        url, {"code": person.checkin_code, "session": "plenary"}, HTTP_HX_REQUEST="true"
    )
    again = client.post(
        url, {"code": person.checkin_code, "session": "plenary"}, HTTP_HX_REQUEST="true"
    )

    assert page.status_code == 200
    assert 'data-status="ok"' in answer.content.decode() and "张伟" in answer.content.decode()
    assert 'data-status="used"' in again.content.decode()


def test_checkin_page_is_refused_to_non_organizers(client, setup):
    event, _person = setup
    client.force_login(UserFactory())

    assert client.get(f"/orga/{event.slug}/checkin/").status_code == 404


def test_people_page_and_exports(client, setup):
    event, person = setup
    person.lodging = True
    person.save()

    page = client.get(f"/orga/{event.slug}/people/")
    delegates = client.get(f"/orga/{event.slug}/people/delegates.xlsx")
    hotel = client.get(f"/orga/{event.slug}/people/hotel.xlsx")

    assert page.status_code == 200
    assert delegates.status_code == 200 and delegates.content[:2] == b"PK"
    assert hotel.status_code == 200 and hotel.content[:2] == b"PK"


def test_scanner_check_in_takes_few_queries(client, setup, django_assert_max_num_queries):
    event, person = setup
    url = f"/orga/{event.slug}/checkin/"
    client.get(url)

    # session, user, event, staff check, delegate, savepoint + insert
    with django_assert_max_num_queries(9):
        answer = client.post(
            url, {"code": person.checkin_code, "session": "plenary"}, HTTP_HX_REQUEST="true"
        )

    assert 'data-status="ok"' in answer.content.decode()


def test_event_page_participation_counts_registrations_and_arrivals(client, setup):
    from judging.people.services import check_in

    event, person = setup
    Delegate.objects.create(event=event, name="李娜", organization="乙协会", mobile="13800000002")
    check_in(event=event, code=person.checkin_code)

    html = client.get(f"/e/{event.slug}/participation/").content.decode()

    assert "来自 2 家企业和社会组织的代表 2 人报名参加，已签到 1 人" in html
