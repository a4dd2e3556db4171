"""Benchmark badges and check-in.

    python bench/bench_badges.py [--count 200] [--chunk 50] [--delegates 650] [--doors 20]
                                 [--scans 30] [--skip-checkin]

1. Rendering, in this process, both warmed up first as long-running Celery workers are:
   badges per second through the badge pipeline's chunk renderer (one A6 PDF per chunk,
   written to disk) against certificates per second through the certificate pipeline's
   chunk renderer (render, compact fonts, split per page, written to disk), same count and
   chunk size. Target: badges >= 0.8 x certificates.
2. Check-in: a fresh PostgreSQL database (DATABASE_URL, default
   postgres://postgres@127.0.0.1:5432/qcx_bench_badges) with `--delegates` delegates, one
   gunicorn worker, and `--doors` threads that each scan `--scans` distinct badges back to
   back through the check-in page (as htmx posts it). Prints check-ins per second and the
   median and p95 latency. Target: p95 < 100 ms with 20 doors.
"""

import argparse
import http.client
import os
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlencode, urlparse

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/qcx_bench_badges"
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))


def rendering(count: int, chunk: int) -> tuple[float, float]:
    """Return (badges per second, certificates per second)."""
    from bench_certificates import make_certificates

    from judging.documents import badges, certificates

    out = Path(tempfile.mkdtemp(prefix="bench-badges-"))
    seal = out / "seal.png"
    seal.write_bytes(certificates.seal_png("中国机械工业质量管理协会", centre="证书专用章"))
    certs = make_certificates(count, seal.as_uri())
    people = [
        badges.BadgeData(
            name=c.member or c.group[:4], organization=c.enterprise, kind="delegate",
            kind_label="代表", code=c.verify_code + "ABCD",
            event_name="机械工业第40次群众性质量管理成果、质量品牌故事交流活动",
        )
        for c in certs
    ]  # fmt: skip
    certificates.render_chunk(certs[:2])  # warm: fonts, stylesheet
    badges.render_badges(people[:2])

    started = time.perf_counter()
    for i in range(0, count, chunk):
        for n, data in enumerate(certificates.render_chunk(certs[i : i + chunk])):
            (out / f"c{i + n}.pdf").write_bytes(data)
    cert_seconds = time.perf_counter() - started

    started = time.perf_counter()
    for i in range(0, count, chunk):
        (out / f"b{i}.pdf").write_bytes(badges.render_badges(people[i : i + chunk]))
    badge_seconds = time.perf_counter() - started
    return count / badge_seconds, count / cert_seconds


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


def build(delegates: int):
    """Create an event, an organizer with a session, and the delegates; return what doors need."""
    import datetime as dt

    from django.contrib.auth import get_user_model
    from django.contrib.sessions.backends.db import SessionStore

    from events.models import Event
    from submissions.models import Delegate

    event = Event.objects.create(
        slug="bench-people", name="签到压测", start_date=dt.date(2021, 9, 23),
        end_date=dt.date(2021, 9, 25),
    )  # fmt: skip
    user = get_user_model().objects.create(username="bench-door")
    event.staff.add(user)
    session = SessionStore()
    session["_auth_user_id"] = str(user.pk)
    session["_auth_user_backend"] = "django.contrib.auth.backends.ModelBackend"
    session["_auth_user_hash"] = user.get_session_auth_hash()
    session.create()
    rows = [
        Delegate(event=event, name=f"代表{n}", organization=f"单位{n % 170}",
                 mobile=f"139{n:08d}")
        for n in range(delegates)
    ]  # fmt: skip
    Delegate.objects.bulk_create(rows)
    codes = list(Delegate.objects.filter(event=event).values_list("checkin_code", flat=True))
    return event.slug, session.session_key, codes


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


def door(port, slug, session_key, codes, latencies, failures, start):
    csrf = secrets.token_hex(16)
    headers = {
        "Content-Type": "application/x-www-form-urlencoded",
        "Cookie": f"sessionid={session_key}; csrftoken={csrf}",
        "X-CSRFToken": csrf,
        "HX-Request": "true",
    }
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    start.wait()
    for code in codes:
        body = urlencode({"code": code, "session": "plenary"})
        began = time.perf_counter()
        try:
            connection.request("POST", f"/orga/{slug}/checkin/", body=body, headers=headers)
            response = connection.getresponse()
            text = response.read().decode()
        except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
            connection.close()
            connection.request("POST", f"/orga/{slug}/checkin/", body=body, headers=headers)
            response = connection.getresponse()
            text = response.read().decode()
        latencies.append(time.perf_counter() - began)
        if response.status != 200 or 'data-status="ok"' not in text:
            failures.append((code, response.status))


def checkin(args) -> tuple[float, float, float, int]:
    url = os.environ.get("DATABASE_URL", DEFAULT_DB)
    ensure_database(url)
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
    }
    os.environ.update(env)
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
    slug, session_key, codes = build(args.delegates)
    port = free_port()
    server = subprocess.Popen(
        [str(Path(sys.executable).with_name("gunicorn")), "qcexchange.wsgi", "-c",
         str(ROOT / "gunicorn.conf.py"), "--bind", f"127.0.0.1:{port}", "--workers", "1",
         "--threads", "4", "--access-logfile", "/dev/null"],
        cwd=ROOT, env=env,
    )  # fmt: skip
    try:
        wait_for(port)
        latencies, failures = [], []
        start = threading.Event()
        share = [codes[i * args.scans : (i + 1) * args.scans] for i in range(args.doors)]
        threads = [
            threading.Thread(
                target=door, args=(port, slug, session_key, part, latencies, failures, start)
            )
            for part in share
        ]
        for thread in threads:
            thread.start()
        began = time.perf_counter()
        start.set()
        for thread in threads:
            thread.join()
        seconds = time.perf_counter() - began
    finally:
        server.terminate()
        server.wait(timeout=20)
    latencies.sort()
    p95 = latencies[max(0, int(len(latencies) * 0.95) - 1)]
    return len(latencies) / seconds, statistics.median(latencies), p95, len(failures)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=200)
    parser.add_argument("--chunk", type=int, default=50)
    parser.add_argument("--delegates", type=int, default=650)
    parser.add_argument("--doors", type=int, default=20)
    parser.add_argument("--scans", type=int, default=30)
    parser.add_argument("--skip-checkin", action="store_true")
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "qcexchange.settings")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    if args.skip_checkin:
        import django

        django.setup()
    else:
        rate, median, p95, failed = checkin(args)
        print(f"check-in: {rate:.0f}/s on one gunicorn worker, {args.doors} doors; "
              f"median {median * 1000:.0f} ms, p95 {p95 * 1000:.0f} ms "
              f"(target < 100 ms: {'ok' if p95 < 0.1 else 'MISSED'}); refused {failed}")  # fmt: skip
    badges_rate, certs_rate = rendering(args.count, args.chunk)
    ratio = badges_rate / certs_rate
    print(f"badges: {badges_rate:.1f}/s, certificates: {certs_rate:.1f}/s in the same run; "
          f"ratio {ratio:.2f} (target >= 0.8: {'ok' if ratio >= 0.8 else 'MISSED'})")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
