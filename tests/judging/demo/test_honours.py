"""The demo's nominations: the 40-year honours of cmqa-40 in written reviews, the 质量工匠
contest announced at its plenary, and the dossiers given to experts by assign_reviewers."""

import io
from collections import Counter
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from events.models import AuditLog, Event, Venue
from judging import recusal
from judging.demo.build import seed_demo
from judging.models import (
    Judge,
    PanelSeat,
    Recusal,
    ReviewAssignment,
    Scorecard,
    ScoreSheet,
    VenueStatus,
)
from judging.schedule.review_services import assign_reviewers
from judging.schedule.services import sync_auto_recusals
from submissions.models import Delegate, Submission

TRADES = {"钳工", "焊工", "数控车工", "装配钳工", "质检员", "铸造工", "电工", "涂装工"}


@pytest.fixture
def demo(db):
    return seed_demo(seed=40)


def nominations(event, prefix):
    return Submission.objects.filter(event=event, category__code_prefix=prefix)


def test_honours_are_nominations_of_organizations_and_persons(demo):
    event = demo.event
    categories = {
        c.code_prefix: (c.kind, c.name, c.nomination_limit, c.readers_per_nomination)
        for c in event.categories.filter(kind__in=["org", "person"])
    }
    assert categories == {
        "ZZ": ("org", "40年优秀组织单位", 2, 5),
        "GR": ("person", "40年优秀个人", 3, 5),
    }
    orgs, persons = nominations(event, "ZZ"), nominations(event, "GR")
    assert (orgs.count(), persons.count()) == (20, 30)
    assert {s.code for s in orgs} == {f"ZZ-{n:03d}" for n in range(1, 21)}
    both = orgs | persons
    assert set(both.values_list("status", "presentation_mode")) == {("admitted", "written")}
    assert not orgs.exclude(nominee_name="").exists()
    assert not persons.filter(nominee_name="").exists()
    assert all(20 <= s.nominee_years <= 38 and s.nominee_position for s in persons)
    assert all(s.achievements and s.contact_email.endswith("@example.com") for s in both)
    assert not both.filter(recommender__isnull=True).exists()
    # a recommending body nominates no more than the category allows
    assert max(Counter(orgs.values_list("recommender", flat=True)).values()) <= 2
    assert max(Counter(persons.values_list("recommender", flat=True)).values()) <= 3
    assert len(set(orgs.values_list("enterprise", flat=True))) == 20
    # the nominated organizations are the demo's own enterprises
    entrants = Submission.objects.filter(event=event, category__kind__in=["qc", "team", "story"])
    assert not both.exclude(enterprise__in=entrants.values("enterprise")).exists()


def test_honours_have_a_documents_sheet_of_100_and_a_written_panel_each(demo):
    event = demo.event
    for prefix, number in (("ZZ", 11), ("GR", 12)):
        (sheet,) = ScoreSheet.objects.filter(category__event=event, category__code_prefix=prefix)
        assert (sheet.phase, sheet.total) == ("documents", Decimal("100"))
        assert sum(item.max_points for item in sheet.items.all()) == Decimal("100")
        venue = Venue.objects.get(event=event, number=number)
        assert (venue.mode, str(venue.day), venue.category.code_prefix) == (
            "written",
            "2021-09-10",
            prefix,
        )
        roles = Counter(venue.seats.values_list("role", flat=True))
        assert roles == {"chair": 1, "member": 6}
    experts = Judge.objects.filter(event=event, seats__venue__mode="written")
    assert experts.count() == 14
    assert set(experts.values_list("qualification", flat=True)) == {"中机质协诊断师"}
    # every expert is registered as a judge among the delegates, like the on-site judges
    phones = set(experts.values_list("phone", flat=True))
    assert Delegate.objects.filter(event=event, kind="judge", mobile__in=phones).count() == 14


def test_each_dossier_goes_to_five_experts_of_its_panel_balanced_and_never_recused(demo):
    event = demo.event
    for prefix, number in (("ZZ", 11), ("GR", 12)):
        venue = Venue.objects.get(event=event, number=number)
        panel = set(venue.seats.values_list("judge_id", flat=True))
        dossiers = list(nominations(event, prefix).select_related("enterprise", "recommender"))
        rows = ReviewAssignment.objects.filter(submission__in=dossiers)
        readers = Counter(rows.values_list("submission_id", flat=True))
        assert set(readers.values()) == {5} and len(readers) == len(dossiers)
        assert set(rows.values_list("judge_id", flat=True)) <= panel
        loads = Counter(rows.values_list("judge_id", flat=True))
        assert len(loads) == 7 and max(loads.values()) - min(loads.values()) <= 1
        judges = Judge.objects.filter(pk__in=panel).select_related("affiliation")
        stand_aside = recusal.recused_pairs(event=event, judges=judges, entries=dossiers)
        assert stand_aside  # the panel's experts from nominated organizations
        assert not stand_aside & set(rows.values_list("judge_id", "submission_id"))
    sync_auto_recusals(event=event)
    stored = set(Recusal.objects.filter(judge__event=event).values_list("judge", "submission"))
    assigned = set(ReviewAssignment.objects.values_list("judge", "submission"))
    assert not stored & assigned


