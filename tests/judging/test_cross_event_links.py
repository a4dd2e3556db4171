"""The models and services refuse every link between two events' rows, in Chinese."""

import pytest
from django.core.exceptions import ValidationError

from events.models import Venue
from judging.models import CertificateDesign, PanelSeat, Recusal, ScoreSheet, VenueAssignment
from judging.scoring.judges import add_judge
from judging.scoring.services import save_draft
from tests.admin_setup import event_rows
from tests.judging.panel_setup import GOOD

pytestmark = pytest.mark.django_db


@pytest.fixture
def rows():
    return event_rows("a"), event_rows("b")


def messages_of(instance) -> list[str]:
    with pytest.raises(ValidationError) as error:
        instance.full_clean()
    return [text for texts in error.value.message_dict.values() for text in texts]


def test_seat_at_another_events_venue_is_refused(rows):
    mine, theirs = rows
    seat = PanelSeat(judge=mine.judge, venue=theirs.venue, role="member")
    assert f"分会场“{theirs.venue}”不属于评委所在的活动。" in messages_of(seat)


def test_recusal_across_events_is_refused(rows):
    mine, theirs = rows
    recusal = Recusal(judge=mine.judge, submission=theirs.entry, source="enterprise")
    assert messages_of(recusal) == ["回避的成果与评委不属于同一活动。"]


@pytest.mark.parametrize("model", [Venue, ScoreSheet, CertificateDesign])
def test_category_of_another_event_is_refused(rows, model):
    mine, theirs = rows
    instance = model(event=mine.event, category=theirs.category)
    assert "所选类别属于另一个活动。" in messages_of(instance)


def test_assignment_to_another_events_venue_is_refused(rows):
    mine, theirs = rows
    assignment = VenueAssignment(submission=mine.entry, venue=theirs.venue, draw_number=1)
    assert "分会场与成果不属于同一活动。" in messages_of(assignment)


def test_add_judge_refuses_another_events_venue(rows):
    mine, theirs = rows
    with pytest.raises(ValidationError, match="不属于本活动"):
        add_judge(event=mine.event, venue=theirs.venue, code="J50", name="甲")


def test_a_judge_cannot_score_another_events_entry(rows):
    mine, theirs = rows
    with pytest.raises(ValidationError, match="不属于评委"):
        save_draft(judge=mine.judge, submission=theirs.entry, points=GOOD)
