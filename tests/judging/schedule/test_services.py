"""The schedule services against the database: assignment, draw, slots, moves, locks, recusal."""

import datetime as dt
import io
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from events.models import AuditLog, Event
from judging.enums import RecusalSource
from judging.models import Draw, Recusal, VenueAssignment
from judging.schedule.services import (
    assign_venues,
    move_entry,
    recuse_judge,
    redraw_venue,
    set_assignment_lock,
    set_written_exchange,
    sync_auto_recusals,
    withdraw_recusal,
)
from submissions.enums import PresentationMode, Status
from tests.factories import (
    CategoryFactory,
    EnterpriseFactory,
    EventFactory,
    JudgeFactory,
    PanelSeatFactory,
    SubmissionFactory,
    VenueFactory,
)

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")


def local(hh, mm):
    return dt.datetime(2021, 9, 24, hh, mm, tzinfo=SHANGHAI)


@pytest.fixture
def qc_event():
    event = EventFactory(slug="demo")
    category = CategoryFactory(event=event, slot_minutes=8, qa_minutes=2)
    venues = [VenueFactory(event=event, category=category, number=n) for n in (1, 2)]
    entries = [
        SubmissionFactory(event=event, category=category, code=f"QC-{i:03d}") for i in range(1, 6)
    ]
    return event, category, venues, entries


def order_of(venue):
    return list(
        VenueAssignment.objects.filter(venue=venue)
        .order_by("draw_number")
        .values_list("submission__code", flat=True)
    )


def test_assign_venues_places_every_admitted_entry_balanced(qc_event):
    event, category, (v1, v2), entries = qc_event
    SubmissionFactory(event=event, category=category, code="QC-099", status=Status.REJECTED)
    report = assign_venues(event=event, seed=11)
    assert report.placed == 5
    assert sorted([len(order_of(v1)), len(order_of(v2))]) == [2, 3]
    assert not VenueAssignment.objects.filter(submission__code="QC-099").exists()
    assert list(Draw.objects.filter(venue=v1).values_list("seed", flat=True)) == [11]


def test_assign_venues_gives_unique_draw_numbers_and_packs_slots(qc_event):
    event, _category, (v1, _v2), _entries = qc_event
    assign_venues(event=event, seed=11)
    rows = list(VenueAssignment.objects.filter(venue=v1).order_by("draw_number"))
    assert [r.draw_number for r in rows] == list(range(1, len(rows) + 1))
    assert [(r.starts_at, r.ends_at) for r in rows[:2]] == [
        (local(8, 30), local(8, 40)),
        (local(8, 40), local(8, 50)),
    ]


def test_assign_venues_same_seed_same_order(qc_event):
    event, _category, (v1, v2), _entries = qc_event
    assign_venues(event=event, seed=5)
    first = (order_of(v1), order_of(v2))
    assign_venues(event=event, seed=5)
    assert (order_of(v1), order_of(v2)) == first


def test_assign_venues_without_seed_keeps_the_last_one(qc_event):
    event, _category, (v1, v2), _entries = qc_event
    assign_venues(event=event, seed=5)
    first = (order_of(v1), order_of(v2))
    assign_venues(event=event)
    assert (order_of(v1), order_of(v2)) == first
    assert list(Draw.objects.filter(venue=v1).values_list("seed", flat=True)) == [5, 5]


def test_assign_venues_keeps_locked_assignments(qc_event):
    event, _category, (v1, v2), entries = qc_event
    assign_venues(event=event, seed=5)
    row = VenueAssignment.objects.get(submission=entries[0])
    other = v2 if row.venue == v1 else v1
    move_entry(assignment=row, venue=other)
    assign_venues(event=event, seed=99)
    row.refresh_from_db()
    assert (row.venue, row.locked) == (other, True)


def test_assign_venues_reports_overflow_in_minutes():
    event = EventFactory(slug="story")
    category = CategoryFactory(
        event=event, kind="story", code_prefix="PP", slot_minutes=4, qa_minutes=0
    )
    venue = VenueFactory(
        event=event,
        category=category,
        morning_start=dt.time(9, 0),
        morning_end=dt.time(9, 10),
        afternoon_start=None,
        afternoon_end=None,
    )
    for i in range(1, 5):
        SubmissionFactory(event=event, category=category, code=f"PP-{i:03d}", topic_type="")
    report = assign_venues(event=event, seed=1)
    (outcome,) = report.venues
    # 10 minutes hold two 4-minute slots: two stories over, 8 minutes
    assert (len(outcome.packing.overflow), outcome.packing.overflow_minutes) == (2, 8)
    assert report.overfull == (outcome,)
    assert VenueAssignment.objects.filter(venue=venue, starts_at__isnull=True).count() == 2


