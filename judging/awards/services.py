"""Award runs: start and execute them (load, score, decide, store, digest).

Loading is in judging.awards.selectors, scoring and deciding in judging.awards.computing,
writing the Result rows in judging.awards.storing. Also the committee's overrides (kept
beside the computed results) and the showcase proposal.
"""

from __future__ import annotations

from collections import defaultdict

from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from events.models import Category, Event
from events.services import record_audit
from judging.awards.computing import ComputedEntry, _str, canonical_digest, compute
from judging.awards.selectors import (
    active_overrides,
    latest_done_run,
    load_event_input,
    unlocked_venues,
)
from judging.awards.storing import insert_results
from judging.awards.verify import ScoresNotTrusted, verify_scores
from judging.enums import Decision, RunStatus
from judging.models import AwardRun, Override, Publication, Result, Showcase
from qcexchange.collector import cyclic_gc_paused
from qcexchange.queueing import BROKER_DOWN_MESSAGE, enqueue
from qcexchange.versions import bump_results
from submissions.models import Submission


class AwardError(Exception):
    """A refusal with a message in Chinese that names what is wrong."""


def start_award_run(*, event: Event, user=None, force: bool = False, reason: str = "") -> AwardRun:
    """Create an award run and queue its computation, refusing while a venue is unlocked."""
    if Publication.objects.filter(event=event, finalized_at__isnull=False).exists():
        raise AwardError(_("评选结果已定稿，不能重新计算。"))
    unlocked = unlocked_venues(event)
    reason = reason.strip()
    if unlocked and not force:
        names = "、".join(v.name for v in unlocked)
        raise AwardError(
            _(
                "以下分会场尚未锁定，不能计算评选结果：%(venues)s。如确需计算，请强制执行并填写原因。"
            )
            % {"venues": names}
        )
    if unlocked and not reason:
        raise AwardError(_("强制计算必须填写原因。"))
    with transaction.atomic():
        run = AwardRun.objects.create(
            event=event,
            created_by=user if getattr(user, "is_authenticated", False) else None,
            forced_reason=reason if unlocked else "",
        )
        record_audit(
            actor=user,
            action="award_run.start",
            event=event,
            target=f"AwardRun #{run.pk}",
            details={"forced": bool(unlocked), "reason": reason} if unlocked else {},
        )
        language = translation.get_language()
        transaction.on_commit(
            lambda: enqueue(
                "judging.execute_award_run",
                kwargs={"run_id": run.pk, "language": language},
                on_deferred=lambda: AwardRun.objects.filter(pk=run.pk).update(
                    message=BROKER_DOWN_MESSAGE
                ),
            )
        )
    return run


def execute_award_run(*, run_id: int) -> AwardRun:
    """Compute the run: load, score, decide, store the Result rows and the digest."""
    with cyclic_gc_paused():
        return _execute_award_run(run_id)


def _execute_award_run(run_id: int) -> AwardRun:
    run = AwardRun.objects.select_related("event").get(pk=run_id)
    if run.status == RunStatus.DONE:
        return run
    AwardRun.objects.filter(pk=run.pk).update(status=RunStatus.RUNNING, progress=10)
    try:
        verified = verify_scores(run.event)
        data = load_event_input(run.event, current=verified)
        AwardRun.objects.filter(pk=run.pk).update(progress=50)
        computed = compute(data)
        digest = canonical_digest(data, computed)
    except ScoresNotTrusted as exc:
        AwardRun.objects.filter(pk=run.pk).update(
            status=RunStatus.FAILED, message=str(exc)[:2000], finished_at=timezone.now()
        )
        return AwardRun.objects.get(pk=run.pk)
    except Exception as exc:
        AwardRun.objects.filter(pk=run.pk).update(
            status=RunStatus.FAILED, message=str(exc)[:2000], finished_at=timezone.now()
        )
        raise
    with transaction.atomic():
        Result.objects.filter(run=run).delete()
        insert_results(
            [
                {
                    "run_id": run.pk,
                    "submission_id": r.entry.submission_id,
                    "venue_id": r.entry.venue_id,
                    "final_score": r.score.final,
                    "phase_scores": {name: _str(p.score) for name, p in r.score.phases},
                    "valid_cards": min((p.valid_count for _, p in r.score.phases), default=0),
                    "rank_in_venue": r.outcome.rank_in_venue,
                    "rank_in_category": r.outcome.rank_in_category,
                    "decision": r.outcome.decision,
                    "tier": r.outcome.tier,
                    "reason": r.outcome.reason[:300],
                    "cards": list(r.cards),
                    "tiebreak_value": r.tiebreak_value,
                    "spread": r.spread,
                    "draw_number": r.entry.draw or None,
                }
                for r in computed
            ]
        )
        counts = summary_counts(computed, data.categories)
        run.status = RunStatus.DONE
        run.progress = 100
        run.digest = digest
        run.message = counts
        run.finished_at = timezone.now()
        run.save(update_fields=["status", "progress", "digest", "message", "finished_at"])
        from judging.awards.fairness_services import request_fairness_report

        request_fairness_report(run=run)
    return run


