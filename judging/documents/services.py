"""Certificates: who gets one, their numbers and codes, revocation, queueing the batch.

Certificates are issued from the published award run (with the committee's active
overrides): one per benchmark (or tier) entry, one per member of it; one per honoured
nomination (an organization, a person or a craftsman), none for members. Issuing is idempotent:
an existing certificate keeps its number and verification code, its content is refreshed,
and one whose entry lost its award is revoked with the reason. Rendering only touches
certificates whose content hash differs from the hash their file was rendered from; the
rendering job, a design's preview and the ZIP are in judging.documents.certificate_files.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from events.models import Category, Event
from judging.documents import certificates as rendering
from judging.enums import CertificateAudience, CertificateStatus, Decision, JobKind
from judging.models import Certificate, CertificateDesign, Override, Publication, RenderJob, Result
from qcexchange.queueing import BROKER_DOWN_MESSAGE, enqueue
from qcexchange.versions import bump_certificates

# Bump when the certificate templates change, so that re-running re-renders every file.
LAYOUT_VERSION = "2"
MEMBER_WORDING = (
    "作为{enterprise}{group}的成员，在成果《{title}》中作出突出贡献，该成果在{event}中被评为"
)
# The wording of honours when no design gives one: the honour and 称号 follow on the page.
HONOUR_WORDING = {
    CertificateAudience.ORGANIZATION: "授予{organization}",
    CertificateAudience.PERSON: "授予{name}同志（{organization}）",
}
WORDING_FIELDS = (
    "{enterprise} {group} {title} {event} {member} {name} {organization} {position} {recommender}"
)
AWARDED = (Decision.BENCHMARK, Decision.TIER)


class CertificateError(Exception):
    """A reason in Chinese why certificates cannot be issued or rendered now."""


@dataclass(frozen=True)
class Award:
    result: Result
    decision: str
    tier: str
    override_reason: str


@dataclass(frozen=True)
class IssueSummary:
    created: int
    updated: int
    revoked: int
    reinstated: int
    total_valid: int


def awarded_entries(*, event: Event) -> dict[int, Award]:
    """Return the published results of an event by submission id, overrides applied."""
    publication = Publication.objects.filter(event=event).select_related("run").first()
    if publication is None:
        raise CertificateError(
            _("活动“%(event)s”的评选结果尚未公示，不能生成证书") % {"event": event.name}
        )
    results = Result.objects.filter(run=publication.run).select_related(
        "submission__enterprise", "submission__category", "submission__recommender"
    )
    overrides = {}
    for override in Override.objects.filter(event=event, withdrawn_at__isnull=True).order_by(
        "created_at", "pk"
    ):
        overrides[override.submission_id] = override  # the latest one stands
    awards = {}
    for result in results:
        override = overrides.get(result.submission_id)
        decision = override.decision if override else result.decision
        tier = (override.tier if override else result.tier) or ""
        awards[result.submission_id] = Award(
            result=result,
            decision=decision,
            tier=tier,
            override_reason=override.reason if override else "",
        )
    return awards


def honour_for(category: Category, award: Award) -> str:
    """Return the honour printed on a certificate, e.g. 2021年机械工业QC成果标杆."""
    if award.decision == Decision.TIER and award.tier:
        return f"{category.event.year}年{category.honour_prefix}{category.name}{award.tier}"
    return category.honour_for_certificate()


def _design_for(designs: list[CertificateDesign], category: Category, audience: str):
    exact = [d for d in designs if d.category_id == category.pk and d.audience == audience]
    general = [d for d in designs if d.category_id is None and d.audience == audience]
    return (exact or general or [None])[0]


def _issuer(event: Event, design: CertificateDesign | None) -> str:
    if design and design.issuing_body:
        return design.issuing_body
    lines = [line.strip() for line in event.organizers.splitlines() if line.strip()]
    return lines[0] if lines else event.name


def default_seal_name(*, issuer: str) -> str:
    """Return the storage name of a generated seal for an issuer, drawing it once."""
    import hashlib

    name = f"designs/seals/{hashlib.sha256(issuer.encode()).hexdigest()[:16]}.png"
    if not default_storage.exists(name):
        default_storage.save(name, ContentFile(rendering.seal_png(issuer, centre="证书专用章")))
    return name


def verify_url(code: str) -> str:
    return settings.QCX_SITE_URL + reverse("judging_documents:verify", kwargs={"code": code})


def certificate_content(
    *,
    event: Event,
    category: Category,
    design: CertificateDesign | None,
    audience: str,
    award: Award,
    number: str,
    verify_code: str,
    member_name: str = "",
) -> dict:
    """Return what a certificate says, as the plain dict stored and hashed.

    An honoured nomination's certificate names the organization, or the person (as
    ``member``) with their organization; it has no group and no topic.
    """
    submission = award.result.submission
    honour = audience in CertificateAudience.honours()
    organization = submission.enterprise.name  # the full legal name, as registered
    enterprise = organization if honour else (submission.completing_units.strip() or organization)
    if audience == CertificateAudience.PERSON:
        member_name = submission.nominee_name
    recommender = submission.recommender.name if submission.recommender else ""
    fields = {
        "enterprise": enterprise,
        "group": "" if honour else submission.group_name,
        "title": "" if honour else submission.title,
        "event": event.name,
        "member": member_name,
        "name": submission.nominee_name,
        "organization": organization,
        "position": submission.nominee_position,
        "recommender": recommender,
    }
    if design is not None:
        wording = design.wording
    elif audience == CertificateAudience.MEMBER:
        wording = MEMBER_WORDING
    elif honour:
        wording = HONOUR_WORDING[audience]
    else:
        wording = CertificateDesign._meta.get_field("wording").default
    try:
        body = wording.format(**fields)
    except (KeyError, IndexError, ValueError) as exc:
        raise CertificateError(
            _("证书样式“%(design)s”的正文含有无法识别的字段 %(field)s；可用字段：%(fields)s")
            % {"design": design, "field": exc, "fields": WORDING_FIELDS}
        ) from exc
    extra = {"code": submission.code, "category": category.name, "layout": LAYOUT_VERSION}
    if honour:
        extra.update(
            kind=category.kind, position=submission.nominee_position, recommender=recommender
        )
    issuer = _issuer(event, design)
    issue_date = design.issue_date if design else event.end_date
    seal = design.seal.name if design and design.seal else default_seal_name(issuer=issuer)
    data = rendering.CertificateData(
        audience=audience,
        number=number,
        verify_code=verify_code,
        verify_url=verify_url(verify_code),
        title=design.title if design else "荣誉证书",
        body=body,
        honour=honour_for(category, award),
        enterprise=enterprise,
        group=fields["group"],
        topic=fields["title"],
        member=member_name,
        issuing_body=issuer,
        issue_date=rendering.chinese_date(issue_date),
        seal=seal,
        background=design.background.name if design and design.background else "",
        extra=extra,
    )
    return data.to_content()


def _next_number(event: Event, category: Category, audience: str, taken: set[str]) -> str:
    prefix = category.code_prefix + ("M" if audience == CertificateAudience.MEMBER else "")
    seq = (
        1
        + Certificate.objects.filter(
            event=event, submission__category=category, audience=audience
        ).count()
    )
    while True:
        number = rendering.format_number(
            event.certificate_number_pattern, year=event.year, prefix=prefix, seq=seq
        )
        if number not in taken:
            taken.add(number)
            return number
        seq += 1


def _new_code() -> str:
    while True:
        code = rendering.new_verify_code()
        if not Certificate.objects.filter(verify_code=code).exists():
            return code


@transaction.atomic
def issue_certificates(*, event: Event) -> IssueSummary:
    """Create or refresh the certificates of an event's awarded entries; revoke lost ones."""
    Event.objects.select_for_update().filter(pk=event.pk).first()
    awards = awarded_entries(event=event)
    designs = list(CertificateDesign.objects.filter(event=event))
    existing = {
        (c.submission_id, c.member_id): c
        for c in Certificate.objects.filter(event=event).select_related("submission")
    }
    taken = set(Certificate.objects.filter(event=event).values_list("number", flat=True))
    created = updated = revoked = reinstated = 0
    seen = set()
    ordered = sorted(
        (a for a in awards.values() if a.decision in AWARDED),
        key=lambda a: (
            a.result.submission.category.order,
            a.result.rank_in_category or 10**6,
            a.result.submission.code,
        ),
    )
    for award in ordered:
        submission = award.result.submission
        category = submission.category
        main = CertificateAudience.for_kind(category.kind)
        holders = [(None, "")]
        if main == CertificateAudience.GROUP:
            holders += [(m, m.name) for m in submission.members.order_by("order", "pk")]
        for member, member_name in holders:
            audience = CertificateAudience.MEMBER if member else main
            key = (submission.pk, member.pk if member else None)
            seen.add(key)
            design = _design_for(designs, category, audience)
            cert = existing.get(key)
            if cert is None:
                cert = Certificate(
                    event=event,
                    submission=submission,
                    member=member,
                    audience=audience,
                    number=_next_number(event, category, audience, taken),
                    verify_code=_new_code(),
                )
                created += 1
            cert.audience = audience  # a category's kind decides, should it have changed
            content = certificate_content(
                event=event,
                category=category,
                design=design,
                audience=audience,
                award=award,
                number=cert.number,
                verify_code=cert.verify_code,
                member_name=member_name,
            )
            digest = rendering.content_hash(content)
            changed = cert.pk and (digest != cert.content_hash)
            if cert.status == CertificateStatus.REVOKED:
                cert.status, cert.revoked_reason, cert.revoked_at = (
                    CertificateStatus.VALID,
                    "",
                    None,
                )
                reinstated += 1
            if changed:
                updated += 1
            cert.honour, cert.content, cert.content_hash = content["honour"], content, digest
            try:
                cert.save()
            except IntegrityError as exc:
                raise CertificateError(
                    _("证书编号 %(number)s 重复，请检查证书编号规则") % {"number": cert.number}
                ) from exc
    for key, cert in existing.items():
        if key in seen or cert.status == CertificateStatus.REVOKED:
            continue
        award = awards.get(cert.submission_id)
        reason = "评选结果已变更，该成果不再获得此荣誉"
        if cert.audience in CertificateAudience.honours():
            reason = "评选结果已变更，不再获得此荣誉"
        if award and award.override_reason:
            reason = f"评审委员会审定变更：{award.override_reason}"
        elif cert.member_id and cert.submission_id in {k[0] for k in seen}:
            reason = "该成员已不在获奖小组名单中"
        cert.status, cert.revoked_reason, cert.revoked_at = (
            CertificateStatus.REVOKED,
            reason[:300],
            timezone.now(),
        )
        cert.save(update_fields=["status", "revoked_reason", "revoked_at"])
        revoked += 1
    total_valid = Certificate.objects.filter(event=event, status=CertificateStatus.VALID).count()
    bump_certificates()
    return IssueSummary(created, updated, revoked, reinstated, total_valid)


