"""Shared fixtures and the service-requirement helper."""

import contextlib
import os
import shutil
import socket
from pathlib import Path
from urllib.parse import urlparse

import pytest
from django.core.management import call_command
from django.test import override_settings

REQUIRE_SERVICES = os.environ.get("REQUIRE_SERVICES", "").lower() in {"1", "true", "yes"}
LC_MESSAGES = Path(__file__).resolve().parent.parent / "locale" / "en" / "LC_MESSAGES"


def tcp_reachable(host: str, port: int, timeout: float = 0.5) -> bool:
    try:
        with socket.create_connection((host, port), timeout=timeout):
            return True
    except OSError:
        return False


def require_service(name: str, reachable: bool, how: str = "") -> None:
    """Skip the calling test when a service is missing, or fail when REQUIRE_SERVICES=1."""
    if reachable:
        return
    message = f"{name} is not available{': ' + how if how else ''}"
    if REQUIRE_SERVICES:
        pytest.fail(f"REQUIRE_SERVICES=1 but {message}")
    pytest.skip(message)


def redis_url() -> str:
    return os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/0"


def redis_reachable() -> bool:
    parsed = urlparse(redis_url())
    return tcp_reachable(parsed.hostname or "127.0.0.1", parsed.port or 6379)


def postgres_reachable() -> bool:
    url = os.environ.get("DATABASE_URL") or "postgres://postgres@127.0.0.1:5432/postgres"
    parsed = urlparse(url)
    return tcp_reachable(parsed.hostname or "127.0.0.1", parsed.port or 5432)


@pytest.fixture
def needs_redis():
    require_service("Redis", redis_reachable(), "start redis-server or set REDIS_URL")
    return redis_url()


@pytest.fixture
def needs_postgres():
    require_service("PostgreSQL", postgres_reachable(), "start PostgreSQL or set DATABASE_URL")


@pytest.fixture(scope="session")
def compiled_locale(tmp_path_factory) -> Path:
    """Compile the committed .po into a fresh folder, so no stale .mo is ever tested."""
    root = tmp_path_factory.mktemp("i18n")
    shutil.copytree(LC_MESSAGES.parent.parent, root / "locale")
    with contextlib.chdir(root), override_settings(LOCALE_PATHS=[root / "locale"]):
        call_command("compilemessages", locale=["en"], verbosity=0)
    assert (root / "locale" / "en" / "LC_MESSAGES" / "django.mo").exists()
    return root / "locale"


@pytest.fixture
def english_catalogue(settings, compiled_locale):
    """Serve the freshly compiled catalogue (changing LOCALE_PATHS resets Django's caches)."""
    settings.LOCALE_PATHS = [compiled_locale]


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    """Keep uploaded and generated files of each test in its own folder."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.AXES_ENABLED = False
    settings.QCX_PUBLIC_CACHE_SECONDS = 0  # tests see each change at once
    # A cache of its own per test: a page fragment cached by one test under an event's pk
    # must not be served to a later test whose event got the same pk (SQLite reuses them).
    settings.CACHES = {
        name: {**config, "KEY_PREFIX": f"test-{tmp_path.name}"}
        for name, config in settings.CACHES.items()
    }
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def _celery_eager():
    """Run Celery tasks in-process in tests; tests of a real worker opt out themselves."""
    from qcexchange.celery import app

    previous = app.conf.task_always_eager, app.conf.task_eager_propagates
    app.conf.task_always_eager = True
    app.conf.task_eager_propagates = True
    yield app
    app.conf.task_always_eager, app.conf.task_eager_propagates = previous


@pytest.fixture(autouse=True)
def _default_language():
    """Start every test in the default language and leave none active after it.

    A request through the test client activates its language in this thread and Django
    keeps it after the response: a later test would read English where it expects Chinese.
    """
    from django.utils import translation

    translation.deactivate()
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Hash test passwords quickly; the real hasher is deliberately slow (~0.3 s a password)."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def forget_connections(app) -> None:
    """Make the Celery app open new broker connections and route to the current default queue.

    A test that repoints the app (broker or default queue) calls it on the way in and out, so
    no later test inherits the kept producer pool, queues or router.
    """
    app._pool = None
    app.__dict__.pop("amqp", None)  # its producer pool, queues and router, made anew
