"""factory_boy factories for the domain models."""

import datetime as dt
from decimal import Decimal

import factory
from django.contrib.auth import get_user_model

from events.enums import CategoryKind
from events.models import Category, Event, Venue
from judging.models import Judge, PanelSeat, ScoreItem, ScoreSheet
from submissions.enums import Status
from submissions.models import Enterprise, Member, Membership, Submission


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.com")
    password = factory.django.Password("correct-horse-battery")


class EventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Event
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"event-{n}")
    number = 40
    name = factory.Sequence(lambda n: f"机械工业第{n}次群众性质量管理成果交流活动")
    city = "杭州"
    start_date = dt.date(2021, 9, 23)
    end_date = dt.date(2021, 9, 25)
    judging_date = dt.date(2021, 9, 24)


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Category

    event = factory.SubFactory(EventFactory)
    kind = CategoryKind.QC
    name = "QC成果"
    code_prefix = "QC"
    honour = "QC成果标杆"
    honour_prefix = "机械工业"
    slot_minutes = 8
    qa_minutes = 2
    min_members = 3
    max_members = 15


class VenueFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Venue

    event = factory.LazyAttribute(lambda o: o.category.event)
    category = factory.SubFactory(CategoryFactory)
    number = factory.Sequence(lambda n: n + 1)
    name = factory.LazyAttribute(lambda o: f"第{o.number}分会场")
    day = dt.date(2021, 9, 24)
    morning_start = dt.time(8, 30)
    morning_end = dt.time(12, 0)
    afternoon_start = dt.time(13, 30)
    afternoon_end = dt.time(18, 0)


class EnterpriseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Enterprise

    name = factory.Sequence(lambda n: f"第{n}机械制造有限公司")
    short_name = factory.Sequence(lambda n: f"机械{n}")
    province = "浙江"
    industry = "汽车"


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    enterprise = factory.SubFactory(EnterpriseFactory)


class SubmissionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Submission

    event = factory.LazyAttribute(lambda o: o.category.event)
    category = factory.SubFactory(CategoryFactory)
    code = factory.Sequence(lambda n: f"QC-{n + 1:03d}")
    enterprise = factory.SubFactory(EnterpriseFactory)
    group_name = factory.Sequence(lambda n: f"精益{n}QC小组")
    title = factory.Sequence(lambda n: f"降低缸体加工不良率{n}")
    topic_type = "onsite"
    status = Status.ADMITTED


class MemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Member

    submission = factory.SubFactory(SubmissionFactory)
    name = factory.Sequence(lambda n: f"成员{n}")
    role = "member"


class ScoreSheetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ScoreSheet

    event = factory.LazyAttribute(lambda o: o.category.event)
    category = factory.SubFactory(CategoryFactory)
    topic_type = ""
    phase = "presentation"
    name = "问题解决型课题成果评审表"
    total = Decimal("100")


class ScoreItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ScoreItem

    sheet = factory.SubFactory(ScoreSheetFactory)
    code = factory.Sequence(lambda n: f"B{n + 1}")
    name = factory.Sequence(lambda n: f"评分项{n + 1}")
    max_points = Decimal("20")
    step = Decimal("0.5")


class JudgeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Judge

    event = factory.SubFactory(EventFactory)
    code = factory.Sequence(lambda n: f"J{n + 1:02d}")
    user = factory.SubFactory(UserFactory)
    name = factory.Sequence(lambda n: f"评委{n + 1}")
    province = "北京"


class PanelSeatFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PanelSeat

    judge = factory.SubFactory(JudgeFactory)
    venue = factory.SubFactory(VenueFactory)
    role = "member"


def problem_solving_sheet(category: Category) -> ScoreSheet:
    """Return the QC problem-solving sheet (table B: 15/30/20/20/5/10) for a category."""
    sheet = ScoreSheetFactory(category=category, event=category.event, topic_type="")
    for order, (code, name, points) in enumerate(
        [
            ("B1", "选题", 15),
            ("B2", "原因分析", 30),
            ("B3", "对策与实施", 20),
            ("B4", "效果", 20),
            ("B5", "成果报告", 5),
            ("B6", "特点", 10),
        ]
    ):
        ScoreItemFactory(sheet=sheet, code=code, name=name, max_points=Decimal(points), order=order)
    return sheet


def blank_pdf() -> bytes:
    """Return a real one-page PDF (an uploaded notice is opened and inspected)."""
    import io

    import pikepdf

    pdf = pikepdf.new()
    pdf.add_blank_page()
    buffer = io.BytesIO()
    pdf.save(buffer)
    return buffer.getvalue()