def test_redraw_venue_logs_the_draw_and_needs_a_reason(qc_event):
    event, _category, (v1, _v2), _entries = qc_event
    assign_venues(event=event, seed=5)
    with pytest.raises(ValidationError):
        redraw_venue(venue=v1, reason=" ")
    outcome = redraw_venue(venue=v1, reason="抽签号重复", seed=77)
    assert outcome.seed == 77
    assert list(Draw.objects.filter(venue=v1).values_list("seed", "reason")) == [
        (77, "抽签号重复"),
        (5, "分配分会场并抽签"),
    ]
    assert AuditLog.objects.filter(action="schedule.redraw").count() == 1


def test_move_entry_appends_to_target_and_closes_the_gap(qc_event):
    event, _category, (v1, v2), _entries = qc_event
    assign_venues(event=event, seed=5)
    before_v1, before_v2 = order_of(v1), order_of(v2)
    moving = VenueAssignment.objects.get(submission__code=before_v1[0])
    move_entry(assignment=moving, venue=v2)
    assert order_of(v1) == before_v1[1:]
    assert order_of(v2) == [*before_v2, before_v1[0]]
    numbers = VenueAssignment.objects.filter(venue=v1).order_by("draw_number")
    assert [a.draw_number for a in numbers] == list(range(1, len(before_v1)))


def test_move_entry_to_a_venue_of_another_category_is_refused(qc_event):
    event, _category, (v1, _v2), _entries = qc_event
    other = VenueFactory(
        event=event, category=CategoryFactory(event=event, kind="team", code_prefix="TD")
    )
    assign_venues(event=event, seed=5)
    row = VenueAssignment.objects.filter(venue=v1).first()
    with pytest.raises(ValidationError):
        move_entry(assignment=row, venue=other)


def test_set_written_exchange_frees_the_slot(qc_event):
    event, _category, (v1, _v2), _entries = qc_event
    assign_venues(event=event, seed=5)
    first = VenueAssignment.objects.get(venue=v1, draw_number=1)
    set_written_exchange(assignment=first, written=True)
    first.refresh_from_db()
    assert first.submission.presentation_mode == PresentationMode.WRITTEN
    assert (first.starts_at, first.draw_number) == (None, len(order_of(v1)))
    assert VenueAssignment.objects.get(venue=v1, draw_number=1).starts_at == local(8, 30)


def test_set_assignment_lock_round_trip(qc_event):
    event, _category, _venues, entries = qc_event
    assign_venues(event=event, seed=5)
    row = VenueAssignment.objects.get(submission=entries[1])
    set_assignment_lock(assignment=row, locked=True)
    assert VenueAssignment.objects.get(pk=row.pk).locked is True
    set_assignment_lock(assignment=row, locked=False)
    assert VenueAssignment.objects.get(pk=row.pk).locked is False


def test_sync_auto_recusals_follows_the_event_switches():
    event = EventFactory(slug="rec")
    category = CategoryFactory(event=event)
    own = EnterpriseFactory(name="甲机械有限公司", province="浙江", parent_group="国机集团")
    sibling = EnterpriseFactory(name="乙机械有限公司", province="江苏", parent_group="国机集团")
    judge = JudgeFactory(event=event, affiliation=own, province="", parent_group="")
    mine = SubmissionFactory(event=event, category=category, enterprise=own)
    theirs = SubmissionFactory(event=event, category=category, enterprise=sibling)
    assert sync_auto_recusals(event=event) == (1, 0)
    assert list(Recusal.objects.values_list("submission_id", "source")) == [
        (mine.pk, RecusalSource.ENTERPRISE)
    ]
    event.recuse_parent_group = True
    event.save()
    assert sync_auto_recusals(event=event) == (1, 0)
    assert Recusal.objects.get(submission=theirs, judge=judge).source == RecusalSource.PARENT_GROUP
    event.recuse_parent_group = False
    event.save()
    assert sync_auto_recusals(event=event) == (0, 1)


