"""Two events and their organizers, for the admin tests of every app."""

from dataclasses import dataclass

from django.contrib.auth.models import Group, Permission

from events.models import Category, Event, Venue
from judging.models import Judge, ScoreSheet
from submissions.models import Submission
from tests.factories import (
    CategoryFactory,
    EnterpriseFactory,
    EventFactory,
    PanelSeatFactory,
    SubmissionFactory,
    UserFactory,
    VenueFactory,
    problem_solving_sheet,
)

ORGANIZER_APPS = ["events", "submissions", "judging"]


@dataclass
class EventRows:
    event: Event
    category: Category
    venue: Venue
    entry: Submission
    judge: Judge
    sheet: ScoreSheet


def organizer(username: str = "organizer-a"):
    """Return a staff user (not a superuser) with the organizers' model permissions."""
    group, _ = Group.objects.get_or_create(name="活动组织者")
    group.permissions.set(Permission.objects.filter(content_type__app_label__in=ORGANIZER_APPS))
    user = UserFactory(username=username, is_staff=True)
    user.groups.add(group)
    return user


def event_rows(label: str, *, province: str = "浙江") -> EventRows:
    """Return an event with one category, venue, entry, seated judge and score sheet."""
    event = EventFactory(slug=f"event-{label}", name=f"活动{label}")
    category = CategoryFactory(event=event, name=f"QC成果{label}")
    venue = VenueFactory(event=event, category=category, number=1, name=f"第1分会场{label}")
    entry = SubmissionFactory(
        event=event,
        category=category,
        code="QC-001",
        title=f"降低缸体加工不良率{label}",
        group_name=f"精益QC小组{label}",
        enterprise=EnterpriseFactory(name=f"{label}机械有限公司", province=province),
    )
    seat = PanelSeatFactory(
        venue=venue, judge__event=event, judge__name=f"评委{label}", role="chair"
    )
    return EventRows(event, category, venue, entry, seat.judge, problem_solving_sheet(category))
