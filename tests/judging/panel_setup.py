"""A judged venue for tests: a QC category with sheet B, a panel, entries in running order."""

from dataclasses import dataclass, field
from decimal import Decimal

import pytest

from judging.models import Judge, PanelSeat, Recusal, VenueAssignment
from tests.factories import (
    CategoryFactory,
    EventFactory,
    JudgeFactory,
    PanelSeatFactory,
    SubmissionFactory,
    UserFactory,
    VenueFactory,
    problem_solving_sheet,
)

GOOD = {"B1": "12", "B2": "25", "B3": "16.5", "B4": "17", "B5": "4", "B6": "8"}
GOOD_TOTAL = Decimal("82.5")


@dataclass
class Panel:
    event: object
    venue: object
    sheet: object
    chair: Judge
    judges: list[Judge]
    entries: list
    organizer: object
    recusals: list = field(default_factory=list)

    @property
    def members(self) -> list[Judge]:
        return [j for j in self.judges if j != self.chair]


def build_panel(*, judges: int = 3, entries: int = 3, event=None, number=None) -> Panel:
    """Return a venue with a chair and members, entries drawn 1..n, and the problem-solving sheet."""
    event = event or EventFactory()
    category = event.categories.first() or CategoryFactory(event=event)
    sheet = category.score_sheets.first() or problem_solving_sheet(category)
    venue_kwargs = {"number": number} if number else {}
    venue = VenueFactory(event=event, category=category, **venue_kwargs)
    panel_judges = []
    for index in range(judges):
        judge = JudgeFactory(event=event)
        PanelSeatFactory(judge=judge, venue=venue, role="chair" if index == 0 else "member")
        panel_judges.append(judge)
    subs = []
    for draw in range(1, entries + 1):
        entry = SubmissionFactory(event=event, category=category, topic_type="")
        VenueAssignment.objects.create(submission=entry, venue=venue, draw_number=draw)
        subs.append(entry)
    organizer = UserFactory()
    event.staff.add(organizer)
    return Panel(
        event=event,
        venue=venue,
        sheet=sheet,
        chair=panel_judges[0],
        judges=panel_judges,
        entries=subs,
        organizer=organizer,
    )


def recuse(judge: Judge, entry) -> Recusal:
    return Recusal.objects.create(judge=judge, submission=entry, source="enterprise")


def seat_count(venue) -> int:
    return PanelSeat.objects.filter(venue=venue).count()


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    """Hash test passwords cheaply; each judge in a panel has an account."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
