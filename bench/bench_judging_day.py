"""Judging day under load: gunicorn + PostgreSQL + Redis on this machine, loopback only.

70 judges submit cards, 10 chairs poll their completeness matrix, 500 attendees read the
schedule and results pages, for a bounded time (--seconds, default 60). Then a short
capacity probe compares the results page's throughput with a static file's, served by the
same gunicorn. Prints median and p95 latency per endpoint, errors, requests per second.

    .venv/bin/python bench/bench_judging_day.py [--seconds 60] [--keep-db]

Needs PostgreSQL (BENCH_PG, default postgres://postgres@127.0.0.1:5432) with CREATEDB,
Redis (BENCH_REDIS, default redis://127.0.0.1:6379/14). The database qcx_bench (BENCH_DB) is dropped
and rebuilt with seed_demo and assign_venues; when the award commands exist, the demo is
scored, its awards computed and published first, and the cards the judges submit in the run
are cards their chairs returned for revision.
"""

import argparse
import html
import http.client
import json
import os
import random
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PG = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432")
REDIS = os.environ.get("BENCH_REDIS", "redis://127.0.0.1:6379/14")
DB = os.environ.get("BENCH_DB", "qcx_bench")  # a name of its own when another bench uses it
CSRF = "benchcsrf" + "0" * 23
SLUG = "cmqa-40"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def server_env(static_root: str) -> dict:
    return {
        **os.environ,
        "DATABASE_URL": f"{PG}/{DB}",
        "REDIS_URL": REDIS,
        "DJANGO_SECRET_KEY": "bench-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz",
        "DJANGO_DEBUG": "0",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "STATIC_ROOT": static_root,
        "LOG_LEVEL": "WARNING",
        "AXES_ENABLED": "0",
    }


def manage(env: dict, *args: str) -> str:
    result = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True
    )
    if result.returncode != 0:
        raise SystemExit(f"manage.py {' '.join(args)} failed:\n{result.stdout}{result.stderr}")
    return result.stdout


def prepare(env: dict) -> dict:
    """Build qcx_bench and return the sessions and cards of the load (in this process)."""
    admin = f"{PG}/postgres"
    subprocess.run(
        ["dropdb", "--if-exists", "--force", f"--maintenance-db={admin}", DB], check=True
    )
    subprocess.run(["createdb", f"--maintenance-db={admin}", DB], check=True)
    manage(env, "migrate", "--noinput", "-v", "0")
    manage(env, "collectstatic", "--noinput", "-v", "0")
    manage(env, "seed_demo")
    manage(env, "assign_venues", SLUG)
    os.environ.update({k: env[k] for k in ("DATABASE_URL", "DJANGO_SECRET_KEY", "STATIC_ROOT")})
    os.environ["DJANGO_SETTINGS_MODULE"] = "qcexchange.settings"
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import get_commands
    from django.urls import Resolver404, resolve

    try:
        resolve(f"/e/{SLUG}/results/")
        results_page = True
    except Resolver404:
        results_page = False
    published = results_page and "publish_results" in get_commands()
    if published:
        # No worker runs during the preparation: compute in-process, without the broker.
        local = {k: v for k, v in env.items() if k != "REDIS_URL"}
        manage(local, "seed_demo", "--scores")
        manage(local, "compute_awards", SLUG)
        manage(local, "publish_results", SLUG)
        reopen_for_revision()
    return load_plan(published=published)


def reopen_for_revision(per_judge: int = 30) -> None:
    """Unlock the venues and have each chair return cards, so judges submit them again."""
    from events.models import Event
    from judging.models import PanelSeat, Scorecard
    from judging.scoring.chairs import return_scorecard, unlock_venue
    from judging.scoring.selectors import venue_status

    event = Event.objects.get(slug=SLUG)
    organizer = event.staff.first()
    for seat in PanelSeat.objects.filter(venue__event=event, role="chair").select_related(
        "venue", "judge__user"
    ):
        if venue_status(seat.venue).is_locked:
            unlock_venue(venue=seat.venue, actor=organizer, reason="性能测试：重新评分")
        cards = Scorecard.objects.filter(submission__assignment__venue=seat.venue).order_by("pk")
        taken = defaultdict(int)
        for card in cards:
            if taken[card.judge_id] < per_judge:
                return_scorecard(card=card, actor=seat.judge.user, reason="性能测试：请复核")
                taken[card.judge_id] += 1


