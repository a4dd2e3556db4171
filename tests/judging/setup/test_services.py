"""clone_event: what a new event takes over from last year's, what it never does, dates."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.management import CommandError, call_command
from django.utils import timezone

from events.models import AuditLog, Category, Event, PlenaryItem, ReportSection, Venue
from judging.models import CertificateDesign, Judge, PanelSeat, ScoreSheet
from judging.setup.services import clone_event, next_name, next_year
from tests.factories import (
    CategoryFactory,
    EventFactory,
    JudgeFactory,
    MemberFactory,
    PanelSeatFactory,
    SubmissionFactory,
    UserFactory,
    VenueFactory,
    problem_solving_sheet,
)

pytestmark = pytest.mark.django_db
SHANGHAI = dt.timezone(dt.timedelta(hours=8))


@pytest.fixture
def last_year():
    """A configured and judged event: what a clone takes and what it must leave behind."""
    event = EventFactory(
        slug="cmqa-40",
        number=40,
        name="2021年机械工业第40次群众性质量管理成果交流活动",
        submission_opens=dt.datetime(2021, 4, 1, 9, 0, tzinfo=SHANGHAI),
        submission_closes=dt.datetime(2021, 5, 20, 17, 0, tzinfo=SHANGHAI),
        notice_days=5,
        recuse_province=True,
        organizers="中国机械工业质量管理协会",
    )
    organizer = UserFactory(username="organizer40")
    event.staff.add(organizer)
    qc = CategoryFactory(event=event, threshold=Decimal("85"), award_rule="both", quota_percent=50)
    team = CategoryFactory(
        event=event, kind="team", name="质量信得过班组", code_prefix="TD", honour="班组标杆"
    )
    problem_solving_sheet(qc)
    VenueFactory(event=event, category=qc, number=1, room="西湖厅", day=dt.date(2021, 9, 24))
    VenueFactory(event=event, category=team, number=2, room="钱塘厅", day=dt.date(2021, 9, 25))
    design = CertificateDesign(
        event=event,
        category=qc,
        audience="group",
        issuing_body="中国机械工业质量管理协会",
        issue_date=dt.date(2021, 9, 25),
    )
    design.seal.save("seal.png", ContentFile(b"\x89PNG seal"), save=False)
    design.save()
    PlenaryItem.objects.create(
        event=event,
        order=1,
        kind="speech",
        title="开幕致辞",
        speaker="王某",
        summary="……",
        starts_at=dt.datetime(2021, 9, 23, 9, 0, tzinfo=SHANGHAI),
    )
    ReportSection.objects.create(event=event, title="存在的共性问题", body="……")
    judge = JudgeFactory(event=event)
    PanelSeatFactory(judge=judge, venue=event.venues.get(number=1), role="chair")
    MemberFactory(submission=SubmissionFactory(event=event, category=qc))
    return event


def test_clone_copies_the_configuration(last_year):
    user = UserFactory(username="organizer41")
    new = clone_event(source=last_year, slug="cmqa-41", start=dt.date(2022, 9, 22), user=user)

    assert (new.number, new.name) == (41, "2022年机械工业第41次群众性质量管理成果交流活动")
    assert (new.notice_days, new.recuse_province, new.organizers) == (
        5,
        True,
        "中国机械工业质量管理协会",
    )
    assert list(new.categories.values_list("kind", "code_prefix", "award_rule", "threshold")) == [
        ("qc", "QC", "both", Decimal("85.00")),
        ("team", "TD", "quota", None),
    ]
    sheet = ScoreSheet.objects.get(event=new)
    assert sheet.category.event_id == new.pk
    assert list(sheet.items.values_list("code", "max_points")) == list(
        ScoreSheet.objects.get(event=last_year).items.values_list("code", "max_points")
    )
    assert list(new.venues.values_list("number", "room", "category__kind")) == [
        (1, "西湖厅", "qc"),
        (2, "钱塘厅", "team"),
    ]
    design = CertificateDesign.objects.get(event=new)
    old_design = CertificateDesign.objects.get(event=last_year)
    assert design.category.event_id == new.pk
    assert design.seal.name != old_design.seal.name
    assert design.seal.read() == b"\x89PNG seal"
    item = PlenaryItem.objects.get(event=new)
    assert (item.title, item.kind, item.speaker, item.summary) == ("开幕致辞", "speech", "", "")
    assert set(new.staff.all()) == {user, last_year.staff.get()}
    assert AuditLog.objects.filter(event=new, action="clone_event", actor=user).count() == 1


def test_clone_shifts_every_date_by_the_distance_between_the_starts(last_year):
    new = clone_event(source=last_year, slug="cmqa-41", start=dt.date(2022, 9, 22))
    days = dt.timedelta(days=364)  # 2021-09-23 -> 2022-09-22
    assert (new.start_date, new.end_date, new.judging_date) == (
        dt.date(2022, 9, 22),
        dt.date(2022, 9, 24),
        dt.date(2022, 9, 23),
    )
    assert new.submission_opens == last_year.submission_opens + days
    assert new.submission_closes == last_year.submission_closes + days
    assert list(new.venues.values_list("day", flat=True)) == [
        dt.date(2022, 9, 23),
        dt.date(2022, 9, 24),
    ]
    assert CertificateDesign.objects.get(event=new).issue_date == dt.date(2022, 9, 24)
    starts = PlenaryItem.objects.get(event=new).starts_at
    assert timezone.localtime(starts).replace(tzinfo=None) == dt.datetime(2022, 9, 22, 9, 0)


def test_clone_without_a_start_moves_one_year(last_year):
    new = clone_event(source=last_year, slug="cmqa-41")
    assert (new.start_date, new.end_date) == (dt.date(2022, 9, 23), dt.date(2022, 9, 25))


def test_clone_never_copies_entries_judges_scores_results_or_report_sections(last_year):
    before = (Judge.objects.count(), PanelSeat.objects.count())
    new = clone_event(source=last_year, slug="cmqa-41")
    assert new.submissions.count() == 0
    assert new.judges.count() == 0
    assert PanelSeat.objects.filter(venue__event=new).count() == 0
    assert (Judge.objects.count(), PanelSeat.objects.count()) == before
    assert new.report_sections.count() == 0
    assert new.award_runs.count() == 0 and new.certificates.count() == 0
    assert new.is_public is False


def test_clone_refuses_a_taken_slug_and_leaves_nothing(last_year):
    counts = (Event.objects.count(), Category.objects.count(), Venue.objects.count())
    with pytest.raises(ValidationError, match="已被使用"):
        clone_event(source=last_year, slug="cmqa-40")
    with pytest.raises(ValidationError, match="只能包含"):
        clone_event(source=last_year, slug="cmqa 41")
    assert (Event.objects.count(), Category.objects.count(), Venue.objects.count()) == counts


def test_clone_is_atomic(last_year):
    """A failure half-way (a design's image file is lost) leaves no new event behind."""
    design = CertificateDesign.objects.get(event=last_year)
    design.seal.storage.delete(design.seal.name)
    with pytest.raises(ValidationError, match="印章图片文件缺失"):
        clone_event(source=last_year, slug="cmqa-41")
    assert not Event.objects.filter(slug="cmqa-41").exists()
    assert Category.objects.filter(event__slug="cmqa-41").count() == 0
    assert ScoreSheet.objects.filter(event__slug="cmqa-41").count() == 0


def test_clone_event_command(last_year, capsys):
    call_command("clone_event", "cmqa-40", "cmqa-41", "--name", "第41次", "--start", "2022-10-01")
    new = Event.objects.get(slug="cmqa-41")
    assert (new.name, new.start_date) == ("第41次", dt.date(2022, 10, 1))
    assert "分会场 2 个" in capsys.readouterr().out
    with pytest.raises(CommandError, match="找不到活动"):
        call_command("clone_event", "nope", "cmqa-42")
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("clone_event", "cmqa-40", "cmqa-42", "--start", "1.10.2022")
    with pytest.raises(CommandError, match="已被使用"):
        call_command("clone_event", "cmqa-40", "cmqa-41")


@pytest.mark.parametrize(
    ("day", "expected"),
    [(dt.date(2021, 9, 23), dt.date(2022, 9, 23)), (dt.date(2024, 2, 29), dt.date(2025, 2, 28))],
)
def test_next_year(day, expected):
    assert next_year(day) == expected


def test_next_name_moves_edition_and_year():
    event = Event(name="2021年机械工业第40届交流活动", number=40, start_date=dt.date(2021, 9, 1))
    assert next_name(event, year=2022) == "2022年机械工业第41届交流活动"


def test_clone_moves_the_short_name_on_like_the_name(last_year):
    # Every organizer page heads with the short name: the new event must not say 第40次.
    last_year.short_name = "2021年第40次质量管理成果交流活动"
    last_year.save(update_fields=["short_name"])
    new = clone_event(source=last_year, slug="cmqa-41", start=dt.date(2022, 9, 22))
    assert new.short_name == "2022年第41次质量管理成果交流活动"
    last_year.short_name = ""
    assert clone_event(source=last_year, slug="cmqa-42").short_name == ""
