"""The conference report: gather the event's figures, render the PDF in a Celery job."""

from __future__ import annotations

from collections import defaultdict

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from events.models import Event
from judging.documents import report
from judging.documents.services import awarded_entries
from judging.enums import Decision, JobKind, JobStatus, RunStatus, SeatRole
from judging.models import AwardRun, PanelSeat, RenderJob, Result, Showcase, VenueAssignment
from judging.people import selectors as people_selectors
from qcexchange.queueing import BROKER_DOWN_MESSAGE, enqueue
from submissions.enums import Status, TopicType
from submissions.models import Member, Submission

PARTICIPATING = (Status.ADMITTED, Status.RETURNED)
DOCUMENT_LANGUAGE = "zh-hans"


def _results_run(event: Event):
    publication = getattr(event, "publication", None)
    if publication is not None:
        return publication.run, publication
    run = AwardRun.objects.filter(event=event, status=RunStatus.DONE).first()
    return run, None


def report_context(*, event: Event) -> dict:
    """Return everything the report prints, as plain values and SVG strings."""
    participating = list(
        Submission.objects.filter(event=event, status__in=PARTICIPATING)
        .select_related("category", "enterprise")
        .order_by("category__order", "code")
    )
    # The teams' results (成果) are counted apart from the nominations for honours (推荐材料).
    entries = [e for e in participating if not e.category.is_nomination]
    nominations = len(participating) - len(entries)
    categories = list(event.categories.order_by("order", "pk"))
    topic_names = dict(TopicType.choices)
    members = Member.objects.filter(submission__in=[e.pk for e in entries]).count()
    participation = {
        "by_category": report.count_by(e.category.name for e in entries),
        "by_topic": report.count_by(
            str(topic_names.get(e.topic_type, "")) for e in entries if e.category.kind == "qc"
        ),
        "by_province": report.count_by(e.enterprise.province for e in entries),
        "by_industry": report.count_by(e.enterprise.industry for e in entries),
        "enterprises": len({e.enterprise_id for e in entries}),
        "entries": len(entries),
        "members": members,
        "nominations": nominations,
    }
    charts = {
        "category": report.bar_chart_svg(participation["by_category"], title="各类别成果数"),
        "province": report.bar_chart_svg(
            participation["by_province"][:15], title="各省份成果数（前15）", colour="#2e8b57"
        ),
        "industry": report.bar_chart_svg(
            participation["by_industry"][:12], title="各行业成果数（前12）", colour="#d68910"
        ),
    }
    venue_of = {
        a.submission_id: a.venue
        for a in VenueAssignment.objects.filter(venue__event=event).select_related("venue")
    }
    seats = defaultdict(list)
    for seat in (
        PanelSeat.objects.filter(venue__event=event)
        .select_related("judge")
        .order_by("venue__number", "role", "judge__code")
    ):
        seats[seat.venue_id].append(seat)
    venues = []
    for venue in event.venues.select_related("category").order_by("number"):
        panel = seats.get(venue.pk, [])
        venues.append(
            {
                "venue": venue,
                "entries": sum(1 for v in venue_of.values() if v.pk == venue.pk),
                "chair": ", ".join(s.judge.name for s in panel if s.role == SeatRole.CHAIR),
                "judges": "、".join(s.judge.name for s in panel if s.role != SeatRole.CHAIR),
                "judge_count": len(panel),
            }
        )
    run, publication = _results_run(event)
    results_section = None
    if run is not None:
        results = list(
            Result.objects.filter(run=run)
            .select_related(
                "submission__enterprise",
                "submission__category",
                "submission__recommender",
                "venue",
            )
            .order_by("submission__category__order", "rank_in_category", "submission__code")
        )
        # Committee overrides count once results are published; before, the computed ones.
        awards = awarded_entries(event=event) if publication else {}

        def decision(result):
            award = awards.get(result.submission_id)
            return award.decision if award else result.decision

        per_category = []
        for category in categories:
            rows = [r for r in results if r.submission.category_id == category.pk]
            ranked = [r for r in rows if decision(r) not in (Decision.EXCLUDED,)]
            winners = [r for r in ranked if decision(r) in (Decision.BENCHMARK, Decision.TIER)]
            scores = [r.final_score for r in ranked if r.final_score is not None]
            per_category.append(
                {
                    "category": category,
                    "entries": len(ranked),
                    "benchmarks": len(winners),
                    "rate": report.percent(len(winners), len(ranked)),
                    "stats": report.score_stats(scores),
                    "histogram": report.column_chart_svg(
                        report.histogram(scores),
                        title=f"{category.name}得分分布",
                        x_label="得分区间",
                        y_label="成果数",
                    ),
                    "winners": winners,
                }
            )
        by_venue = defaultdict(list)
        for r in results:
            venue = r.venue or venue_of.get(r.submission_id)
            if venue is not None and r.final_score is not None:
                by_venue[venue].append(r)
        venue_stats = [
            {
                "venue": venue,
                "stats": report.score_stats([r.final_score for r in rows]),
                "benchmarks": sum(
                    1 for r in rows if decision(r) in (Decision.BENCHMARK, Decision.TIER)
                ),
            }
            for venue, rows in sorted(by_venue.items(), key=lambda item: item[0].number)
        ]
        mean_chart = report.bar_chart_svg(
            [(v["venue"].name, v["stats"].mean) for v in venue_stats],
            title="各分会场平均分",
            colour="#7d3c98",
            baseline=report.axis_floor(v["stats"].mean for v in venue_stats),
        )
        results_section = {
            "per_category": per_category,
            "honours": honour_lists(per_category),
            "venue_stats": venue_stats,
            "venue_chart": mean_chart,
            "total_benchmarks": sum(
                c["benchmarks"] for c in per_category if not c["category"].is_nomination
            ),
            "is_final": bool(publication and publication.is_final),
        }
    showcase = list(
        Showcase.objects.filter(event=event)
        .select_related("submission__enterprise", "submission__category", "commenting_judge")
        .order_by("order")
    )
    sections = [
        {"title": s.title, "paragraphs": report.paragraphs(s.body)}
        for s in event.report_sections.order_by("order", "pk")
    ]
    return {
        "event": event,
        "organizers": [line for line in event.organizers.splitlines() if line.strip()],
        "co_organizers": [line for line in event.co_organizers.splitlines() if line.strip()],
        "plenary": list(event.plenary_items.order_by("order", "pk")),
        "participation": participation,
        "people": people_selectors.participation_of(event),
        "attendance": people_selectors.attendance(event),
        "charts": charts,
        "venues": venues,
        "judge_total": sum(v["judge_count"] for v in venues),
        "results": results_section,
        "showcase": showcase,
        "sections": sections,
        "generated_at": timezone.now(),
    }


