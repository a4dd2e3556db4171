"""Production operations: error reporting only when configured, JSON logs, the compose shape."""

import json
import os
import subprocess
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent


def run_python(code: str, **env: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in {"SENTRY_DSN", "LOG_FORMAT"}}
    return subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        cwd=ROOT, capture_output=True, text=True, timeout=60,
        env={**clean, "DJANGO_SETTINGS_MODULE": "qcexchange.settings", **env},
    )  # fmt: skip


def test_error_reporting_is_off_without_sentry_dsn():
    result = run_python("import sentry_sdk; print(sentry_sdk.get_client().is_active())")
    assert result.stdout.strip() == "False", result.stderr


def test_error_reporting_starts_with_sentry_dsn_and_sends_no_personal_data():
    result = run_python(
        "import sentry_sdk; c = sentry_sdk.get_client();"
        "print(c.is_active(), c.dsn, c.options['send_default_pii'])",
        SENTRY_DSN="http://publickey@127.0.0.1:9/1",
    )
    assert result.stdout.split() == ["True", "http://publickey@127.0.0.1:9/1", "False"]


def test_logs_are_one_json_object_per_line_with_log_format_json():
    result = run_python(
        "import logging; logging.getLogger('qcexchange.queue').warning("
        "'task kept %s', 'x', extra={'job_id': 7})",
        LOG_FORMAT="json",
    )
    record = json.loads(result.stderr.strip().splitlines()[-1])
    assert (record["level"], record["logger"], record["message"], record["job_id"]) == (
        "WARNING",
        "qcexchange.queue",
        "task kept x",
        7,
    )


def test_compose_services_restart_check_health_and_keep_their_data():
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    services = compose["services"]
    assert set(services) == {"postgres", "redis", "web", "worker", "beat"}
    assert {name for name, s in services.items() if s["restart"] == "unless-stopped"} == set(
        services
    )
    assert {name for name, s in services.items() if "healthcheck" in s} == {
        "postgres",
        "redis",
        "web",
        "worker",
    }
    assert "pgdata:/var/lib/postgresql/data" in services["postgres"]["volumes"]
    for name in ("web", "worker"):
        assert "media:/data/media" in services[name]["volumes"]
        assert services[name]["depends_on"]["postgres"]["condition"] == "service_healthy"
    worker = services["worker"]
    # scalable with `--scale worker=N`: no fixed name, no published port
    assert "container_name" not in worker and "ports" not in worker
    assert "noeviction" in services["redis"]["command"]
