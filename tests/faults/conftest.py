"""Fixtures of the fault tests: a Redis of the test's own and the Celery app pointed at it."""

import uuid

import pytest

from qcexchange import queueing
from tests.conftest import forget_connections, require_service
from tests.faults.services import ThrowawayRedis, redis_server_available


@pytest.fixture
def throwaway_redis(tmp_path):
    require_service("redis-server", redis_server_available(), "apt-get install redis-server")
    server = ThrowawayRedis(tmp_path)
    server.start()
    yield server
    server.stop()


@pytest.fixture
def broker(throwaway_redis, settings, _celery_eager):
    """Point the app (settings, cache and Celery) at the throwaway Redis; tasks really queue."""
    app = _celery_eager
    queue = f"faults-{uuid.uuid4().hex[:8]}"
    previous = (app.conf.broker_url, app.conf.task_default_queue)
    settings.REDIS_URL = throwaway_redis.url
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": throwaway_redis.url,
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        },
        "versions": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": throwaway_redis.url,
            "KEY_PREFIX": "v",
            "TIMEOUT": None,
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        },
    }
    app.conf.update(
        broker_url=throwaway_redis.url, task_always_eager=False, task_default_queue=queue
    )
    forget_connections(app)
    throwaway_redis.queue = queue
    yield throwaway_redis
    queueing._note_broker_up()  # the next test starts with a broker believed reachable
    app.conf.update(broker_url=previous[0], task_always_eager=True, task_default_queue=previous[1])
    forget_connections(app)


def pytest_collection_modifyitems(session, config, items):
    """Run the fault tests last: they repoint the in-process Celery app at brokers they stop,
    and a later real-broker test must not inherit what kombu keeps of them."""
    faults = [item for item in items if "tests/faults/" in item.nodeid]
    if faults:
        items[:] = [item for item in items if "tests/faults/" not in item.nodeid] + faults
