"""The Celery application: configured from Django settings (CELERY_* names)."""

import os
from pathlib import Path

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "qcexchange.settings")

app = Celery("qcexchange")
app.config_from_object("django.conf:settings", namespace="CELERY")


def task_packages() -> list[str]:
    """Return every package of the project's apps that keeps a ``tasks.py``.

    Stage packages hold their own tasks (``judging/awards/tasks.py``), which Celery's
    default discovery, one ``tasks`` module per app, would not find.
    """
    from django.apps import apps
    from django.conf import settings

    base = Path(settings.BASE_DIR)
    packages = []
    for config in apps.get_app_configs():
        root = Path(config.path)
        if not root.is_relative_to(base):
            continue
        for tasks_file in sorted(root.rglob("tasks.py")):
            relative = tasks_file.parent.relative_to(base)
            packages.append(".".join(relative.parts))
    return packages


app.autodiscover_tasks(task_packages)