def load_plan(*, published: bool) -> dict:
    from django.test import Client

    from judging.enums import CardStatus
    from judging.models import PanelSeat, Recusal, Scorecard, VenueAssignment
    from judging.scoring.sheets import sheet_for

    def cookie(user) -> str:
        client = Client()
        client.force_login(user)
        return f"sessionid={client.cookies['sessionid'].value}; csrftoken={CSRF}"

    seats = list(
        PanelSeat.objects.filter(venue__event__slug=SLUG).select_related("judge__user", "venue")
    )
    recused = set(Recusal.objects.values_list("judge_id", "submission_id"))
    submitted = set(
        Scorecard.objects.filter(status=CardStatus.SUBMITTED).values_list(
            "judge_id", "submission_id"
        )
    )
    sheets = {}
    judges, chairs = [], []
    for seat in seats:
        cards = []
        assignments = VenueAssignment.objects.filter(venue=seat.venue).select_related("submission")
        if seat.venue.is_written:  # a written review: only the dossiers given to the expert
            assignments = assignments.filter(submission__review_assignments__judge=seat.judge)
        for assignment in assignments:
            entry = assignment.submission
            key = (seat.judge_id, entry.pk)
            if key in recused or key in submitted:
                continue
            sheet_key = (entry.category_id, entry.topic_type)
            if sheet_key not in sheets:
                sheet = sheet_for(entry)
                sheets[sheet_key] = {
                    item.code: str(item.max_points * 8 // 10) for item in sheet.items.all()
                }
            cards.append({"submission": entry.pk, "points": sheets[sheet_key]})
        judges.append({"cookie": cookie(seat.judge.user), "cards": cards, "venue": seat.venue_id})
        if seat.role == "chair":
            chairs.append({"cookie": cookie(seat.judge.user), "venue": seat.venue_id})
    return {"judges": judges, "chairs": chairs, "published": published}


class Recorder:
    def __init__(self):
        self.lock = threading.Lock()
        self.times = defaultdict(list)
        self.errors = defaultdict(int)
        self.samples = {}

    def request(self, port, name, method, path, body=None, headers=None, expect=(200,)):
        headers = dict(headers or {})
        if body is not None:
            body = json.dumps(body)
            headers["Content-Type"] = "application/json"
        started = time.perf_counter()
        status, detail = 0, ""
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            detail = response.read()
            status = response.status
            conn.close()
        except OSError as exc:
            detail = repr(exc)
        elapsed = time.perf_counter() - started
        with self.lock:
            if status in expect:
                self.times[name].append(elapsed)
            else:
                self.errors[name] += 1
                self.samples.setdefault(name, f"{status} {detail[:300]!r}")
        return status, detail


def judge_user(rec, port, judge, stop, pace):
    headers = {"Cookie": judge["cookie"], "X-CSRFToken": CSRF, "X-Card-Source": "tablet"}
    time.sleep(random.uniform(0, pace))
    for card in judge["cards"]:
        if stop.is_set():
            return
        page = f"/judge/venues/{judge['venue']}/"
        rec.request(port, "GET judge venue page (tablet)", "GET", page, headers=headers)
        body = {**card, "client_id": str(uuid.uuid4()), "comment": ""}
        rec.request(
            port, "POST /api/judge/scorecards/ (submit)", "POST", "/api/judge/scorecards/",
            body=body, headers=headers, expect=(201,),
        )  # fmt: skip
        stop.wait(random.uniform(0.5, 1.5) * pace)


POLL = re.compile(rb'id="matrix-poll"[^>]*hx-get="([^"]+)"')


def chair_user(rec, port, chair, stop, pace):
    """Open the chair's matrix, then poll it as htmx does: with the versions it was sent, so
    an unchanged matrix is a 204 and a changed one sends the rows that changed. The first
    load (a whole matrix) is counted apart from the polls."""
    headers = {"Cookie": chair["cookie"], "HX-Request": "true"}
    base = f"/judge/venues/{chair['venue']}/chair/matrix/"
    path, name = base, "GET chair matrix (first load)"
    while not stop.is_set():
        status, body = rec.request(port, name, "GET", path, headers=headers, expect=(200, 204))
        if status == 200:
            match = POLL.search(body)
            path = html.unescape(match.group(1).decode()) if match else base
            name = "GET chair matrix (poll)"
        stop.wait(pace)


def attendee(rec, port, stop, pace, results):
    pages = [("GET /e/cmqa-40/schedule/", f"/e/{SLUG}/schedule/")]
    if results:
        pages.append(("GET /e/cmqa-40/results/", f"/e/{SLUG}/results/"))
    stop.wait(random.uniform(0, pace))
    while not stop.is_set():
        name, path = random.choice(pages)
        rec.request(port, name, "GET", path)
        stop.wait(random.uniform(0.5, 1.5) * pace)


def capacity(port, path, seconds, threads=8) -> float:
    """Closed-loop requests per second of one path with a few threads."""
    rec, stop = Recorder(), threading.Event()

    def loop():
        while not stop.is_set():
            rec.request(port, path, "GET", path)

    workers = [threading.Thread(target=loop) for _ in range(threads)]
    started = time.perf_counter()
    for worker in workers:
        worker.start()
    time.sleep(seconds)
    stop.set()
    for worker in workers:
        worker.join()
    assert not rec.errors, rec.samples
    return len(rec.times[path]) / (time.perf_counter() - started)


def static_path(static_root: str) -> str:
    manifest = json.loads((Path(static_root) / "staticfiles.json").read_text())
    return "/static/" + manifest["paths"]["css/qcexchange.css"]


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--judges", type=int, default=70)
    parser.add_argument("--chairs", type=int, default=10)
    parser.add_argument("--attendees", type=int, default=500)
    # Paces: a card every 10 s per tablet packs a day's bursts at the end of each 10-minute
    # slot into one minute; chairs' matrices and the public schedule poll every 5 s and 30 s.
    parser.add_argument("--judge-pace", type=float, default=10.0, help="seconds between cards")
    parser.add_argument("--chair-pace", type=float, default=5.0, help="seconds between polls")
    parser.add_argument("--attendee-pace", type=float, default=30.0, help="seconds per page")
    parser.add_argument("--keep-db", action="store_true", help="leave qcx_bench in place")
    args = parser.parse_args()

    static_root = tempfile.mkdtemp(prefix="qcx-bench-static-")
    env = server_env(static_root)
    t0 = time.monotonic()
    plan = prepare(env)
    print(f"prepared {DB} in {time.monotonic() - t0:.0f} s: {len(plan['judges'])} judge seats, "
          f"{len(plan['chairs'])} chairs, results published: {plan['published']}")  # fmt: skip
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "qcexchange.wsgi:application",
         "--config", "gunicorn.conf.py", "--access-logfile", "/dev/null"],
        cwd=ROOT, env={**env, "GUNICORN_BIND": f"127.0.0.1:{port}"},
        start_new_session=True,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 120  # a loaded machine starts five workers slowly
        while time.monotonic() < deadline:
            try:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
                conn.request("GET", "/healthz")
                if conn.getresponse().status == 200:
                    break
            except OSError:
                time.sleep(0.2)
        else:
            raise SystemExit("gunicorn did not answer /healthz")
        run(args, port, plan, static_root)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(30)
        if not args.keep_db:
            subprocess.run(
                ["dropdb", "--if-exists", "--force", f"--maintenance-db={PG}/postgres", DB]
            )