def summary_counts(computed: list[ComputedEntry], categories: list[Category]) -> str:
    lines = []
    for category in categories:
        rows = [r for r in computed if r.entry.category_id == category.pk]
        chosen = sum(1 for r in rows if r.outcome.decision in (Decision.BENCHMARK, Decision.TIER))
        incomplete = sum(1 for r in rows if r.outcome.decision == Decision.INCOMPLETE)
        lines.append(
            _("%(category)s：%(total)s项，入选%(chosen)s项，评分不足%(incomplete)s项")
            % {
                "category": category.name,
                "total": len(rows),
                "chosen": chosen,
                "incomplete": incomplete,
            }
        )
    return "\n".join(lines)


def create_override(
    *, event: Event, submission: Submission, decision: str, reason: str, user, tier: str = ""
) -> Override:
    """Store a committee decision beside the computed result; a reason is mandatory."""
    reason = reason.strip()
    if not reason:
        raise AwardError(_("评审委员会审定必须填写理由。"))
    if decision not in Decision.values:
        raise AwardError(_("未知的审定结果：%(decision)s") % {"decision": decision})
    if submission.event_id != event.pk:
        raise AwardError(_("该成果不属于本活动。"))
    if Publication.objects.filter(event=event, finalized_at__isnull=False).exists():
        raise AwardError(_("评选结果已定稿，不能再审定。"))
    with transaction.atomic():
        now = timezone.now()
        Override.objects.filter(
            event=event, submission=submission, withdrawn_at__isnull=True
        ).update(withdrawn_at=now)
        override = Override.objects.create(
            event=event,
            submission=submission,
            decision=decision,
            tier=tier,
            reason=reason,
            created_by=user,
        )
        record_audit(
            actor=user,
            action="award.override",
            event=event,
            target=submission.code,
            details={"decision": decision, "tier": tier, "reason": reason},
        )
        _refresh_fairness(event)
        bump_results(event.pk)
    return override


def withdraw_override(*, override: Override, user) -> None:
    with transaction.atomic():
        override.withdrawn_at = timezone.now()
        override.save(update_fields=["withdrawn_at"])
        record_audit(
            actor=user, action="award.override_withdrawn", event=override.event, target=override
        )
        _refresh_fairness(override.event)
        bump_results(override.event_id)


def _refresh_fairness(event: Event) -> None:
    """Queue the fairness report of the latest run again: the current decisions changed."""
    from judging.awards.fairness_services import request_fairness_report

    run = latest_done_run(event)
    if run is not None:
        request_fairness_report(run=run)


def propose_showcase(*, event: Event, run: AwardRun, user=None) -> list[Showcase]:
    """Replace the showcase with the top results per category, one entry per enterprise."""
    overrides = active_overrides(event)
    results = list(
        Result.objects.filter(run=run, rank_in_category__isnull=False)
        .select_related("submission__category")
        .order_by("submission__category__order", "rank_in_category", "submission__code")
    )
    chosen: list[Result] = []
    enterprises: set[int] = set()
    per_category: dict[int, int] = defaultdict(int)
    for result in results:
        category = result.submission.category
        decision = (
            overrides[result.submission_id].decision
            if result.submission_id in overrides
            else result.decision
        )
        if decision not in (Decision.BENCHMARK, Decision.TIER):
            continue
        if per_category[category.pk] >= category.showcase_count:
            continue
        if result.submission.enterprise_id in enterprises:
            continue
        chosen.append(result)
        enterprises.add(result.submission.enterprise_id)
        per_category[category.pk] += 1
    with transaction.atomic():
        Showcase.objects.filter(event=event).delete()
        rows = Showcase.objects.bulk_create(
            [
                Showcase(
                    event=event,
                    submission_id=r.submission_id,
                    order=i,
                    reason=f"按评选结果推荐：{r.submission.category.name}第{r.rank_in_category}名",
                )
                for i, r in enumerate(chosen, start=1)
            ]
        )
        record_audit(
            actor=user,
            action="showcase.propose",
            event=event,
            details={"entries": [r.submission.code for r in chosen]},
        )
    return rows


def add_to_showcase(*, event: Event, code: str, user=None) -> Showcase:
    """Add one entry to the end of the showcase."""
    submission = Submission.objects.filter(event=event, code=code.strip()).first()
    if submission is None:
        raise AwardError(_("本活动没有编号为 %(code)s 的成果。") % {"code": code})
    if Showcase.objects.filter(event=event, submission=submission).exists():
        raise AwardError(_("%(code)s 已在大会展示名单中。") % {"code": submission.code})
    last = Showcase.objects.filter(event=event).order_by("-order").first()
    with transaction.atomic():
        row = Showcase.objects.create(
            event=event, submission=submission, order=(last.order + 1) if last else 1
        )
        record_audit(actor=user, action="showcase.add", event=event, target=submission.code)
    return row


def remove_from_showcase(*, showcase: Showcase, user=None) -> None:
    with transaction.atomic():
        record_audit(
            actor=user, action="showcase.remove", event=showcase.event,
            target=showcase.submission.code,
        )  # fmt: skip
        showcase.delete()