def honour_lists(per_category: list[dict]) -> list[dict]:
    """Return per honour category (organizations, persons, craftsmen) the honoured, in rank
    order: the person's name (blank for an organization), organization, position, recommender."""
    return [
        {
            "category": c["category"],
            "rows": [
                {
                    "name": r.submission.nominee_name,
                    "organization": r.submission.enterprise.name,
                    "position": r.submission.nominee_position,
                    "recommender": r.submission.recommender.name
                    if r.submission.recommender
                    else "",
                }
                for r in c["winners"]
            ],
        }
        for c in per_category
        if c["category"].is_nomination
    ]


def render_report(*, event: Event, user=None) -> RenderJob:
    """Queue the report of an event; return the job a page polls."""
    with transaction.atomic():
        job = RenderJob.objects.create(
            event=event,
            kind=JobKind.REPORT,
            total=1,
            created_by=user if user and user.is_authenticated else None,
        )
        language = translation.get_language()
        transaction.on_commit(
            lambda: enqueue(
                "judging.render_report",
                kwargs={"job_id": job.pk, "language": language},
                on_deferred=lambda: RenderJob.objects.filter(pk=job.pk).update(
                    message=BROKER_DOWN_MESSAGE
                ),
            )
        )
    return job


def render_report_job(*, job_id: int) -> RenderJob:
    """Render the report of a job's event and store it as the job's output."""
    job = RenderJob.objects.select_related("event").get(pk=job_id)
    RenderJob.objects.filter(pk=job_id).update(status=JobStatus.RUNNING)
    with translation.override(DOCUMENT_LANGUAGE):  # the report is Chinese, whoever asks
        pdf = report.render_report_pdf(report_context(event=job.event))
    with transaction.atomic():
        job.output.save(f"{job.event.slug}-report.pdf", ContentFile(pdf), save=False)
        job.status, job.done, job.finished_at = JobStatus.DONE, 1, timezone.now()
        job.message = _("已生成总结报告（%(size)s KB）") % {"size": len(pdf) // 1024}
        job.save(update_fields=["output", "status", "done", "finished_at", "message"])
    return job


def latest_report(*, event: Event) -> RenderJob | None:
    """Return the newest finished report job of an event, or None."""
    return (
        RenderJob.objects.filter(event=event, kind=JobKind.REPORT, status=JobStatus.DONE)
        .exclude(output="")
        .order_by("-created_at", "-pk")
        .first()
    )
