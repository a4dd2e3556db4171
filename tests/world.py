"""One small world with every role of design.md, for the permission matrix and hostile-input tests.

Two events; in `world` two QC venues, each with entries of its own enterprise, a panel and
submitted cards, and an honour category (优秀个人) without nominations; results published in the notice window (not final) with certificates
issued, and a newer award run that is not published; an organizer of each event.
"""

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.files.base import ContentFile
from django.utils import timezone

from judging.enums import JobKind, JobStatus
from judging.models import (
    AwardRun,
    Certificate,
    Judge,
    Objection,
    Publication,
    Recusal,
    RenderJob,
    Result,
    Scorecard,
    Showcase,
    VenueAssignment,
)
from judging.scoring.anchors import record_anchor
from judging.scoring.services import submit_scorecard
from judging.scoring.signin import issue_signin_tokens
from submissions.models import Attachment, Delegate, ImportJob, Membership
from tests.factories import (
    CategoryFactory,
    EnterpriseFactory,
    EventFactory,
    JudgeFactory,
    MemberFactory,
    PanelSeatFactory,
    SubmissionFactory,
    UserFactory,
    VenueFactory,
    problem_solving_sheet,
)

POINTS = {"B1": "12", "B2": "25", "B3": "16.5", "B4": "17", "B5": "4", "B6": "8"}
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"

ROLES = (
    "anonymous",
    "enterprise_a",
    "enterprise_b",
    "judge_v1",
    "judge_v2",
    "chair_v1",
    "organizer",
    "other_organizer",
)


@dataclass
class World:
    event: object
    other_event: object
    venue1: object
    venue2: object
    enterprise_a: object
    enterprise_b: object
    entry_a: object
    entry_b: object
    attachment_a: Attachment
    attachment_b: Attachment
    judge_v1: Judge
    judge_v2: Judge
    chair_v1: Judge
    card_v1: Scorecard
    card_v2: Scorecard
    recusal: Recusal
    assignment_a: VenueAssignment
    published_run: AwardRun
    unpublished_run: AwardRun
    certificate: Certificate
    objection: Objection
    showcase: Showcase
    import_job: ImportJob
    render_job: RenderJob
    signin_token: str
    delegate_a: object = None
    users: dict = field(default_factory=dict)


def attach(entry, *, kind="report", name="report.pdf", content=PDF) -> Attachment:
    attachment = Attachment(
        submission=entry,
        kind=kind,
        original_name=name,
        content_type="application/pdf",
        size=len(content),
        sha256="0" * 64,
    )
    attachment.file.save(name, ContentFile(content), save=False)
    attachment.save()
    return attachment


