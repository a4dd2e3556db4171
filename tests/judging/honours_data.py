"""Build an event with a scored honour category (优秀个人) for the honours tests.

Six persons are nominated by recommending bodies and read in a written review: each dossier by
three of the panel's five experts (ReviewAssignment), as a written review assigns them. The
totals are chosen by hand: with three cards the highest and the lowest are dropped, so the
final score is the middle card, and the category's rule (3 places) honours the first three.
"""

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from events.enums import CategoryKind, VenueMode
from events.models import Category, Event, Venue
from judging.models import (
    Judge,
    PanelSeat,
    ReviewAssignment,
    Scorecard,
    ScoreItem,
    ScoreLine,
    ScoreSheet,
    VenueAssignment,
    VenueStatus,
)
from submissions.enums import Status
from submissions.models import Enterprise, RecommendingBody, Submission
from tests.judging.scored_event import record_ledger

# (name, organization, position, recommender, three totals read by experts i, i+1, i+2 mod 5)
NOMINEES = [
    ("张伟", "中国第一重型机械股份有限公司", "质量管理部部长", "黑龙江省机械工业联合会", ("88", "86", "80")),
    ("李娜", "杭州汽轮动力集团股份有限公司", "QC小组组长", "浙江省机械工业联合会", ("85", "83", "90")),
    ("王芳", "徐工集团工程机械股份有限公司", "总装车间主任", "江苏省机械工业联合会", ("78", "84", "82")),
    ("刘洋", "潍柴动力股份有限公司", "质量工程师", "山东省机械工业联合会", ("75", "79.5", "81")),
    ("陈静", "三一重工股份有限公司", "工艺员", "湖南省机械工业联合会", ("90", "70", "77")),
    ("杨帆", "东方电气集团东方汽轮机有限公司", "检验班长", "四川省机械工业联合会", ("72", "74", "76")),
]  # fmt: skip
# The middle card of each, so the final score; the first three are honoured (3 places).
FINAL = ["86.00", "85.00", "82.00", "79.50", "77.00", "74.00"]
HONOURED = ["张伟", "李娜", "王芳"]
HONOUR = "2021年机械工业群众性质量管理活动优秀个人"


def honours_event(*, slug: str = "honours", lock: bool = True) -> tuple[Event, Category]:
    """Return an event with a scored, locked written review of six person nominations."""
    event = Event.objects.create(
        slug=slug,
        name="机械工业第40次群众性质量管理成果交流活动",
        organizers="中国机械工业质量管理协会",
        start_date=dt.date(2021, 9, 23),
        end_date=dt.date(2021, 9, 25),
        certificate_number_pattern="CMQA-{year}-{prefix}-{seq:04d}",
        is_public=True,
    )
    category = Category.objects.create(
        event=event,
        kind=CategoryKind.INDIVIDUAL,
        name="优秀个人",
        code_prefix="GR",
        honour="优秀个人",
        honour_prefix="机械工业群众性质量管理活动",
        award_rule="quota",
        quota_count=3,
        quota_scope="category",
        order=5,
    )
    sheet = ScoreSheet.objects.create(event=event, category=category, name="优秀个人评审表")
    deeds = ScoreItem.objects.create(
        sheet=sheet, code="R1", name="主要事迹", max_points=Decimal("60"), order=0
    )
    example = ScoreItem.objects.create(
        sheet=sheet, code="R2", name="示范作用", max_points=Decimal("40"), order=1
    )
    venue = Venue.objects.create(
        event=event,
        category=category,
        number=9,
        name="书面评审组",
        mode=VenueMode.WRITTEN,
        day=dt.date(2021, 9, 10),
    )
    judges = [Judge.objects.create(event=event, code=f"E{n}", name=f"专家{n}") for n in range(1, 6)]
    for n, judge in enumerate(judges):
        PanelSeat.objects.create(judge=judge, venue=venue, role="chair" if n == 0 else "member")
    for i, (name, organization, position, recommender, totals) in enumerate(NOMINEES):
        nomination = Submission.objects.create(
            event=event,
            category=category,
            code=f"GR-{i + 1:03d}",
            enterprise=Enterprise.objects.create(name=organization),
            recommender=RecommendingBody.objects.get_or_create(name=recommender)[0],
            group_name="",
            title=f"{name}同志事迹材料",
            nominee_name=name,
            nominee_position=position,
            nominee_years=20 + i,
            achievements=f"{name}同志长期从事质量管理工作。",
            status=Status.ADMITTED,
        )
        VenueAssignment.objects.create(submission=nomination, venue=venue, draw_number=i + 1)
        for k, total in enumerate(totals):
            judge = judges[(i + k) % len(judges)]
            ReviewAssignment.objects.create(venue=venue, judge=judge, submission=nomination)
            card = Scorecard.objects.create(
                judge=judge,
                submission=nomination,
                sheet=sheet,
                status="submitted",
                total=Decimal(total),
                submitted_at=timezone.now(),
            )
            # Every total here lies between 70 and 90: 30 points go to the second item.
            ScoreLine.objects.create(card=card, item=deeds, points=Decimal(total) - 30)
            ScoreLine.objects.create(card=card, item=example, points=Decimal("30"))
    if lock:
        VenueStatus.objects.create(venue=venue, locked_at=timezone.now())
    record_ledger(event)
    return event, category
