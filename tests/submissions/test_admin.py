"""The entry list of the admin: filters, search and the formal-review actions."""

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.urls import reverse

from judging.models import VenueAssignment
from submissions.models import ReviewLog, Submission
from tests.admin_setup import event_rows, organizer
from tests.factories import EnterpriseFactory, SubmissionFactory, VenueFactory

CHANGELIST = reverse("admin:submissions_submission_changelist")


@pytest.fixture
def rows(db):
    return event_rows("甲"), event_rows("乙", province="江苏")


@pytest.fixture
def organizer_client(client, rows):
    user = organizer()
    rows[0].event.staff.add(user)
    client.force_login(user)
    return client


def listed_codes(response) -> list[str]:
    return sorted(entry.code for entry in response.context["cl"].result_list)


def test_submission_list_filters_by_province_of_enterprise(organizer_client, rows):
    mine = rows[0]
    SubmissionFactory(
        event=mine.event,
        category=mine.category,
        code="QC-002",
        enterprise=EnterpriseFactory(name="南京某机械有限公司", province="江苏"),
    )
    response = organizer_client.get(CHANGELIST, {"province": "江苏"})
    assert listed_codes(response) == ["QC-002"]
    choices = [
        choice["display"]
        for choice in response.context["cl"].filter_specs[-1].choices(response.context["cl"])
    ]
    assert choices[1:] == ["江苏", "浙江"]


def test_submission_list_searches_enterprise_group_title_and_code(organizer_client, rows):
    mine = rows[0]
    SubmissionFactory(
        event=mine.event, category=mine.category, code="QC-002", title="提高齿轮一次合格率"
    )
    for query, expected in [
        ("甲机械", ["QC-001"]),
        ("精益QC小组甲", ["QC-001"]),
        ("齿轮", ["QC-002"]),
        ("QC-002", ["QC-002"]),
    ]:
        assert listed_codes(organizer_client.get(CHANGELIST, {"q": query})) == expected, query


def test_submission_list_filters_by_venue_of_assignment(organizer_client, rows):
    mine = rows[0]
    other = SubmissionFactory(event=mine.event, category=mine.category, code="QC-002")
    second_venue = VenueFactory(
        event=mine.event, category=mine.category, number=2, name="第2分会场甲"
    )
    VenueAssignment.objects.create(submission=mine.entry, venue=mine.venue, draw_number=1)
    VenueAssignment.objects.create(submission=other, venue=second_venue, draw_number=1)
    response = organizer_client.get(CHANGELIST, {"assignment__venue__id__exact": mine.venue.pk})
    assert listed_codes(response) == ["QC-001"]
    text = response.content.decode()
    assert mine.venue.name in text and second_venue.name in text
    assert rows[1].venue.name not in text


def act(client, action, entries, **extra):
    return client.post(
        CHANGELIST,
        {"action": action, ACTION_CHECKBOX_NAME: [e.pk for e in entries], **extra},
    )


def test_admit_action_admits_and_logs(organizer_client, rows):
    entry = rows[0].entry
    Submission.objects.filter(pk=entry.pk).update(status="submitted")
    response = act(organizer_client, "admit_selected", [entry])
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.status == "admitted"
    log = ReviewLog.objects.get(submission=entry)
    assert (log.from_status, log.to_status) == ("submitted", "admitted")


def test_reject_action_asks_for_a_reason_first(organizer_client, rows):
    entry = rows[0].entry
    response = act(organizer_client, "reject_selected", [entry])
    assert response.status_code == 200
    assert "理由" in response.content.decode()
    entry.refresh_from_db()
    assert entry.status == "admitted"
    assert not ReviewLog.objects.exists()


def test_reject_action_with_an_empty_reason_asks_again(organizer_client, rows):
    entry = rows[0].entry
    response = act(organizer_client, "reject_selected", [entry], post="yes", reason="  ")
    assert response.status_code == 200
    assert "请填写理由。" in response.content.decode()
    entry.refresh_from_db()
    assert entry.status == "admitted"


def test_reject_action_with_a_reason_rejects_and_logs_it(organizer_client, rows):
    entry = rows[0].entry
    response = act(
        organizer_client, "reject_selected", [entry], post="yes", reason="成果与往届重复申报"
    )
    assert response.status_code == 302
    entry.refresh_from_db()
    assert (entry.status, entry.review_message) == ("rejected", "成果与往届重复申报")
    log = ReviewLog.objects.get(submission=entry)
    assert (log.to_status, log.message, log.actor.username) == (
        "rejected",
        "成果与往届重复申报",
        "organizer-a",
    )


def test_defer_action_with_a_reason_defers(organizer_client, rows):
    entry = rows[0].entry
    act(organizer_client, "defer_selected", [entry], post="yes", reason="待补充现场评价表")
    entry.refresh_from_db()
    assert entry.status == "deferred"


def test_actions_never_touch_another_events_entries(organizer_client, rows):
    theirs = rows[1].entry
    act(organizer_client, "reject_selected", [theirs], post="yes", reason="不应生效")
    theirs.refresh_from_db()
    assert theirs.status == "admitted"
    assert not ReviewLog.objects.exists()
