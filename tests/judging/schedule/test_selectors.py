"""Reads of the schedule: breaks between slots, now and next, the venue checks."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from judging.models import VenueAssignment, VenueStatus
from judging.schedule.selectors import public_schedule, venue_boards
from judging.schedule.services import assign_venues, set_written_exchange
from tests.factories import CategoryFactory, EventFactory, SubmissionFactory, VenueFactory

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def one_venue():
    event = EventFactory(slug="one")
    category = CategoryFactory(event=event, slot_minutes=8, qa_minutes=2)
    venue = VenueFactory(event=event, category=category, number=1)
    for i in range(1, 24):
        SubmissionFactory(event=event, category=category, code=f"QC-{i:03d}")
    assign_venues(event=event, seed=4)
    return event, venue


def test_venue_board_marks_the_lunch_break_before_the_first_afternoon_slot(one_venue):
    event, _venue = one_venue
    (board,) = venue_boards(event=event)
    pauses = [(r.assignment.draw_number, r.pause) for r in board.rows if r.pause]
    # 08:30-12:00 holds 21 slots of 10 minutes; entry 22 opens the afternoon at 13:30
    assert pauses == [
        (
            22,
            (
                dt.datetime(2021, 9, 24, 12, 0, tzinfo=SHANGHAI),
                dt.datetime(2021, 9, 24, 13, 30, tzinfo=SHANGHAI),
            ),
        )
    ]


def test_public_schedule_next_skips_written_exchange_entries(one_venue):
    event, venue = one_venue
    rows = list(VenueAssignment.objects.filter(venue=venue).order_by("draw_number")[:3])
    set_written_exchange(assignment=rows[1], written=True)
    VenueStatus.objects.create(venue=venue, now_presenting=rows[0].submission)
    (board,) = public_schedule(event=event)
    assert (board.now.pk, board.next.pk) == (rows[0].pk, rows[2].pk)


def test_public_schedule_shows_nothing_live_once_the_venue_is_locked(one_venue):
    event, venue = one_venue
    first = VenueAssignment.objects.get(venue=venue, draw_number=1)
    VenueStatus.objects.create(
        venue=venue, now_presenting=first.submission, locked_at=dt.datetime.now(SHANGHAI)
    )
    (board,) = public_schedule(event=event)
    assert (board.now, board.next) == (None, None)
