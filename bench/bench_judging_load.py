"""Judging day under load: 70 judges (10 venues × 7) submit scorecards at once to gunicorn.

With ``--think 0`` (saturation) the same judges also send bare idempotent row writes
(bench/bare_write.py: one INSERT ... ON CONFLICT DO NOTHING behind the same session and
middleware) to the same gunicorn, as many requests as the cards. The cards go in rounds
(``--rounds``, 3), each between a bare-write run of as many requests before it and after it,
and the run prints each round's submits per second against its own bare writes per second
and the median of the rounds (the target: a ratio >= 0.25), so that the machine's drift in
speed over a run (large on a shared virtual machine) falls on both sides of a ratio alike.

Builds a fresh judged event in PostgreSQL (DATABASE_URL, default
postgres://postgres@127.0.0.1:5432/qcx_bench), starts gunicorn on it, and lets one thread per
judge submit every card of its venue through the JSON API, each card sent twice at once with the
same client id, as a tablet retrying before the first answer arrives would. Prints the median
and p95 latency of a submit and the cards stored per second, then checks that every card is
stored exactly once and the ledger verifies.

By default each judge pauses a random 0-6 s between cards (a judging day compressed about a
hundredfold: in reality a card per judge every ten minutes); ``--think 0`` sends back to back
and measures the most cards per second the server takes.

    python bench/bench_judging_load.py [--entries-per-venue 24] [--workers CPUS] [--think 3]
"""

import argparse
import http.client
import json
import os
import random
import secrets
import socket
import statistics
import subprocess
import sys
import threading
import time
import uuid
from decimal import Decimal
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/qcx_bench"
VENUES, JUDGES_PER_VENUE = 10, 7
POINTS = {"B1": "12", "B2": "25", "B3": "16.5", "B4": "17", "B5": "4", "B6": "8"}


def ensure_database(url: str) -> None:
    import psycopg2

    parsed = urlparse(url)
    name = parsed.path.lstrip("/")
    admin = psycopg2.connect(
        host=parsed.hostname, port=parsed.port or 5432, user=parsed.username, dbname="postgres"
    )
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        cursor.execute(f'CREATE DATABASE "{name}"')
    admin.close()


