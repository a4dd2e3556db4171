"""A fresh web worker compiles every template before its first request."""

import runpy
from pathlib import Path

from django.template import engines
from django.urls import get_resolver

from qcexchange.warmup import project_templates, warm_up

ROOT = Path(__file__).resolve().parent.parent


def cached_names() -> set[str]:
    loader = engines["django"].engine.template_loaders[0]
    return {
        template.origin.template_name
        for template in loader.get_template_cache.values()
        if hasattr(template, "origin")
    }


def test_warm_up_compiles_every_project_template():
    names = project_templates()
    assert "judging/chair/_matrix.html" in names and "base.html" in names
    engines["django"].engine.template_loaders[0].reset()
    assert "judging/chair/_matrix.html" not in cached_names()

    done = warm_up()

    assert done["templates"] == len(names)
    assert set(names) <= cached_names()
    # The first {% url %} of a page finds the reverse look-ups built, in every namespace.
    judging = get_resolver().namespace_dict["judging"][1]
    assert judging._populated and judging.reverse_dict.getlist("chair_matrix")


def test_gunicorn_warms_each_worker_up():
    conf = runpy.run_path(str(ROOT / "gunicorn.conf.py"))
    engines["django"].engine.template_loaders[0].reset()
    conf["post_worker_init"](worker=None)
    assert "judging/chair/_matrix.html" in cached_names()