def test_manual_recusal_needs_a_reason_and_survives_sync():
    event = EventFactory(slug="man")
    judge = JudgeFactory(event=event)
    entry = SubmissionFactory(event=event, category=CategoryFactory(event=event))
    with pytest.raises(ValidationError):
        recuse_judge(judge=judge, submission=entry, reason="")
    recusal = recuse_judge(judge=judge, submission=entry, reason="曾指导该小组")
    sync_auto_recusals(event=event)
    assert Recusal.objects.get().reason == "曾指导该小组"
    withdraw_recusal(recusal=recusal)
    assert Recusal.objects.count() == 0


def test_assign_venues_command_prints_overflow_and_is_reproducible(qc_event, capsys):
    event, _category, (v1, v2), _entries = qc_event
    call_command("assign_venues", event.slug, "--seed", "3")
    first = (order_of(v1), order_of(v2))
    call_command("assign_venues", event.slug, "--seed", "3")
    out = capsys.readouterr().out
    assert "已分配 5 项成果" in out
    assert (order_of(v1), order_of(v2)) == first


def test_panel_seat_recusal_steers_assignment():
    event = EventFactory(slug="steer")
    category = CategoryFactory(event=event)
    v1 = VenueFactory(event=event, category=category, number=1)
    v2 = VenueFactory(event=event, category=category, number=2)
    own = EnterpriseFactory(name="甲公司")
    judge = JudgeFactory(event=event, affiliation=own)
    PanelSeatFactory(judge=judge, venue=v1)
    mine = SubmissionFactory(event=event, category=category, enterprise=own, code="QC-001")
    SubmissionFactory(event=event, category=category, code="QC-002")
    assign_venues(event=event, seed=1)
    assert VenueAssignment.objects.get(submission=mine).venue == v2


def test_assign_venues_on_the_demo_event():
    call_command("seed_demo", stdout=io.StringIO())
    event = Event.objects.get(slug="cmqa-40")
    report = assign_venues(event=event, seed=2021)
    counts = {o.venue.number: o.count for o in report.venues}
    # Of 309 + 115 + 124 entries, one of each category is deferred (缓评) and one not judged
    # (不评) by the demo's formal review: 307 + 113 + 122 are placed; the 20 + 30 nominations
    # of the 40-year honours go to their written reviews (venues 11 and 12) without a slot.
    assert report.placed == 542 + 50
    assert sorted(counts[n] for n in range(1, 8)) == [43] + [44] * 6
    assert sorted((counts[8], counts[9])) == [56, 57]
    assert (counts[10], counts[11], counts[12]) == (122, 20, 30)
    assert not VenueAssignment.objects.filter(
        venue__number__in=[11, 12], starts_at__isnull=False
    ).exists()
    (overfull,) = report.overfull
    # 122 stories of 4 minutes in 08:30-12:00 and 13:30-18:00 hold 52 + 67 = 119
    assert (overfull.venue.number, overfull.packing.overflow_minutes) == (10, 12)
    first = list(
        VenueAssignment.objects.order_by("venue__number", "draw_number").values_list(
            "submission_id", flat=True
        )
    )
    assign_venues(event=event, seed=2021)
    again = list(
        VenueAssignment.objects.order_by("venue__number", "draw_number").values_list(
            "submission_id", flat=True
        )
    )
    assert again == first


def test_a_venue_declared_by_the_chinese_topic_label_gets_that_type():
    event = EventFactory(slug="topic")
    category = CategoryFactory(event=event)
    v1 = VenueFactory(event=event, category=category, number=1)
    v2 = VenueFactory(event=event, category=category, number=2, topic_type="创新型")
    for i, topic in enumerate(["onsite", "innovation", "onsite", "innovation"], start=1):
        SubmissionFactory(event=event, category=category, code=f"QC-{i:03d}", topic_type=topic)
    assign_venues(event=event, seed=1)
    # undeclared, innovation would come first (a tie broken alphabetically) and take venue 1
    assert sorted(order_of(v1)) == ["QC-001", "QC-003"]
    assert sorted(order_of(v2)) == ["QC-002", "QC-004"]


def test_assign_venues_refuses_a_category_without_slot_minutes(qc_event):
    event, category, _venues, _entries = qc_event
    category.slot_minutes = category.qa_minutes = 0
    category.save()
    with pytest.raises(ValidationError, match="0 分钟"):
        assign_venues(event=event, seed=1)
    assert VenueAssignment.objects.count() == 0


def test_assign_venues_command_unknown_event_is_an_error():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="不存在"):
        call_command("assign_venues", "nope", stdout=io.StringIO())