def split_judges(seats: list[dict], count: int) -> list[dict]:
    """Return count tablets; when there are fewer seats, a judge's cards go to two tablets."""
    tablets = [dict(seat) for seat in seats[:count]]
    for index in range(count - len(tablets)):
        seat = tablets[index % len(seats)]
        half = len(seat["cards"]) // 2
        tablets.append({**seat, "cards": seat["cards"][half:]})
        seat["cards"] = seat["cards"][:half]
    return tablets


def run(args, port, plan, static_root):
    rec, stop = Recorder(), threading.Event()
    threads = []
    load_before = os.getloadavg()[0]
    judges = split_judges(plan["judges"], args.judges)
    for judge in judges:
        threads.append(threading.Thread(target=judge_user, args=(rec, port, judge, stop, args.judge_pace)))  # fmt: skip
    for chair in plan["chairs"][: args.chairs]:
        threads.append(threading.Thread(target=chair_user, args=(rec, port, chair, stop, args.chair_pace)))  # fmt: skip
    for _ in range(args.attendees):
        threads.append(threading.Thread(target=attendee, args=(rec, port, stop, args.attendee_pace, plan["published"])))  # fmt: skip
    threading.stack_size(256 * 1024)
    started = time.perf_counter()
    for thread in threads:
        thread.daemon = True
        thread.start()
    time.sleep(args.seconds)
    stop.set()
    for thread in threads:
        thread.join(35)
    elapsed = time.perf_counter() - started

    total = sum(len(v) for v in rec.times.values())
    errors = sum(rec.errors.values())
    print(f"\njudging day: {len(judges)} judges, {len(plan['chairs'][: args.chairs])} chairs, "
          f"{args.attendees} attendees, {elapsed:.0f} s on gunicorn (loopback)")  # fmt: skip
    print(f"{'endpoint':<42}{'requests':>9}{'median ms':>11}{'p95 ms':>9}{'errors':>8}")
    for name in sorted(set(rec.times) | set(rec.errors)):
        times = rec.times[name] or [0]
        print(f"{name:<42}{len(rec.times[name]):>9}{statistics.median(times) * 1000:>11.1f}"
              f"{percentile(times, 0.95) * 1000:>9.1f}{rec.errors[name]:>8}")  # fmt: skip
    print(f"load average (1 min) before {load_before:.1f}, after {os.getloadavg()[0]:.1f}; "
          f"{os.cpu_count()} cores")  # fmt: skip
    print(f"total: {total} requests, {total / elapsed:.1f} requests/s, errors {errors}")
    for name, sample in rec.samples.items():
        print(f"  first error of {name}: {sample}")

    page = f"/e/{SLUG}/results/" if plan["published"] else f"/e/{SLUG}/schedule/"
    static = static_path(static_root)
    page_rps = capacity(port, page, 5)
    static_rps = capacity(port, static, 5)
    ratio = page_rps / static_rps
    print(f"\ncapacity, 8 client threads, same server: {page} {page_rps:.0f} req/s, "
          f"static {static} {static_rps:.0f} req/s")  # fmt: skip
    polls = rec.times["GET chair matrix (poll)"] or [0]
    p95 = percentile(polls, 0.95) * 1000
    print("\ntargets (figures vary with the machine's load; the ratios are what count):")
    print(f"  results page / static file, same run: ratio {ratio:.2f} "
          f"(target >= 0.80: {'met' if ratio >= 0.8 else 'NOT met'})")  # fmt: skip
    print(f"  chair matrix poll p95 under the load: {p95:.1f} ms, ratio to the 50 ms target "
          f"{p95 / 50:.2f} (target < 1: {'met' if p95 < 50 else 'NOT met'})")  # fmt: skip
    if not plan["published"]:
        print("(no results page in this build: the schedule page stands in for it)")
    if errors:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
