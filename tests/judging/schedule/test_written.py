"""Written-review venues in the schedule: placement without slots or draw, the dossiers given to
experts (assign_reviewers), the organizer's pages and the public schedule."""

import io
import re

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from django.utils import timezone

from events.enums import VenueMode
from events.models import AuditLog
from judging.dossiers import dossier_ids
from judging.models import Draw, ReviewAssignment, Scorecard, VenueAssignment, VenueStatus
from judging.people.selectors import sessions
from judging.schedule.review_services import assign_all_reviewers, assign_reviewers
from judging.schedule.services import assign_venues, redraw_venue, set_written_exchange
from judging.setup.selectors import readiness
from submissions.forms import DelegateForm
from tests.factories import JudgeFactory, PanelSeatFactory, VenueFactory
from tests.judging.panel_setup import fast_passwords  # noqa: F401
from tests.judging.written_setup import build_written_review

pytestmark = pytest.mark.django_db

# With seed 11 (a plan on the codes, so the same whatever the database ids): GR-003 can only
# go to E1 and E3 (E2 works at its enterprise); 10 reads over 3 experts give 4, 3 and 3.
SEED_11 = {
    "GR-001": ["E1", "E2"],
    "GR-002": ["E2", "E3"],
    "GR-003": ["E1", "E3"],
    "GR-004": ["E1", "E3"],
    "GR-005": ["E1", "E2"],
}


def given(venue) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for entry, judge in (
        ReviewAssignment.objects.filter(venue=venue)
        .order_by("submission__code", "judge__code")
        .values_list("submission__code", "judge__code")
    ):
        found.setdefault(entry, []).append(judge)
    return found


@pytest.fixture
def review():
    written = build_written_review()
    assign_venues(event=written.event, seed=5)
    return written


def test_assign_venues_places_nominations_without_slots_or_draw(review):
    rows = VenueAssignment.objects.filter(venue=review.venue).order_by("draw_number")
    assert [(r.draw_number, r.submission.code) for r in rows] == [
        (1, "GR-001"), (2, "GR-002"), (3, "GR-003"), (4, "GR-004"), (5, "GR-005"),
    ]  # fmt: skip
    assert {(r.starts_at, r.ends_at) for r in rows} == {(None, None)}
    assert Draw.objects.filter(venue=review.venue).count() == 0


def test_a_category_with_an_onsite_venue_too_is_placed_there_for_its_defence():
    written = build_written_review()
    onsite = VenueFactory(event=written.event, category=written.category, number=1)
    report = assign_venues(event=written.event, seed=5)
    # The on-site venue holds the second phase (the defence): a draw and slots for all five.
    assert VenueAssignment.objects.filter(venue=onsite).count() == 5
    assert VenueAssignment.objects.filter(venue=written.venue).count() == 0
    outcome = next(o for o in report.venues if o.venue == onsite)
    assert (outcome.count, outcome.presented, outcome.packing.fits) == (5, 5, True)
    # The written panel still holds every dossier for its experts.
    codes = {n.pk: n.code for n in written.nominations}
    assert [codes[pk] for pk in dossier_ids(written.venue)] == [
        "GR-001", "GR-002", "GR-003", "GR-004", "GR-005",
    ]  # fmt: skip
    assign_reviewers(venue=written.venue, seed=11)
    assert given(written.venue) == SEED_11
    assert set(ReviewAssignment.objects.values_list("venue", flat=True)) == {written.venue.pk}


def test_two_written_venues_of_a_category_are_balanced():
    written = build_written_review()
    second = VenueFactory(
        event=written.event,
        category=written.category,
        number=10,
        mode=VenueMode.WRITTEN,
        morning_start=None,
        morning_end=None,
        afternoon_start=None,
        afternoon_end=None,
    )
    assign_venues(event=written.event, seed=5)
    counts = sorted(
        VenueAssignment.objects.filter(venue=v).count() for v in (written.venue, second)
    )
    assert counts == [2, 3]


def test_a_written_venue_has_no_draw_and_no_written_exchange(review):
    with pytest.raises(ValidationError, match="书面评审，没有发表顺序"):
        redraw_venue(venue=review.venue, reason="重抽")
    assignment = VenueAssignment.objects.get(submission=review.nominations[0])
    with pytest.raises(ValidationError, match="材料都不现场发表"):
        set_written_exchange(assignment=assignment, written=True)


def test_assign_reviewers_gives_each_dossier_two_free_experts_balanced(review):
    report = assign_reviewers(venue=review.venue, actor=review.organizer, seed=11)
    assert given(review.venue) == SEED_11
    assert (report.dossiers, report.readers, report.created, report.removed) == (5, 2, 10, 0)
    assert report.loads == {"E1": 4, "E2": 3, "E3": 3}
    assert report.shortfalls == {}
    log = AuditLog.objects.get(action="schedule.assign_reviewers")
    assert (log.target, log.details["seed"], log.details["created"]) == (review.venue.name, 11, 10)
    assert ReviewAssignment.objects.filter(created_by=review.organizer).count() == 10


def test_the_same_seed_gives_the_same_assignments(review):
    assign_reviewers(venue=review.venue, seed=11)
    first = given(review.venue)
    ReviewAssignment.objects.all().delete()
    assign_reviewers(venue=review.venue, seed=11)
    assert given(review.venue) == first == SEED_11


