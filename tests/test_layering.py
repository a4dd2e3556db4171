"""The apps import one way only: events <- submissions <- judging (design.md §2)."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FORBIDDEN = {"events": {"submissions", "judging"}, "submissions": {"judging"}}


def imported_top_packages(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return names


@pytest.mark.parametrize("app", sorted(FORBIDDEN))
def test_lower_app_never_imports_higher_app(app):
    offenders = []
    for path in sorted((ROOT / app).rglob("*.py")):
        bad = imported_top_packages(path) & FORBIDDEN[app]
        if bad:
            offenders.append(f"{path.relative_to(ROOT)} imports {', '.join(sorted(bad))}")
    assert offenders == []


def test_layering_check_detects_an_upward_import(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text("def f():\n    from judging.models import Scorecard\n", encoding="utf-8")
    assert imported_top_packages(sample) == {"judging"}