def test_the_craftsman_contest_is_announced_at_the_demo_event_and_open(demo, client):
    contest = demo.contest
    assert contest == Event.objects.get(slug="cmqa-craftsman-2022")
    assert contest.announced_at == demo.event
    assert contest.submission_opens < timezone.now() < contest.submission_closes
    assert contest.submission_closes.date() < contest.start_date
    assert [u.username for u in contest.staff.all()] == ["organizer"]
    (category,) = contest.categories.all()
    assert (category.kind, category.code_prefix, category.nomination_limit) == (
        "craftsman",
        "GJ",
        2,
    )
    sheet = ScoreSheet.objects.get(category=category)
    assert sheet.phase == "documents" and sum(i.max_points for i in sheet.items.all()) == 100
    entries = Submission.objects.filter(event=contest)
    assert 5 <= entries.count() <= 8
    assert set(entries.values_list("status", flat=True)) == {"submitted"}
    assert all(contest.submission_opens <= s.submitted_at <= timezone.now() for s in entries)
    assert set(entries.values_list("nominee_trade", flat=True)) <= TRADES
    assert not entries.filter(nominee_name="").exists()
    assert max(Counter(entries.values_list("recommender", flat=True)).values()) <= 2

    page = client.get(reverse("events:detail", args=[contest.slug])).content.decode()
    assert "为大力弘扬工匠精神" in page and 'id="notice"' in page
    announcing = client.get(reverse("events:detail", args=["cmqa-40"])).content.decode()
    assert 'href="/e/cmqa-craftsman-2022/"' in announcing


def test_seed_demo_again_adds_no_nomination_reader_or_contest(demo):
    before = (
        Submission.objects.count(),
        ReviewAssignment.objects.count(),
        Judge.objects.count(),
        Event.objects.count(),
        Delegate.objects.count(),
    )
    again = seed_demo(seed=40)
    after = (
        Submission.objects.count(),
        ReviewAssignment.objects.count(),
        Judge.objects.count(),
        Event.objects.count(),
        Delegate.objects.count(),
    )
    assert after == before
    assert again.contest == demo.contest


def test_scores_give_cards_only_to_assigned_experts_and_lock_the_written_panels(demo):
    event = demo.event
    # A short judged day: a few entries, and the dossiers of the honours.
    kept = ["QC-001", "QC-002", "TD-001", "PP-001"]
    Submission.objects.filter(event=event, category__kind__in=["qc", "team", "story"]).exclude(
        code__in=kept
    ).update(status="deferred")
    call_command("seed_demo", "--scores", stdout=io.StringIO())
    written = Scorecard.objects.filter(submission__category__code_prefix__in=["ZZ", "GR"])
    assigned = set(ReviewAssignment.objects.values_list("judge", "submission"))
    assert set(written.values_list("judge", "submission")) == assigned
    assert len(assigned) == 50 * 5
    assert set(written.values_list("sheet__phase", "status")) == {("documents", "submitted")}
    locks = VenueStatus.objects.filter(venue__event=event, venue__mode="written")
    assert locks.filter(locked_at__isnull=False).count() == 2
    out = io.StringIO()
    call_command("verify_ledger", event.slug, stdout=out)
    assert out.getvalue().startswith("账本完好")


def test_the_readers_are_the_products_assignment_with_the_demo_seed(demo):
    event = demo.event

    def pairs():
        return set(
            ReviewAssignment.objects.filter(venue__event=event).values_list(
                "venue__number", "judge__code", "submission__code"
            )
        )

    seeded = pairs()
    assert {venue for venue, _judge, _code in seeded} == {11, 12}
    audit = AuditLog.objects.filter(event=event, action="schedule.assign_reviewers")
    assert sorted(a.details["seed"] for a in audit) == [40, 40]
    # An organizer running the assignment again with the demo's seed changes nothing.
    for number in (11, 12):
        report = assign_reviewers(venue=Venue.objects.get(event=event, number=number), seed=40)
        assert (report.created, report.removed) == (0, 0)
    assert pairs() == seeded


def test_panel_seats_of_the_experts_are_in_their_written_venue_only(demo):
    seats = PanelSeat.objects.filter(judge__code__startswith="S", venue__event=demo.event)
    assert set(seats.values_list("venue__number", flat=True)) == {11, 12}
    assert seats.count() == 14