def test_a_rerun_keeps_the_dossiers_an_expert_has_started(review):
    assign_reviewers(venue=review.venue, seed=11)
    e2, gr002 = review.expert("E2"), review.nomination("GR-002")
    Scorecard.objects.create(judge=e2, submission=gr002, sheet=review.sheet)
    for seed in range(1, 8):
        report = assign_reviewers(venue=review.venue, seed=seed)
        assert "E2" in given(review.venue)["GR-002"]
        assert report.kept == 1
        assert sorted(report.loads.values()) == [3, 3, 4]


def test_too_few_free_experts_are_reported():
    written = build_written_review(readers=3)
    assign_venues(event=written.event, seed=5)
    report = assign_reviewers(venue=written.venue, seed=1)
    assert report.shortfalls == {"GR-003": 1}
    assert given(written.venue)["GR-003"] == ["E1", "E3"]
    assert report.loads == {"E1": 5, "E2": 4, "E3": 5}


def test_assign_reviewers_refuses_a_locked_venue_an_onsite_one_and_an_empty_panel(review):
    VenueStatus.objects.create(venue=review.venue, locked_at=timezone.now())
    with pytest.raises(ValidationError, match="已锁定"):
        assign_reviewers(venue=review.venue, seed=1)
    assert ReviewAssignment.objects.count() == 0
    onsite = VenueFactory(event=review.event, category=review.category, number=1)
    with pytest.raises(ValidationError, match="现场评审"):
        assign_reviewers(venue=onsite, seed=1)
    empty = VenueFactory(
        event=review.event, category=review.category, number=2, mode=VenueMode.WRITTEN
    )
    with pytest.raises(ValidationError, match="还没有评审专家"):
        assign_reviewers(venue=empty, seed=1)


def test_assign_all_reviewers_skips_locked_venues(review):
    other = VenueFactory(
        event=review.event, category=review.category, number=3, mode=VenueMode.WRITTEN
    )
    PanelSeatFactory(judge=JudgeFactory(event=review.event, code="E9"), venue=other)
    VenueStatus.objects.create(venue=other, locked_at=timezone.now())
    reports = assign_all_reviewers(event=review.event, seed=11)
    assert [r.venue for r in reports] == [review.venue]


def test_assign_reviewers_command_prints_loads_and_refuses_unknown_venue(review):
    out = io.StringIO()
    call_command("assign_reviewers", review.event.slug, "--seed", "11", stdout=out)
    text = out.getvalue()
    assert "5 份材料，每份 2 位专家，新增 10、撤销 0、保留 0，种子 11" in text
    assert "E1 4，E2 3，E3 3" in text
    with pytest.raises(CommandError, match="没有第 4 分会场"):
        call_command("assign_reviewers", review.event.slug, "--venue", "4")


def test_organizer_assigns_from_the_venue_page_and_sees_who_reads_what(client, review):
    client.force_login(review.organizer)
    url = reverse("schedule:assign_reviewers", args=[review.event.slug, review.venue.number])
    response = client.post(url, {"seed": "11"})
    assert response.status_code == 302
    assert given(review.venue) == SEED_11
    page = client.get(reverse("schedule:venue", args=[review.event.slug, review.venue.number]))
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", page.content.decode()))
    assert page.status_code == 200
    assert "分配评审专家" in text
    assert "GR-002 候选人2 第2精密机械有限公司 E2 专家E2、E3 专家E3 2" in text
    assert "候选人3" in text
    assert "重新抽签" not in text
    overview = client.get(reverse("schedule:overview", args=[review.event.slug])).content.decode()
    assert "书面评审" in overview and "09-10 截止" in overview


def test_the_venue_page_warns_of_dossiers_not_yet_given(client, review):
    client.force_login(review.organizer)
    page = client.get(reverse("schedule:venue", args=[review.event.slug, review.venue.number]))
    assert "5 份材料尚未分配评审专家" in page.content.decode()


def test_other_organizers_cannot_assign_reviewers(client, review):
    outsider = JudgeFactory(event=review.event).user
    client.force_login(outsider)
    url = reverse("schedule:assign_reviewers", args=[review.event.slug, review.venue.number])
    assert client.post(url, {"seed": "11"}).status_code == 404
    assert ReviewAssignment.objects.count() == 0


def test_the_public_schedule_leaves_written_reviews_out(client, review):
    onsite = VenueFactory(event=review.event, number=1, name="第1分会场")
    text = client.get(reverse("schedule:public", args=[review.event.slug])).content.decode()
    assert onsite.name in text
    assert review.venue.name not in text
    assert "候选人1" not in text
    live = client.get(reverse("schedule:live", args=[review.event.slug])).json()
    assert list(live["venues"]) == ["1"]
    event_page = client.get(review.event.get_absolute_url()).content.decode()
    assert "2021-09-10 截止" in event_page


def test_a_written_review_is_no_session_to_attend_or_check_in_to(review):
    onsite = VenueFactory(event=review.event, number=1, name="第1分会场")
    assert [venue for _key, _label, venue in sessions(review.event)] == [None, onsite]
    form = DelegateForm(event=review.event, enterprise=review.nominations[0].enterprise)
    assert list(form.fields["venues"].queryset) == [onsite]


def test_the_checklist_needs_no_room_but_enough_readers_for_the_ranking(review):
    venues = next(c for c in readiness(review.event) if c.key == "venues")
    assert venues.problems == []
    review.category.min_valid_cards = 3
    review.category.save()
    venues = next(c for c in readiness(review.event) if c.key == "venues")
    assert [p.text for p in venues.problems] == [
        "优秀个人书面评审组 为书面评审，但“优秀个人”每份材料只分给 2 位专家，"
        "少于计入排名所需的 3 个有效评分"
    ]
