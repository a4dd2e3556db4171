"""Check-in at the doors: admitted once per session; unknown and revoked codes refused."""

import pytest

from judging.models import CheckIn
from judging.people.selectors import attendance, participation_of
from judging.people.services import check_in, register_judges
from submissions.models import Delegate
from tests.factories import CategoryFactory, EventFactory, JudgeFactory, VenueFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def event():
    return EventFactory()


def delegate(event, n=1, **extra):
    return Delegate.objects.create(
        event=event, name=f"代表{n}", organization="甲公司", mobile=f"1380000{n:04d}", **extra
    )


def test_check_in_admits_a_known_code_once_per_session(event):
    person = delegate(event)
    venue = VenueFactory(event=event, category=CategoryFactory(event=event))

    first = check_in(event=event, code=person.checkin_code.lower())
    again = check_in(event=event, code=person.checkin_code)
    at_venue = check_in(event=event, code=person.checkin_code, venue=venue)

    assert (first.status, first.name) == ("ok", "代表1")
    assert (again.status, again.at) == ("used", first.at)
    assert at_venue.status == "ok"
    assert CheckIn.objects.filter(delegate=person).count() == 2


def test_check_in_refuses_unknown_code(event):
    delegate(event)

    answer = check_in(event=event, code="NOTACODE")

    assert (answer.status, answer.admitted) == ("unknown", False)
    assert CheckIn.objects.count() == 0


def test_check_in_refuses_revoked_badge(event):
    person = delegate(event, revoked=True)

    answer = check_in(event=event, code=person.checkin_code)

    assert (answer.status, answer.name) == ("revoked", "代表1")
    assert CheckIn.objects.count() == 0


def test_check_in_refuses_code_of_another_event(event):
    person = delegate(EventFactory())

    assert check_in(event=event, code=person.checkin_code).status == "unknown"


def test_attendance_and_participation_count_from_records(event):
    venue = VenueFactory(event=event, category=CategoryFactory(event=event))
    people = [delegate(event, n) for n in range(3)]
    people[0].venues.add(venue)
    check_in(event=event, code=people[0].checkin_code)
    check_in(event=event, code=people[0].checkin_code, venue=venue)

    rows = {row.key: (row.registered, row.arrived) for row in attendance(event)}
    figures = participation_of(event)

    assert rows == {"plenary": (3, 1), f"venue-{venue.number}": (1, 1)}
    assert (figures.delegates, figures.organizations, figures.arrived) == (3, 1, 1)


def test_register_judges_matches_by_mobile_and_adds_the_rest(event):
    registered = delegate(event, 7)
    JudgeFactory(event=event, phone=registered.mobile)
    JudgeFactory(event=event, phone="139-0000-0001", affiliation_name="某研究院")

    assert register_judges(event=event) == 2
    assert register_judges(event=event) == 0

    kinds = dict(Delegate.objects.values_list("mobile", "kind"))
    assert kinds == {registered.mobile: "judge", "13900000001": "judge"}
