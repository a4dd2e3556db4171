"""The plenary pages: the showcase's judges and comments, the programme, the public page."""

import pytest

from events.models import PlenaryItem
from judging.models import Showcase
from tests.factories import EventFactory, JudgeFactory, SubmissionFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def organizer(client):
    event = EventFactory()
    user = UserFactory()
    event.staff.add(user)
    client.force_login(user)
    return event


def test_showcase_page_records_judge_comment_and_order(client, organizer):
    event = organizer
    row = Showcase.objects.create(
        event=event, submission=SubmissionFactory(event=event), order=1, reason="类别第1名"
    )
    judge = JudgeFactory(event=event, name="周建国")
    data = {
        "form-TOTAL_FORMS": "1", "form-INITIAL_FORMS": "1", "form-0-id": str(row.pk),
        "form-0-order": "3", "form-0-commenting_judge": str(judge.pk),
        "form-0-judges_comment": "数据翔实。", "form-0-reason": "类别第1名",
    }  # fmt: skip

    response = client.post(f"/orga/{event.slug}/showcase/", data)

    assert response.status_code == 302
    row.refresh_from_db()
    assert (row.order, row.commenting_judge, row.judges_comment) == (3, judge, "数据翔实。")


def test_showcase_page_refuses_a_judge_of_another_event(client, organizer):
    event = organizer
    row = Showcase.objects.create(event=event, submission=SubmissionFactory(event=event), order=1)
    stranger = JudgeFactory()
    data = {
        "form-TOTAL_FORMS": "1", "form-INITIAL_FORMS": "1", "form-0-id": str(row.pk),
        "form-0-order": "1", "form-0-commenting_judge": str(stranger.pk),
        "form-0-judges_comment": "", "form-0-reason": "",
    }  # fmt: skip

    response = client.post(f"/orga/{event.slug}/showcase/", data)

    assert response.status_code == 200
    row.refresh_from_db()
    assert row.commenting_judge is None


def test_programme_page_adds_an_item_shown_on_the_public_page(client, organizer):
    event = organizer
    data = {
        "form-TOTAL_FORMS": "1", "form-INITIAL_FORMS": "0", "form-0-order": "1",
        "form-0-kind": "work_report", "form-0-title": "标杆引领、质量创新",
        "form-0-speaker": "刘建新", "form-0-starts_at": "",
    }  # fmt: skip

    response = client.post(f"/orga/{event.slug}/plenary/", data)
    public = client.get(f"/e/{event.slug}/plenary/")

    assert response.status_code == 302
    assert PlenaryItem.objects.get(event=event).speaker == "刘建新"
    assert "标杆引领、质量创新" in public.content.decode()
