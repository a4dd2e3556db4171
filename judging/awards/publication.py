"""Publication of the results: the public notice window (公示), signed objections, finalizing."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from events.models import Category, Event
from events.services import record_audit
from judging.awards.selectors import active_overrides, latest_done_run
from judging.awards.services import AwardError
from judging.enums import Decision, ObjectionStatus
from judging.models import AnchorKind, Objection, Publication, Result
from judging.rules import enterprise_of
from judging.scoring.anchors import record_anchor
from qcexchange.versions import bump_results
from submissions.models import Submission

CHOSEN = (Decision.BENCHMARK, Decision.TIER)


def publish_results(*, event: Event, user=None, days: int | None = None, now=None) -> Publication:
    """Open the public notice window on the latest finished award run."""
    now = now or timezone.now()
    days = event.notice_days if days is None else days
    if days < 1:
        raise AwardError(_("公示天数至少为1天。"))
    run = latest_done_run(event)
    if run is None:
        raise AwardError(_("尚无已完成的评选计算，请先计算评选结果。"))
    with transaction.atomic():
        publication = Publication.objects.select_for_update().filter(event=event).first()
        if publication and publication.is_final:
            raise AwardError(_("评选结果已定稿，不能重新公示。"))
        if publication is None:
            publication = Publication(event=event)
        publication.run = run
        publication.notice_starts = now
        publication.notice_ends = now + dt.timedelta(days=days)
        publication.published_by = user if getattr(user, "is_authenticated", False) else None
        publication.save()
        anchor = record_anchor(event=event, kind=AnchorKind.PUBLICATION, run=run, user=user)
        record_audit(
            actor=user,
            action="results.publish",
            event=event,
            target=f"AwardRun #{run.pk}",
            details={"digest": run.digest, "days": days, "ledger_head": anchor.head},
        )
        bump_results(event.pk)
    return publication


def finalize_results(*, event: Event, user=None, now=None) -> Publication:
    """Close the notice window and freeze the results; every objection must be answered first."""
    now = now or timezone.now()
    publication = Publication.objects.filter(event=event).first()
    if publication is None:
        raise AwardError(_("评选结果尚未公示，不能定稿。"))
    if publication.is_final:
        raise AwardError(_("评选结果已经定稿。"))
    if now < publication.notice_ends:
        ends = timezone.localtime(publication.notice_ends).strftime("%Y-%m-%d %H:%M")
        raise AwardError(_("公示期至 %(ends)s 结束，结束后才能定稿。") % {"ends": ends})
    open_count = Objection.objects.filter(event=event, status=ObjectionStatus.OPEN).count()
    if open_count:
        raise AwardError(_("还有 %(n)s 条异议尚未处理，处理完毕后才能定稿。") % {"n": open_count})
    with transaction.atomic():
        publication.finalized_at = now
        publication.finalized_by = user if getattr(user, "is_authenticated", False) else None
        publication.save(update_fields=["finalized_at", "finalized_by"])
        record_audit(actor=user, action="results.finalize", event=event, target=publication)
        bump_results(event.pk)
    return publication


def visible_publication(event: Event, now=None) -> Publication | None:
    """Return the publication the public may see, or None before the notice starts."""
    now = now or timezone.now()
    publication = Publication.objects.select_related("run").filter(event=event).first()
    if publication is None or publication.notice_starts > now:
        return None
    return publication


def notice_open(publication: Publication | None, now=None) -> bool:
    now = now or timezone.now()
    return bool(
        publication
        and not publication.is_final
        and publication.notice_starts <= now < publication.notice_ends
    )


@dataclass(frozen=True)
class PublicRow:
    code: str
    enterprise: str
    group: str
    title: str
    venue: str
    score: str
    tier: str
    rank: int | None
    # An honoured nomination: the person (blank for an organization), their position and
    # who nominated them; the organization is ``enterprise``.
    name: str = ""
    position: str = ""
    recommender: str = ""


def public_lists(
    publication: Publication, *, query: str = "", categories=None
) -> list[tuple[Category, list[PublicRow]]]:
    """Return per category the chosen entries of the published run, overrides applied.

    ``categories`` narrows the lists to some categories (an honour's own page).
    """
    overrides = active_overrides(publication.event)
    if categories is None:
        categories = Category.objects.filter(event=publication.event).order_by("order", "pk")
    lists: dict[int, tuple[Category, list[PublicRow]]] = {c.pk: (c, []) for c in categories}
    results = (
        Result.objects.filter(run=publication.run, submission__category__in=list(lists))
        .select_related("submission__enterprise", "submission__recommender", "venue")
        .order_by("submission__category__order", "rank_in_category", "submission__code")
    )
    query = query.strip()
    for r in results:
        override = overrides.get(r.submission_id)
        decision = override.decision if override else r.decision
        tier = override.tier if override else r.tier
        if decision not in CHOSEN:
            continue
        s = r.submission
        recommender = s.recommender.name if s.recommender else ""
        texts = (s.enterprise.name, s.group_name, s.title, s.nominee_name, recommender)
        if query and not any(query in text for text in texts):
            continue
        lists[s.category_id][1].append(
            PublicRow(
                code=s.code,
                enterprise=s.enterprise.name,
                group=s.group_name,
                title=s.title,
                venue=r.venue.name if r.venue else "",
                score=f"{r.final_score:.2f}" if r.final_score is not None else "",
                tier=tier,
                rank=r.rank_in_category,
                name=s.nominee_name,
                position=s.nominee_position,
                recommender=recommender,
            )
        )
    return list(lists.values())


def file_objection(
    *,
    event: Event,
    code: str,
    name: str,
    unit: str,
    contact: str,
    grounds: str,
    filed_by,
    evidence=None,
    now=None,
) -> Objection:
    """Record a signed objection to one entry during the notice window.

    Only a signed-in user acting for an enterprise may file one; ``evidence`` must already
    have passed the portal's content checks (ObjectionForm does).
    """
    if not getattr(filed_by, "is_authenticated", False) or enterprise_of(filed_by) is None:
        raise AwardError(_("只有已登录的企业用户可以提出异议。"))
    publication = visible_publication(event, now)
    if not notice_open(publication, now):
        raise AwardError(_("当前不在公示期内，不能提交异议。"))
    missing = [
        label
        for label, value in (
            (_("姓名"), name),
            (_("单位"), unit),
            (_("联系方式"), contact),
            (_("异议理由"), grounds),
        )
        if not value.strip()
    ]
    if missing:
        raise AwardError(_("请填写%(fields)s：异议须实名提交。") % {"fields": "、".join(missing)})
    submission = Submission.objects.filter(event=event, code=code.strip()).first()
    if (
        submission is None
        or not Result.objects.filter(run=publication.run, submission=submission).exists()
    ):
        raise AwardError(_("本次公示中没有编号为 %(code)s 的成果。") % {"code": code})
    with transaction.atomic():
        objection = Objection.objects.create(
            event=event,
            submission=submission,
            name=name.strip(),
            unit=unit.strip(),
            contact=contact.strip(),
            grounds=grounds.strip(),
            evidence=evidence or "",
            filed_by=filed_by,
        )
        record_audit(
            actor=filed_by, action="objection.file", event=event, target=submission.code,
            details={"objection": objection.pk, "name": objection.name, "unit": objection.unit},
        )  # fmt: skip
    return objection


def answer_objection(
    *, objection: Objection, status: str, answer: str, user, request=None
) -> Objection:
    """Record the organizer's ruling on an objection, logged.

    FRIVOLOUS dismisses an objection without ruling on its merits (spam, no grounds); its
    reason is recorded and shown like any answer, and it no longer blocks finalizing.
    """
    if status not in (ObjectionStatus.UPHELD, ObjectionStatus.DISMISSED, ObjectionStatus.FRIVOLOUS):
        raise AwardError(_("处理结果须为“成立”“不成立”或“不予受理”。"))
    if not answer.strip():
        if status == ObjectionStatus.FRIVOLOUS:
            raise AwardError(_("不予受理须填写理由。"))
        raise AwardError(_("请填写处理意见。"))
    publication = Publication.objects.filter(event=objection.event).first()
    if publication and publication.is_final:
        raise AwardError(_("评选结果已定稿，不能再处理异议。"))
    with transaction.atomic():
        objection.status = status
        objection.answer = answer.strip()
        objection.answered_by = user
        objection.answered_at = timezone.now()
        objection.save(update_fields=["status", "answer", "answered_by", "answered_at"])
        record_audit(
            actor=user,
            action="objection.answer",
            event=objection.event,
            target=objection.submission.code,
            details={"objection": objection.pk, "status": status, "answer": objection.answer},
            request=request,
        )
    return objection
