"""Time an award run on an event shaped like the demo (scale 1) and ten times larger.

Run from the repository root: python bench/bench_awards.py [--scales 1 10] [--scale 100]

The events are built straight through the ORM (bulk inserts, the demo's shape: 7 QC venues
of 45 and 44, 2 trusted-team venues of 58 and 57, 1 brand-story venue of 124, 7 judges per venue,
a recusal now and then, fixed counts 155/71/18 scaled), then the run is timed in-process.
Prints entries, cards, SQL queries, seconds, and the digest of a second identical run; then,
against the first scale of the same run as baseline, the ratios of queries (target 1.00),
of seconds per entry, and the targets: the award run under 30 s at any scale, the fairness
report under 1.5 s up to scale 10. --scale K runs scale 1 as the baseline, then K.
"""

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ["QCX_VAR_DIR"] = tempfile.mkdtemp(prefix="bench-awards-")
os.environ.pop("DATABASE_URL", None)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "qcexchange.settings")
os.environ.setdefault("LOG_LEVEL", "WARNING")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402

from judging.awards.fairness_services import build_fairness_report  # noqa: E402
from judging.awards.services import execute_award_run  # noqa: E402
from judging.models import AwardRun, Result, Scorecard  # noqa: E402
from tests.judging.scored_event import build_scored_event  # noqa: E402

COUNTS = {"qc": 155, "team": 71, "story": 18}


def build(scale: int):
    kinds = (
        ("qc", "QC成果", 0, (45, 44, 44, 44, 44, 44, 44) * scale),
        ("team", "质量信得过班组", 0, (58, 57) * scale),
        ("story", "质量品牌故事", 0, (124,) * scale),
    )
    event = build_scored_event(
        slug=f"bench-{scale}", kinds=kinds, judges_per_venue=7, recusal_every=23, seed=scale
    )
    for category in event.categories.all():
        category.quota_count = COUNTS[category.kind] * scale
        category.quota_scope = "category"
        category.quota_percent = None
        category.save()
    return event


class QueryCounter:
    """Count the statements sent, however many (connection.queries keeps only the last 9000)."""

    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


def timed_run(event):
    run = AwardRun.objects.create(event=event)
    counter = QueryCounter()
    started = time.perf_counter()
    with transaction.atomic():
        with connection.execute_wrapper(counter):
            run = execute_award_run(run_id=run.pk)
        seconds = time.perf_counter() - started
    # The fairness report the run queues is computed on commit, outside these figures
    # (bench_fairness.py times it)
    return run, seconds, counter.count


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scales", type=int, nargs="+", default=[1, 10])
    parser.add_argument("--scale", type=int, help="one scale, measured against scale 1")
    args = parser.parse_args()
    scales = [1, args.scale] if args.scale else args.scales
    call_command("migrate", verbosity=0)
    baseline = None
    for scale in scales:
        started = time.perf_counter()
        event = build(scale)
        built = time.perf_counter() - started
        entries = event.submissions.count()
        cards = Scorecard.objects.filter(submission__event=event).count()
        run, seconds, queries = timed_run(event)
        again, seconds2, _ = timed_run(event)
        chosen = Result.objects.filter(run=run, decision="benchmark").count()
        started = time.perf_counter()
        build_fairness_report(run)
        fairness = time.perf_counter() - started
        print(
            f"scale {scale:>2}: {entries:>5} entries, {cards:>6} cards (built in {built:.1f} s); "
            f"award run {seconds:.2f} s / {seconds2:.2f} s, {queries} SQL queries, "
            f"{chosen} benchmarks; same digest on re-run: {run.digest == again.digest}; "
            f"fairness report {fairness:.2f} s"
        )
        if baseline is None:
            baseline = (scale, entries, queries, seconds)
            continue
        base_scale, base_entries, base_queries, base_seconds = baseline
        per_entry = (seconds / entries) / (base_seconds / base_entries)
        print(
            f"  vs scale {base_scale} in this run: queries ratio {queries / base_queries:.2f} "
            f"(target 1.00: {'met' if queries == base_queries else 'NOT met'}); "
            f"seconds per entry ratio {per_entry:.2f}; award run {seconds:.2f} s / 30 s target "
            f"= {seconds / 30:.2f} ({'met' if seconds < 30 else 'NOT met'})"
        )
        if scale <= 10:
            print(
                f"  fairness report {fairness:.2f} s / 1.5 s target = {fairness / 1.5:.2f} "
                f"({'met' if fairness < 1.5 else 'NOT met'})"
            )


if __name__ == "__main__":
    main()