def build_world(**texts) -> World:
    """Build the world; `texts` override the entries' and names' text fields (hostile input)."""
    now = timezone.now()
    event = EventFactory(
        slug="world",
        is_public=True,
        submission_opens=now - dt.timedelta(days=10),
        submission_closes=now + dt.timedelta(days=10),
    )
    other_event = EventFactory(slug="other-world", is_public=True)
    category = CategoryFactory(event=event, quota_percent=Decimal("30"))
    # An honour (优秀个人) without nominations: its public list is empty, but it exists.
    CategoryFactory(
        event=event, kind="person", name="优秀个人", code_prefix="GR", honour="优秀个人", order=5
    )
    problem_solving_sheet(category)
    venue1 = VenueFactory(event=event, category=category, number=1)
    venue2 = VenueFactory(event=event, category=category, number=2)

    enterprise_a = EnterpriseFactory(name=texts.get("enterprise", "甲机械制造有限公司"))
    enterprise_b = EnterpriseFactory(name="乙机械制造有限公司")
    users = {"anonymous": None}
    for role, enterprise in (("enterprise_a", enterprise_a), ("enterprise_b", enterprise_b)):
        user = UserFactory(username=role)
        Membership.objects.create(user=user, enterprise=enterprise, is_admin=True)
        users[role] = user

    entry_a = SubmissionFactory(
        event=event,
        category=category,
        enterprise=enterprise_a,
        code="QC-001",
        topic_type="",
        group_name=texts.get("group", "精益QC小组"),
        title=texts.get("title", "降低缸体加工不良率"),
        contact_name=texts.get("contact", "张联系"),
        contact_phone="13800000001",
        contact_email="contact-a@example.com",
    )
    entry_b = SubmissionFactory(
        event=event, category=category, enterprise=enterprise_b, code="QC-002", topic_type=""
    )
    MemberFactory(submission=entry_a, name=texts.get("member", "欧阳建华"), order=0)
    MemberFactory(submission=entry_b, name="李娜", order=0)
    attachment_a = attach(entry_a)
    attachment_b = attach(entry_b)
    assignment_a = VenueAssignment.objects.create(submission=entry_a, venue=venue1, draw_number=1)
    VenueAssignment.objects.create(submission=entry_b, venue=venue2, draw_number=1)

    def seat(role, venue, seat_role):
        judge = JudgeFactory(event=event, user=UserFactory(username=role))
        PanelSeatFactory(judge=judge, venue=venue, role=seat_role)
        users[role] = judge.user
        return judge

    chair_v1 = seat("chair_v1", venue1, "chair")
    judge_v1 = seat("judge_v1", venue1, "member")
    judge_v2 = seat("judge_v2", venue2, "member")
    chair_v2 = JudgeFactory(event=event)
    PanelSeatFactory(judge=chair_v2, venue=venue2, role="chair")
    recused = JudgeFactory(event=event)
    PanelSeatFactory(judge=recused, venue=venue1, role="member")
    recusal = Recusal.objects.create(judge=recused, submission=entry_a, source="enterprise")

    comment = texts.get("comment", "数据翔实")
    card_v1 = submit_scorecard(judge=judge_v1, submission=entry_a, points=POINTS, comment=comment)
    card_v2 = submit_scorecard(judge=judge_v2, submission=entry_b, points=POINTS, comment="")

    for role, evt in (("organizer", event), ("other_organizer", other_event)):
        user = UserFactory(username=role, email=f"{role}@example.com")
        evt.staff.add(user)
        users[role] = user

    published_run = AwardRun.objects.create(event=event, status="done", digest="1" * 64)
    unpublished_run = AwardRun.objects.create(event=event, status="done", digest="2" * 64)
    for run, score in ((published_run, Decimal("90.00")), (unpublished_run, Decimal("91.00"))):
        for rank, (entry, venue) in enumerate(((entry_a, venue1), (entry_b, venue2)), 1):
            Result.objects.create(
                run=run,
                submission=entry,
                venue=venue,
                final_score=score - rank,
                valid_cards=3,
                rank_in_venue=1,
                rank_in_category=rank,
                decision="benchmark",
                reason="按比例入选",
            )
    Publication.objects.create(
        event=event,
        run=published_run,
        notice_starts=now - dt.timedelta(days=1),
        notice_ends=now + dt.timedelta(days=6),
        published_by=users["organizer"],
    )
    # The ledger's anchors: at publication, and venue 1's lock receipt.
    record_anchor(event=event, kind="publication", run=published_run)
    record_anchor(event=event, kind="lock", venue=venue1)
    objection = Objection.objects.create(
        event=event,
        submission=entry_b,
        name=texts.get("objector", "王异议"),
        unit="某机械厂",
        contact="13700000007",
        grounds=texts.get("grounds", "成果数据与现场不符"),
    )
    showcase = Showcase.objects.create(event=event, submission=entry_a, order=1)
    certificate = Certificate(
        event=event,
        submission=entry_a,
        audience="group",
        number="CMQA-2021-QC-0001",
        verify_code="WORLDCERT0001",
        honour="QC成果标杆",
        content={
            "honour": "QC成果标杆",
            "enterprise": enterprise_a.name,
            "group": entry_a.group_name,
            "topic": entry_a.title,
            "member": "",
            "issuing_body": "中国机械工业质量管理协会",
            "issue_date": "2021-09-25",
        },
    )
    certificate.file.save("cert.pdf", ContentFile(PDF), save=False)
    certificate.save()
    import_job = ImportJob(event=event, original_name="entries.xlsx", state="done")
    import_job.file.save("entries.xlsx", ContentFile(b"PK"), save=False)
    import_job.save()
    render_job = RenderJob(event=event, kind=JobKind.REPORT, status=JobStatus.DONE, total=1, done=1)
    render_job.output.save("report.pdf", ContentFile(PDF), save=False)
    render_job.save()
    token = issue_signin_tokens(event=event)[judge_v1]
    return World(
        event=event,
        other_event=other_event,
        venue1=venue1,
        venue2=venue2,
        enterprise_a=enterprise_a,
        enterprise_b=enterprise_b,
        entry_a=entry_a,
        entry_b=entry_b,
        attachment_a=attachment_a,
        attachment_b=attachment_b,
        judge_v1=judge_v1,
        judge_v2=judge_v2,
        chair_v1=chair_v1,
        card_v1=card_v1,
        card_v2=card_v2,
        recusal=recusal,
        assignment_a=assignment_a,
        published_run=published_run,
        unpublished_run=unpublished_run,
        certificate=certificate,
        objection=objection,
        showcase=showcase,
        import_job=import_job,
        render_job=render_job,
        signin_token=token,
        delegate_a=Delegate.objects.create(
            event=event,
            name="代表甲",
            enterprise=enterprise_a,
            organization=enterprise_a.name,
            mobile="13800000009",
        ),
        users=users,
    )
