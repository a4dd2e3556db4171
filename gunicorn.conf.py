"""gunicorn settings for the web service; every value can be overridden by the environment."""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", str(multiprocessing.cpu_count() * 2 + 1)))
threads = int(os.environ.get("GUNICORN_THREADS", "2"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
graceful_timeout = 30
keepalive = 5
# The workers' heartbeat files on tmpfs: a container's overlay disk can stall them.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None
# Trust X-Forwarded-* only from the proxy in front (compose: any container of the network).
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "2000"))
max_requests_jitter = 200
accesslog = "-"
errorlog = "-"
access_log_format = 'method=%(m)s path="%(U)s" status=%(s)s duration_ms=%(M)s bytes=%(B)s'


def post_worker_init(worker):
    """Compile templates and load catalogues before the worker takes its first request."""
    from qcexchange.warmup import warm_up

    warm_up()