def build_event(entries_per_venue: int):
    """Create the event, 10 venues × 7 judges with sessions, entries in running order."""
    import datetime as dt

    from django.contrib.auth import get_user_model
    from django.contrib.sessions.backends.db import SessionStore

    from events.models import Category, Event, Venue
    from judging.models import Judge, PanelSeat, ScoreItem, ScoreSheet, VenueAssignment
    from submissions.models import Enterprise, Submission

    event = Event.objects.create(
        slug="bench",
        name="压力测试活动",
        start_date=dt.date(2030, 9, 23),
        end_date=dt.date(2030, 9, 25),
    )
    category = Category.objects.create(
        event=event, kind="qc", name="QC成果", code_prefix="QC", honour="QC成果标杆"
    )
    sheet = ScoreSheet.objects.create(event=event, category=category, name="B")
    for order, (code, points) in enumerate(zip(POINTS, [15, 30, 20, 20, 5, 10], strict=True)):
        ScoreItem.objects.create(
            sheet=sheet, code=code, name=code, max_points=Decimal(points), order=order
        )
    enterprise = Enterprise.objects.create(name="压力测试有限公司", short_name="压测")
    User = get_user_model()
    judges = []  # (judge id, session key, [entry ids])
    for v in range(1, VENUES + 1):
        venue = Venue.objects.create(
            event=event, category=category, number=v, name=f"第{v}分会场", day=event.start_date
        )
        entries = []
        for d in range(1, entries_per_venue + 1):
            entry = Submission.objects.create(
                event=event,
                category=category,
                code=f"QC-{v:02d}{d:02d}",
                enterprise=enterprise,
                group_name=f"小组{v}-{d}",
                title=f"课题{v}-{d}",
                status="admitted",
            )
            VenueAssignment.objects.create(submission=entry, venue=venue, draw_number=d)
            entries.append(entry.pk)
        for j in range(JUDGES_PER_VENUE):
            user = User.objects.create(username=f"bench-j{v:02d}{j}")
            judge = Judge.objects.create(
                event=event, code=f"J{v:02d}{j}", user=user, name=f"评委{v}-{j}"
            )
            PanelSeat.objects.create(judge=judge, venue=venue, role="chair" if j == 0 else "member")
            session = SessionStore()
            session["_auth_user_id"] = str(user.pk)
            session["_auth_user_backend"] = "django.contrib.auth.backends.ModelBackend"
            session["_auth_user_hash"] = user.get_session_auth_hash()
            session.create()
            judges.append((judge.pk, session.session_key, entries))
    return event, judges


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(port: int, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            connection.request("GET", "/healthz")
            connection.getresponse().read()
            return
        except OSError:
            time.sleep(0.2)
    raise SystemExit("gunicorn did not start")


def judge_thread(
    port,
    session_key,
    entries,
    latencies,
    failures,
    start,
    think,
    seed,
    path="/api/judge/scorecards/",
):
    """Submit every card of the venue; each one twice at the same moment on two connections,
    as a tablet that retries before the first answer arrives would. Between cards the judge
    thinks for a random 0..2×think seconds (think=0: back to back)."""
    rng = random.Random(seed)
    csrf = secrets.token_hex(16)
    headers = {
        "Content-Type": "application/json",
        "Cookie": f"sessionid={session_key}; csrftoken={csrf}",
        "X-CSRFToken": csrf,
        "X-Card-Source": "tablet",
    }
    connections = [http.client.HTTPConnection("127.0.0.1", port, timeout=120) for _ in range(2)]

    def send(index, body):
        # A connection the server closed while idle is reopened and the request sent again,
        # as a tablet would: the client id makes the resend harmless.
        try:
            connections[index].request("POST", path, body=body, headers=headers)
        except (BrokenPipeError, ConnectionResetError):
            connections[index].close()
            connections[index].request("POST", path, body=body, headers=headers)

    def receive(index, body):
        try:
            response = connections[index].getresponse()
        except (http.client.RemoteDisconnected, ConnectionResetError):
            connections[index].close()
            send(index, body)
            response = connections[index].getresponse()
        response.read()
        return response.status

    start.wait()
    for entry in entries:
        if think:
            time.sleep(rng.uniform(0, 2 * think))
        body = json.dumps({"submission": entry, "client_id": str(uuid.uuid4()), "points": POINTS})
        began = time.perf_counter()
        for index in range(2):
            send(index, body)
        statuses = []
        for index in range(2):
            statuses.append(receive(index, body))
            latencies.append(time.perf_counter() - began)
        if not set(statuses) <= {200, 201}:
            failures.append((entry, statuses))
    for connection in connections:
        connection.close()


def run_judges(port, judges, latencies, failures, think, path="/api/judge/scorecards/") -> float:
    """Let every judge send its cards (to ``path``) at once; return the wall time in seconds."""
    start = threading.Event()
    threads = [
        threading.Thread(
            target=judge_thread,
            args=(port, key, entries, latencies, failures, start, think, judge_id, path),
        )
        for judge_id, key, entries in judges
    ]
    for thread in threads:
        thread.start()
    began = time.perf_counter()
    start.set()
    for thread in threads:
        thread.join()
    return time.perf_counter() - began


def count_bare_rows() -> int:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM bench_bare_write")
        return cursor.fetchone()[0]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    # 24 entries a venue (a real venue has 30-45): 1,680 cards, three rounds of 560; with 8
    # and one baseline for the whole run, the ratio swung between 0.18 and 0.28 from run to
    # run with the same code.
    parser.add_argument("--entries-per-venue", type=int, default=24)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2)
    parser.add_argument(
        "--rounds", type=int, default=3, help="saturated: rounds of cards, each with its baseline"
    )
    parser.add_argument(
        "--think",
        type=float,
        default=3.0,
        help="mean seconds a judge takes between cards (0: saturate the server)",
    )
    parser.add_argument("--port", type=int, default=0, help="gunicorn's port (default: a free one)")
    args = parser.parse_args()
    url = os.environ.get("DATABASE_URL", DEFAULT_DB)
    try:
        ensure_database(url)
    except Exception as exc:
        print(f"PostgreSQL not reachable at {url}: {exc}")
        return 1
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "DJANGO_SECRET_KEY": "bench-" + secrets.token_hex(16),
        "DJANGO_DEBUG": "0",
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "QCX_MANIFEST_STATIC": "0",
        "AXES_ENABLED": "0",
        "REDIS_URL": "",
        "LOG_LEVEL": "WARNING",
        "DJANGO_SETTINGS_MODULE": "bench.bare_write_settings",
        "GUNICORN_MAX_REQUESTS": "0",  # no worker restart in the middle of a measure
    }
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from django.db import connection

    from bench.bare_write import CREATE

    with connection.cursor() as cursor:
        cursor.execute(CREATE)
    event, judges = build_event(args.entries_per_venue)
    expected = len(judges) * args.entries_per_venue
    port = args.port or free_port()
    server = subprocess.Popen(
        [
            str(Path(sys.executable).with_name("gunicorn")),
            "qcexchange.wsgi",
            "-c",
            str(ROOT / "gunicorn.conf.py"),
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(args.workers),
            "--threads",
            "4",
            "--access-logfile",
            "/dev/null",
        ],
        cwd=ROOT,
        env=env,
    )
    try:
        wait_for(port)
        bare_rate, bare_elapsed, bare_failures, rounds = None, 0.0, [], []
        saturate = args.think == 0
        latencies, failures, elapsed = [], [], 0.0
        # Saturated, the cards go in rounds, each between a bare-write baseline of its own
        # cards before and after: the machine's speed drifts, and a ratio taken from phases
        # minutes apart drifts with it.
        for part in range(args.rounds if saturate else 1):
            share = [(j, key, entries[part :: args.rounds]) for j, key, entries in judges]
            if not saturate:
                share = judges
            if saturate:
                before = run_judges(port, share, [], bare_failures, 0, "/bench/bare-write/")
            took = run_judges(port, share, latencies, failures, args.think)
            elapsed += took
            if saturate:
                after = run_judges(port, share, [], bare_failures, 0, "/bench/bare-write/")
                bare_elapsed += before + after
                rounds.append((before + after) / 2 / took)
        if saturate:
            rows = count_bare_rows()
            bare_rate = rows / bare_elapsed
            if bare_failures or rows != 2 * expected:
                print(
                    f"bare write baseline FAILED: {bare_failures[:3]}, rows {rows}/{2 * expected}"
                )
                return 1
    finally:
        server.terminate()
        server.wait(timeout=30)

    from django.db.models import Count

    from judging.models import LedgerEntry, Scorecard
    from judging.scoring.ledger import verify_ledger

    cards = Scorecard.objects.filter(judge__event=event, status="submitted")
    doubles = cards.values("judge", "submission").annotate(n=Count("pk")).filter(n__gt=1).count()
    stored = cards.count()
    ledger = LedgerEntry.objects.filter(event=event).count()
    check = verify_ledger(event)
    ordered = sorted(latencies)
    p95 = ordered[int(len(ordered) * 0.95) - 1]
    print(
        f"judges {len(judges)} ({VENUES} venues × {JUDGES_PER_VENUE}), cards expected {expected}, "
        f"requests {len(latencies)} (each card sent twice at once), gunicorn workers {args.workers}, "
        f"think {args.think:g} s between a judge's cards"
    )
    print(f"submit latency median {statistics.median(ordered) * 1000:.1f} ms")
    print(f"submit latency p95    {p95 * 1000:.1f} ms (target < 200 ms)")
    print(f"cards per second      {stored / elapsed:.1f} ({elapsed:.1f} s wall time)")
    if bare_rate is not None:
        ratio = stored / elapsed / bare_rate
        print(
            f"bare idempotent write {bare_rate:.1f} rows per second (same run, before and after the submits)"
        )
        print(f"submits / bare write  {ratio:.2f} over the whole run")
        each = ", ".join(f"{r:.2f}" for r in rounds)
        median = statistics.median(rounds)
        print(
            f"submits / bare write  {median:.2f} median of {len(rounds)} rounds ({each}), each "
            f"against its own baseline (target >= 0.25: {'met' if median >= 0.25 else 'NOT met'})"
        )
    print(
        f"cards stored {stored}, doubles {doubles}, ledger entries {ledger}, "
        f"unexpected responses {len(failures)}, ledger verifies {check.ok}"
    )
    ok = stored == expected and doubles == 0 and ledger == expected and not failures and check.ok
    print("OK: every card stored exactly once" if ok else f"FAILED {failures[:5]} {check.problem}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
