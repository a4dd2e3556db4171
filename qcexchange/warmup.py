"""Make a fresh web worker ready before its first request.

A new gunicorn worker (at start, and each time one is recycled after ``max_requests``) would
otherwise pay on its first requests for compiling templates, loading the translation
catalogues and building the URL resolver: about 0.3 s on this project's 2-core machine, which a
judge submitting a card or a chair polling the venue feels. ``warm_up`` does that work up
front; it touches no database, so it is safe in any process.
"""

import logging
import time
from pathlib import Path

from django.conf import settings
from django.template import engines
from django.urls import get_resolver
from django.utils import formats, translation

logger = logging.getLogger(__name__)


def project_templates() -> list[str]:
    """Return the names of the project's own templates (templates/ and the apps' folders)."""
    roots = [Path(settings.BASE_DIR) / "templates"]
    roots += [
        Path(settings.BASE_DIR) / app / "templates" for app in ("events", "submissions", "judging")
    ]
    names = set()
    for root in roots:
        if root.is_dir():
            names.update(
                path.relative_to(root).as_posix()
                for path in root.rglob("*")
                if path.suffix in {".html", ".txt", ".xml", ".svg"} and path.is_file()
            )
    return sorted(names)


def _reverse_lookups(resolver) -> None:
    """Build the reverse look-ups of the resolver and of every namespace under it (a page's
    first ``{% url %}`` would otherwise normalise every pattern's regex)."""
    resolver.reverse_dict  # noqa: B018
    for _prefix, namespace in resolver.namespace_dict.values():
        _reverse_lookups(namespace)


def warm_up() -> dict:
    """Compile every project template, load the catalogues, the language formats, the context
    processors and the URL resolver with its reverse look-ups; return counts."""
    began = time.monotonic()
    engine = engines["django"]
    compiled = 0
    for name in project_templates():
        engine.get_template(name)
        compiled += 1
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            translation.gettext("活动")
            formats.get_format("DATE_FORMAT")  # imports the language's format module
    engine.engine.template_context_processors  # noqa: B018 — imports the context processors
    resolver = get_resolver()
    resolver.url_patterns  # noqa: B018 — builds the resolver and imports every view
    _reverse_lookups(resolver)
    seconds = time.monotonic() - began
    logger.info("worker warmed up: %d templates in %.2f s", compiled, seconds)
    return {"templates": compiled, "seconds": seconds}
