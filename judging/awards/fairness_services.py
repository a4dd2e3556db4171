"""The stored fairness report of an award run: request it, compute it in a task, judge it current.

Building the report takes seconds on a large event, so no page builds it: a run that finishes,
an override saved or withdrawn and the organizer's button queue ``task_compute_fairness_report``
(in-process without a broker). The stored copy carries a fingerprint of what it describes; the
page compares it with the current one and marks a report that no longer matches.
"""

from __future__ import annotations

import hashlib
import json
from decimal import Decimal
from types import SimpleNamespace

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from events.models import Category
from events.services import record_audit
from judging.awards.computing import rules_payload
from judging.awards.fairness import FairnessReport, fairness_report
from judging.awards.fairness_charts import histogram_svg, leniency_svg
from judging.awards.fairness_selectors import load_fairness_input
from judging.awards.selectors import active_overrides
from judging.enums import Decision, JobStatus, RunStatus
from judging.models import AwardRun, RunFairness, ScoreSheet
from qcexchange.collector import cyclic_gc_paused
from qcexchange.queueing import BROKER_DOWN_MESSAGE, enqueue

# Raise when the report's content or its arithmetic changes, so stored copies count as stale.
REPORT_VERSION = 3


def fairness_basis(run: AwardRun) -> str:
    """Return the fingerprint of what a fairness report of ``run`` describes.

    The run (its digest), the committee's standing overrides, the categories' rules and phase
    weights and the outlier setting: the report changes with any of them.
    """
    event = run.event
    categories = list(Category.objects.filter(event=event).order_by("pk"))
    payload = {
        "version": REPORT_VERSION,
        "run": run.pk,
        "digest": run.digest,
        "overrides": sorted(
            [o.submission_id, o.decision, o.tier] for o in active_overrides(event).values()
        ),
        "rules": [[c.pk, rules_payload(c)] for c in categories],
        "sheets": [
            [pk, category_id, topic_type, phase, str(weight)]
            for pk, category_id, topic_type, phase, weight in ScoreSheet.objects.filter(event=event)
            .order_by("pk")
            .values_list("pk", "category_id", "topic_type", "phase", "weight")
        ],
        "mad": str(event.outlier_mad_multiple),
    }
    text = json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def request_fairness_report(*, run: AwardRun, user=None) -> RunFairness:
    """Mark the run's report as wanted and queue its computation after the commit."""
    now = timezone.now()
    with transaction.atomic():
        report, created = RunFairness.objects.select_for_update().get_or_create(
            run=run, defaults={"requested_at": now}
        )
        if not created:
            report.status = JobStatus.PENDING
            report.requested_at = now
            report.message = ""
            report.save(update_fields=["status", "requested_at", "message"])
        if user is not None:
            record_audit(
                actor=user, action="fairness.request", event=run.event, target=f"AwardRun #{run.pk}"
            )
        transaction.on_commit(
            lambda: enqueue(
                "judging.compute_fairness_report",
                kwargs={"run_id": run.pk},
                on_deferred=lambda: RunFairness.objects.filter(pk=report.pk).update(
                    message=BROKER_DOWN_MESSAGE
                ),
            )
        )
    return report


def build_fairness_report(run: AwardRun, *, resamples: int = 200) -> FairnessReport:
    """Return the fairness report of a finished run: load its rows, compute (pure)."""
    with cyclic_gc_paused():
        return fairness_report(load_fairness_input(run), resamples=resamples)


def compute_fairness_report(*, run_id: int) -> RunFairness | None:
    """Build and store the run's fairness report, unless the stored one is already current."""
    run = AwardRun.objects.select_related("event").get(pk=run_id)
    if run.status != RunStatus.DONE:
        return None
    report, _ = RunFairness.objects.get_or_create(
        run=run, defaults={"requested_at": timezone.now()}
    )
    basis = fairness_basis(run)
    if report.status == JobStatus.DONE and report.basis == basis:
        return report  # a task queued twice, or by several overrides saved together
    started = timezone.now()
    RunFairness.objects.filter(pk=report.pk).update(status=JobStatus.RUNNING, started_at=started)
    try:
        data = build_fairness_report(run).as_json()
    except Exception as exc:
        RunFairness.objects.filter(pk=report.pk).update(
            status=JobStatus.FAILED, message=f"公平性报告计算失败：{exc}"[:2000]
        )
        raise
    RunFairness.objects.filter(pk=report.pk).update(
        data=data, basis=basis, computed_at=timezone.now(), message=""
    )
    # A request that came in meanwhile keeps it pending: its own task computes again.
    RunFairness.objects.filter(pk=report.pk, requested_at__lte=started).update(
        status=JobStatus.DONE
    )
    report.refresh_from_db()
    return report


def fairness_state(run: AwardRun, stored: RunFairness | None = None) -> dict:
    """Return the stored report's row (without its content unless given) and whether it is stale.

    This is all the polled status needs; the page adds the report itself.
    """
    if stored is None:
        stored = RunFairness.objects.filter(run=run).defer("data").first()
    stale = bool(stored and stored.computed_at and stored.basis != fairness_basis(run))
    return {"stored": stored, "stale": stale}


def fairness_page(run: AwardRun) -> dict:
    """Return what the fairness page shows: the stored report, whether it is current, labels."""
    stored = RunFairness.objects.filter(run=run).first()
    state = fairness_state(run, stored)
    report = None
    if stored and stored.computed_at:
        report = stored.data
        for venue in report.get("venues", []):
            _draw(venue)
        for category in report.get("categories", []):
            category["rule_counts"] = [
                (_label(label, params), chosen, differing)
                for label, chosen, differing, params in category["rule_counts"]
            ]
            for flip in category["corrected_flips"] + category["plain_flips"]:
                flip["decision_label"] = Decision(flip["decision"]).label
                flip["alternative_label"] = Decision(flip["alternative_decision"]).label
    return {**state, "report": report}


def _label(message: str, params: dict) -> str:
    """Translate a label the report stored untranslated, in the reader's language."""
    return gettext(message) % params if params else gettext(message)


def _draw(venue: dict) -> None:
    """Draw a stored venue's pictures, their titles in the reader's language."""
    name = venue["name"]
    scores = [Decimal(score) for score in venue["scores"]]
    leniency = [
        SimpleNamespace(**{**row, "mean_deviation": Decimal(row["mean_deviation"])})
        for row in venue["leniency"]
    ]
    venue["histogram_svg"] = histogram_svg(
        scores, title=gettext("%(venue)s得分分布") % {"venue": name}
    )
    venue["leniency_svg"] = leniency_svg(
        leniency, title=gettext("%(venue)s评委宽严") % {"venue": name}
    )
