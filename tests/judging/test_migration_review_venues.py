"""The migration that names each written-review assignment's venue keeps every row."""

import datetime as dt

import pytest

BEFORE = [
    ("judging", "0013_certificate_audiences_for_honours"),
    ("events", "0004_contest_notices_nominations_written_venues"),
    ("submissions", "0005_submission_submitter"),
]
AFTER = [("judging", "0015_review_assignment_venue_required")]


@pytest.mark.django_db(transaction=True)
def test_assignments_take_the_written_venue_of_their_dossier(migrated_to):
    apps = migrated_to(BEFORE)
    Event = apps.get_model("events", "Event")
    Category = apps.get_model("events", "Category")
    Venue = apps.get_model("events", "Venue")
    Enterprise = apps.get_model("submissions", "Enterprise")
    Submission = apps.get_model("submissions", "Submission")
    Judge = apps.get_model("judging", "Judge")
    PanelSeat = apps.get_model("judging", "PanelSeat")
    VenueAssignment = apps.get_model("judging", "VenueAssignment")
    ReviewAssignment = apps.get_model("judging", "ReviewAssignment")
    day = dt.date(2021, 9, 10)
    event = Event.objects.create(slug="cmqa-40", name="第40次", start_date=day, end_date=day)
    category = Category.objects.create(
        event=event, kind="person", name="优秀个人", code_prefix="GR", honour="优秀个人"
    )
    first, second = (
        Venue.objects.create(
            event=event, category=category, number=n, name=f"书面评审{n}组", mode="written", day=day
        )
        for n in (9, 10)
    )
    enterprise = Enterprise.objects.create(name="甲公司")
    placed, moved = (
        Submission.objects.create(
            event=event, category=category, code=code, enterprise=enterprise, title=code
        )
        for code in ("GR-001", "GR-002")
    )
    VenueAssignment.objects.create(submission=placed, venue=second, draw_number=1)
    expert = Judge.objects.create(event=event, code="E1", name="专家")
    PanelSeat.objects.create(judge=expert, venue=first)
    PanelSeat.objects.create(judge=expert, venue=second)
    kept = ReviewAssignment.objects.create(judge=expert, submission=placed)
    # A dossier no longer placed: the written venue of its category where the expert sits.
    lost = ReviewAssignment.objects.create(judge=expert, submission=moved)

    apps = migrated_to(AFTER)
    ReviewAssignment = apps.get_model("judging", "ReviewAssignment")
    VenueAssignment = apps.get_model("judging", "VenueAssignment")
    venues = dict(ReviewAssignment.objects.values_list("pk", "venue_id"))
    assert venues == {kept.pk: second.pk, lost.pk: first.pk}
    assert VenueAssignment.objects.count() == 1  # the placement stays as it was
