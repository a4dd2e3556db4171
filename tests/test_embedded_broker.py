"""The embedded shape of `make run`: tasks go to a worker through files, not into the request."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PRINT_SETTINGS = (
    "import django, json; django.setup(); from django.conf import settings as s; "
    "print(json.dumps({'eager': s.CELERY_TASK_ALWAYS_EAGER, 'broker': s.CELERY_BROKER_URL, "
    "'options': s.CELERY_BROKER_TRANSPORT_OPTIONS, 'site': s.QCX_SITE_URL}))"
)


def settings_with(tmp_path, **env) -> dict:
    environ = {
        key: value
        for key, value in os.environ.items()
        if key not in {"REDIS_URL", "QCX_EMBEDDED_BROKER", "QCX_SITE_URL", "DATABASE_URL"}
    }
    environ.update(DJANGO_SETTINGS_MODULE="qcexchange.settings", QCX_VAR_DIR=str(tmp_path), **env)
    result = subprocess.run(
        [sys.executable, "-c", PRINT_SETTINGS],
        cwd=ROOT,
        env=environ,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_without_environment_tasks_run_in_the_request(tmp_path):
    found = settings_with(tmp_path)
    assert (found["eager"], found["broker"]) == (True, "memory://localhost/")
    assert found["site"] == "http://127.0.0.1:8000"


def test_make_run_sends_tasks_through_files_to_a_worker(tmp_path):
    found = settings_with(tmp_path, QCX_EMBEDDED_BROKER="1", QCX_SITE_URL="http://10.0.0.5:8080/")
    assert (found["eager"], found["broker"]) == (False, "filesystem://localhost/")
    queue = tmp_path / "broker" / "queue"
    assert found["options"]["data_folder_in"] == found["options"]["data_folder_out"] == str(queue)
    assert found["options"]["control_folder"] == str(tmp_path / "broker" / "control")
    assert queue.is_dir() and (tmp_path / "broker" / "processed").is_dir()
    assert found["site"] == "http://10.0.0.5:8080"


def test_redis_wins_over_the_embedded_broker(tmp_path):
    found = settings_with(tmp_path, QCX_EMBEDDED_BROKER="1", REDIS_URL="redis://127.0.0.1:6379/7")
    assert (found["eager"], found["broker"]) == (False, "redis://127.0.0.1:6379/7")


def test_makefile_run_starts_a_worker_and_passes_the_site_url():
    makefile = (ROOT / "Makefile").read_text()
    assert "RUN_ENV := QCX_EMBEDDED_BROKER=1 QCX_SITE_URL=http://$(HOST):$(PORT)" in makefile
    run = makefile.split("\nrun:", 1)[1].split("\n\n", 1)[0]
    assert "celery -A qcexchange worker" in run and "manage.py runserver" in run