def pending_revocation(*, certificate: Certificate) -> str:
    """Return why a still-valid certificate no longer stands (an active committee override
    took its entry's award away), or "" when it stands. Verification shows this at once,
    before the certificates are issued again."""
    if certificate.status != CertificateStatus.VALID:
        return ""
    override = (
        Override.objects.filter(submission_id=certificate.submission_id, withdrawn_at__isnull=True)
        .order_by("-created_at", "-pk")
        .first()
    )
    if override is None or override.decision in AWARDED:
        return ""
    return f"评审委员会审定变更：{override.reason}"[:300]


def stale_certificates(*, event: Event):
    """Return the valid certificates whose file is missing or rendered from older content."""
    return (
        Certificate.objects.filter(event=event, status=CertificateStatus.VALID)
        .exclude(rendered_hash=F("content_hash"), file__gt="")
        .order_by("number")
    )


def render_certificates(*, event: Event, user=None) -> RenderJob:
    """Queue the issuing and rendering of an event's certificates; return the job to poll.

    Raises CertificateError at once when the results are not published.
    """
    awarded_entries(event=event)  # fail early, in the request, with the reason
    with transaction.atomic():
        job = RenderJob.objects.create(
            event=event,
            kind=JobKind.CERTIFICATES,
            created_by=user if user and user.is_authenticated else None,
            message=_("正在核对获奖名单"),
        )
        language = translation.get_language()
        transaction.on_commit(
            lambda: enqueue(
                "judging.start_certificate_job",
                kwargs={"job_id": job.pk, "language": language},
                on_deferred=lambda: RenderJob.objects.filter(pk=job.pk).update(
                    message=BROKER_DOWN_MESSAGE
                ),
            )
        )
    return job
