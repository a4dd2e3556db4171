"""Time the fairness report on events shaped like the demo (scale 1) and ten times larger.

Run from the repository root: python bench/bench_fairness.py [--scales 1 10] [--repeat 3]

The events are built as in bench_awards.py (7 QC venues, 2 trusted-team venues, 1 brand-story
venue, 7 judges each, a recusal now and then; at scale K every venue has K times the entries),
one award run is computed, then this prints the report's build time (best of --repeat), the
background task that stores it, and the organizer page that shows the stored copy: its time
and SQL queries, which no longer grow with the event; the bootstrap's resamples and seed;
the seconds per card against the first scale of the run, and scale 10 against its 1.5 s target.
"""

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ["QCX_VAR_DIR"] = tempfile.mkdtemp(prefix="bench-fairness-")
os.environ.pop("DATABASE_URL", None)
os.environ.pop("REDIS_URL", None)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "qcexchange.settings")
os.environ.setdefault("LOG_LEVEL", "WARNING")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402

from judging.awards.fairness_services import (  # noqa: E402
    build_fairness_report,  # noqa: E402
    compute_fairness_report,
    request_fairness_report,
)
from judging.awards.services import execute_award_run  # noqa: E402
from judging.models import AwardRun, RunFairness, Scorecard  # noqa: E402
from tests.factories import UserFactory  # noqa: E402
from tests.judging.scored_event import build_scored_event  # noqa: E402

COUNTS = {"qc": 155, "team": 71, "story": 18}


def build(scale: int):
    kinds = (
        ("qc", "QC成果", 0, tuple(n * scale for n in (45, 44, 44, 44, 44, 44, 44))),
        ("team", "质量信得过班组", 0, tuple(n * scale for n in (58, 57))),
        ("story", "质量品牌故事", 0, (124 * scale,)),
    )
    event = build_scored_event(
        slug=f"fair-{scale}", kinds=kinds, judges_per_venue=7, recusal_every=23, seed=scale
    )
    for category in event.categories.all():
        category.quota_count = COUNTS[category.kind]
        category.quota_scope = "category"
        category.quota_percent = None
        category.save()
    return event


def best_of(repeat: int, fn) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scales", type=int, nargs="+", default=[1, 10])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    settings.ALLOWED_HOSTS = ["*"]
    user = UserFactory(username="bench-organizer")
    baseline = None
    for scale in args.scales:
        event = build(scale)
        event.staff.add(user)
        entries = event.submissions.count()
        cards = Scorecard.objects.filter(submission__event=event).count()
        run = execute_award_run(run_id=AwardRun.objects.create(event=event).pk)
        build_time = best_of(args.repeat, lambda run=run: build_fairness_report(run))
        request_fairness_report(run=run)  # eager: computes in-process at once
        started = time.perf_counter()
        RunFairness.objects.filter(run=run).update(status="pending")
        compute_fairness_report(run_id=run.pk)
        task_time = time.perf_counter() - started
        client = Client()
        client.force_login(user)
        url = reverse("awards:fairness", args=[event.slug])
        client.get(url)
        with CaptureQueriesContext(connection) as ctx:
            page_time = best_of(args.repeat, lambda url=url, client=client: client.get(url))
        queries = len(ctx.captured_queries) // args.repeat
        print(
            f"scale {scale:>2}: {entries:>5} entries, {cards:>6} cards; "
            f"fairness report built in {build_time:.2f} s (best of {args.repeat}), "
            f"stored by the task in {task_time:.2f} s; "
            f"page from the stored report {page_time * 1000:.0f} ms, {queries} SQL queries"
        )
        bootstrap = build_fairness_report(run).bootstrap
        print(
            f"  bootstrap: {bootstrap['resamples']} of {bootstrap['resamples_asked']} resamples "
            f"over {bootstrap['cards']} cards, seeded by {bootstrap['seed']}"
        )
        if baseline is None:
            baseline = (scale, build_time / cards)
        else:
            print(
                f"  seconds per card vs scale {baseline[0]} in this run: ratio "
                f"{build_time / cards / baseline[1]:.2f}"
            )
        if scale == 10:
            print(
                f"  scale 10: {build_time:.2f} s / 1.5 s target = {build_time / 1.5:.2f} "
                f"({'met' if build_time < 1.5 else 'NOT met'})"
            )


if __name__ == "__main__":
    main()
