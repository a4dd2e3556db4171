"""Build an event with published results for the certificate and report tests."""

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from judging.models import AwardRun, Publication, Result
from tests.factories import (
    CategoryFactory,
    EnterpriseFactory,
    EventFactory,
    MemberFactory,
    SubmissionFactory,
    UserFactory,
    VenueFactory,
)

ENTERPRISE = "中国第一重型机械股份有限公司"


def published_event(*, final: bool = True, slug: str = "cmqa-t"):
    """Return (event, results): three QC entries, two of them benchmarks, with members."""
    event = EventFactory(
        slug=slug,
        name="机械工业第40次群众性质量管理成果交流活动",
        organizers="中国机械工业质量管理协会\n中国机械工业联合会",
        certificate_number_pattern="CMQA-{year}-{prefix}-{seq:04d}",
        attendance=820,
        attending_organizations=176,
    )
    category = CategoryFactory(event=event)
    venue = VenueFactory(category=category, event=event, number=1, name="第1分会场")
    heavy = EnterpriseFactory(name=ENTERPRISE, province="黑龙江", industry="重型机械")
    other = EnterpriseFactory(
        name="杭州汽轮动力集团股份有限公司", province="浙江", industry="电站设备"
    )
    entries = [
        SubmissionFactory(
            event=event, category=category, enterprise=heavy, code="QC-001",
            group_name="铸锻钢事业部精益QC小组", title="降低大型铸件热处理变形超差率",
        ),
        SubmissionFactory(
            event=event, category=category, enterprise=other, code="QC-002",
            group_name="汽轮机装配QC小组", title="提高汽缸中分面一次密封合格率",
        ),
        SubmissionFactory(
            event=event, category=category, enterprise=other, code="QC-003",
            group_name="精工QC小组", title="缩短叶片加工周期",
        ),
    ]  # fmt: skip
    for entry, names in zip(entries, [["欧阳建华", "李娜"], ["王强"], ["赵敏"]], strict=True):
        for order, name in enumerate(names):
            MemberFactory(submission=entry, name=name, order=order)
    user = UserFactory(username="organizer")
    run = AwardRun.objects.create(event=event, status="done", digest="0" * 64)
    scores = [Decimal("91.50"), Decimal("88.25"), Decimal("79.00")]
    decisions = ["benchmark", "benchmark", "none"]
    results = [
        Result.objects.create(
            run=run, submission=entry, venue=venue, final_score=score, valid_cards=5,
            rank_in_venue=rank, rank_in_category=rank, decision=decision, reason="按比例入选",
        )
        for rank, (entry, score, decision) in enumerate(zip(entries, scores, decisions, strict=True), 1)
    ]  # fmt: skip
    now = timezone.now()
    Publication.objects.create(
        event=event,
        run=run,
        notice_starts=now - dt.timedelta(days=8),
        notice_ends=now - dt.timedelta(days=1),
        published_by=user,
        finalized_at=now if final else None,
        finalized_by=user if final else None,
    )
    event.staff.add(user)
    return event, results
