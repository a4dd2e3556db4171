"""Real services for fault tests: a throwaway Redis, gunicorn and Celery worker processes."""

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import requests
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]
CSRF = "faultcsrf" + "0" * 23  # an unmasked 32-character CSRF secret, sent as cookie and header


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(predicate, timeout: float, what: str, every: float = 0.05):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(every)
    raise AssertionError(f"timed out waiting for {what}")


class ThrowawayRedis:
    """A redis-server of this test alone, on its own port, that the test stops and starts."""

    port_of_the_run = 0

    def __init__(self, log_dir: Path):
        # One port for the whole test run: the app's pooled broker connections (kombu keeps
        # some beyond our reach) then find the next test's server where they left the last.
        if not ThrowawayRedis.port_of_the_run:
            ThrowawayRedis.port_of_the_run = free_port()
        self.port = ThrowawayRedis.port_of_the_run
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.log_dir = log_dir
        self.process = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no", "--dir", str(self.log_dir)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
        )  # fmt: skip
        wait_for(self.ping, 10, "the throwaway Redis")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(10)
        self.process = None

    def ping(self) -> bool:
        import redis

        try:
            return redis.Redis.from_url(self.url, socket_connect_timeout=0.5).ping()
        except redis.RedisError:
            return False

    def queue_length(self, queue: str) -> int:
        import redis

        return redis.Redis.from_url(self.url).llen(queue)


def redis_server_available() -> bool:
    return shutil.which("redis-server") is not None


def shared_database_url() -> str | None:
    """Return a URL of the test database another process can open, or None for SQLite."""
    db = connection.settings_dict
    if "postgresql" not in db["ENGINE"]:
        return None
    auth = db["USER"] + (f":{db['PASSWORD']}" if db.get("PASSWORD") else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def service_env(**extra: str) -> dict:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"REDIS_URL", "DATABASE_URL", "DJANGO_SECRET_KEY", "DJANGO_DEBUG"}
    }
    env.update(
        PYTHONPATH=str(ROOT), DJANGO_SETTINGS_MODULE="qcexchange.settings", LOG_LEVEL="WARNING"
    )
    env.update(extra)
    return env


class Gunicorn:
    """The web app under gunicorn: one worker and one thread, so one database connection."""

    def __init__(self, env: dict, log: Path):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log = open(log, "w")  # noqa: SIM115
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "qcexchange.wsgi:application",
             "--config", "gunicorn.conf.py"],
            cwd=ROOT, stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True,
            env={**env, "GUNICORN_BIND": f"127.0.0.1:{self.port}", "GUNICORN_WORKERS": "1",
                 "GUNICORN_THREADS": "1"},
        )  # fmt: skip
        wait_for(self._up, 30, "gunicorn", every=0.2)

    def _up(self) -> bool:
        try:
            return requests.get(self.base + "/healthz", timeout=2).status_code == 200
        except requests.RequestException:
            return False

    def session_for(self, client, user) -> requests.Session:
        """Return an HTTP session signed in as the user (a session row in the shared database)."""
        client.force_login(user)
        http = requests.Session()
        http.cookies.set("sessionid", client.cookies["sessionid"].value)
        http.cookies.set("csrftoken", CSRF)
        http.headers.update({"X-CSRFToken": CSRF, "Referer": self.base + "/"})
        return http

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(20)
        self.log.close()


def start_worker(env: dict, queue: str, log) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "qcexchange", "worker", "-Q", queue, "-c", "1",
         "--pool", "prefork", "-l", "INFO", "--without-gossip", "--without-mingle",
         "--without-heartbeat"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
    )  # fmt: skip


def stop_process(process: subprocess.Popen | None, sig=signal.SIGTERM) -> None:
    if process is not None and process.poll() is None:
        os.killpg(process.pid, sig)
        process.wait(20)
