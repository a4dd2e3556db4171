"""The house rules, checked by reading imports (ast), never by importing the code.

1. The apps import one way only: events <- submissions <- judging (design.md §2).
2. No package imports another in a circle. A package is a stage inside an app
   (judging.awards, submissions.services, ...: every module below it counts as the
   package); a module lying loose in an app (judging.rules, submissions.selectors) is a
   room of its own. Imports inside functions count.
3. Pure modules import nothing of Django but translation and ValidationError, and of the
   project only other pure modules: no ORM, no settings, no model, selector or service.
4. Only tasks modules import tasks modules: services queue work by the task's name
   (qcexchange.queueing.enqueue), tasks import services.

Each check is a function of a source root, so that the tests at the end can show it
failing on a small synthetic tree.
"""

import ast
from collections.abc import Iterable
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
APPS = ("events", "submissions", "judging")
FORBIDDEN = {"events": {"submissions", "judging"}, "submissions": {"judging"}}

# The packages the layout promises (docs/architecture.md); the graph finds them itself,
# this list only makes sure that a rename does not leave the circle check looking at nothing.
PACKAGES = {
    "judging.schedule",
    "judging.scoring",
    "judging.awards",
    "judging.documents",
    "judging.api",
    "judging.demo",
    "judging.models",
    "judging.management",
    "submissions.services",
    "submissions.views",
    "submissions.management",
}

PURE = (
    "judging/awards/decide.py",
    "judging/awards/fairness.py",
    "judging/awards/fairness_charts.py",
    "judging/awards/sampling.py",
    "judging/demo/catalogue.py",
    "judging/demo/creditcode.py",
    "judging/demo/names.py",
    "judging/demo/plan.py",
    "judging/schedule/plan.py",
    "judging/schedule/recusal_rules.py",
    "judging/schedule/reviewers.py",
    "judging/scoring/checks.py",
    "judging/scoring/judges_excel.py",
    "judging/scoring/panel_statistics.py",
    "judging/scoring/totals.py",
    "judging/setup/contest_defaults.py",
    "submissions/delegates_excel.py",
    "submissions/excel.py",
    "submissions/excel_template.py",
    "submissions/excel_writer.py",
    "submissions/filetypes.py",
    "submissions/nominations_excel.py",
    "submissions/validators.py",
)
# What of Django a pure module may use: words in the active language, a validation error.
PURE_MAY_IMPORT = ("django.utils.translation", "django.core.exceptions")


# Reading imports ---------------------------------------------------------------------------


def imported_top_packages(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return names


def modules(root: Path, apps: Iterable[str] = APPS) -> dict[str, Path]:
    """Return every module of the apps by dotted name (a package by its own name), migrations
    left out."""
    found = {}
    for app in apps:
        for path in sorted((root / app).rglob("*.py")):
            parts = list(path.relative_to(root).with_suffix("").parts)
            if "migrations" in parts:
                continue
            if parts[-1] == "__init__":
                parts.pop()
            found[".".join(parts)] = path
    return found


def imports_of(name: str, path: Path, known: dict[str, Path]) -> set[str]:
    """Return the dotted names a module imports, anywhere in it (functions included).

    Relative imports are resolved; ``from package import module`` names the module when it
    is one of ``known``, else the package.
    """
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    here = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = here[: len(here) - (node.level - 1)]
                source = ".".join(base + ([node.module] if node.module else []))
            else:
                source = node.module or ""
            for alias in node.names:
                candidate = f"{source}.{alias.name}"
                names.add(candidate if candidate in known else source)
    return names


def package_of(name: str, packages: set[str]) -> str:
    """Return the stage package a module belongs to, or the module itself when it is loose."""
    head = ".".join(name.split(".")[:2])
    return head if head in packages else name


def package_graph(root: Path, apps: Iterable[str] = APPS) -> dict[str, set[str]]:
    """Return which package imports which, inside the apps."""
    known = modules(root, apps)
    packages = {
        ".".join(name.split(".")[:2])
        for name, path in known.items()
        if path.name == "__init__.py" and name.count(".") >= 1
    }
    graph: dict[str, set[str]] = {}
    for name, path in known.items():
        source = package_of(name, packages)
        graph.setdefault(source, set())
        for imported in imports_of(name, path, known):
            if imported.split(".")[0] not in apps:
                continue
            target = package_of(imported, packages)
            if target != source:
                graph[source].add(target)
    return graph


def find_cycle(graph: dict[str, set[str]]) -> list[str]:
    """Return one circle of the graph as a path that ends where it starts, or []."""
    state: dict[str, str] = {}
    trail: list[str] = []

    def visit(node: str) -> list[str]:
        state[node] = "open"
        trail.append(node)
        for target in sorted(graph.get(node, ())):
            if state.get(target) == "open":
                return trail[trail.index(target) :] + [target]
            if target not in state:
                cycle = visit(target)
                if cycle:
                    return cycle
        state[node] = "done"
        trail.pop()
        return []

    for node in sorted(graph):
        if node not in state:
            cycle = visit(node)
            if cycle:
                return cycle
    return []


def impure_imports(root: Path, pure: Iterable[str], apps: Iterable[str] = APPS) -> list[str]:
    """Return what the pure modules import of Django (beyond translation) or of the project
    (beyond other pure modules)."""
    known = modules(root, apps)
    by_path = {path.relative_to(root).as_posix(): name for name, path in known.items()}
    pure_names = {by_path[p] for p in pure}
    found = []
    for relative in pure:
        name = by_path[relative]
        for imported in sorted(imports_of(name, root / relative, known)):
            top = imported.split(".")[0]
            if top in ("django", "celery"):
                if not imported.startswith(PURE_MAY_IMPORT):
                    found.append(f"{relative} imports {imported}")
            elif top in apps and imported not in pure_names:
                found.append(f"{relative} imports {imported}, which is not pure")
    return found


def is_tasks_module(name: str) -> bool:
    return name.split(".")[-1] == "tasks"


def tasks_imports(root: Path, apps: Iterable[str] = APPS) -> list[str]:
    """Return every import of a tasks module by a module that is not a tasks module."""
    known = modules(root, apps)
    return [
        f"{path.relative_to(root).as_posix()} imports {imported}"
        for name, path in known.items()
        if not is_tasks_module(name)
        for imported in sorted(imports_of(name, path, known))
        if is_tasks_module(imported) and imported.split(".")[0] in apps
    ]


# The rules on the project ------------------------------------------------------------------


@pytest.mark.parametrize("app", sorted(FORBIDDEN))
def test_lower_app_never_imports_higher_app(app):
    offenders = []
    for path in sorted((ROOT / app).rglob("*.py")):
        bad = imported_top_packages(path) & FORBIDDEN[app]
        if bad:
            offenders.append(f"{path.relative_to(ROOT)} imports {', '.join(sorted(bad))}")
    assert offenders == []


def test_the_stage_packages_are_where_the_layout_says():
    assert PACKAGES <= set(package_graph(ROOT))


def test_no_package_imports_another_in_a_circle():
    cycle = find_cycle(package_graph(ROOT))
    assert cycle == [], "import circle: " + " -> ".join(cycle)


def test_pure_modules_import_no_orm_settings_model_or_service():
    assert impure_imports(ROOT, PURE) == []


def test_only_tasks_modules_import_tasks_modules():
    """Services (and views, selectors, ...) queue by task name; tasks import services."""
    assert tasks_imports(ROOT) == []


# The checks themselves fail on a bad tree --------------------------------------------------


def write(root: Path, files: dict[str, str]) -> Path:
    for relative, text in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


CLEAN = {
    "judging/__init__.py": "",
    "judging/rules.py": "",
    "judging/models/__init__.py": "",
    "judging/awards/__init__.py": "",
    "judging/awards/decide.py": "from decimal import Decimal\n",
    "judging/awards/services.py": (
        "from judging.awards import decide\nfrom judging.models import AwardRun\n"
        "from qcexchange.queueing import enqueue\n"
    ),
    "judging/awards/tasks.py": "from judging.awards import services\n",
    "judging/scoring/__init__.py": "",
    "judging/scoring/totals.py": "from django.utils.translation import gettext as _\n",
    "judging/scoring/services.py": "from judging.rules import can_score\n",
}


def test_layering_check_detects_an_upward_import(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text("def f():\n    from judging.models import Scorecard\n", encoding="utf-8")
    assert imported_top_packages(sample) == {"judging"}


def test_the_checks_pass_a_clean_tree(tmp_path):
    root = write(tmp_path, CLEAN)
    assert find_cycle(package_graph(root)) == []
    pure = ["judging/awards/decide.py", "judging/scoring/totals.py"]
    assert impure_imports(root, pure) == []
    assert tasks_imports(root) == []


def test_circle_check_finds_a_circle_through_a_function_level_import(tmp_path):
    root = write(
        tmp_path,
        {
            **CLEAN,
            "judging/scoring/services.py": "def f():\n    from judging.awards import services\n",
            "judging/awards/services.py": "from judging.scoring.services import f\n",
        },
    )
    assert find_cycle(package_graph(root)) == [
        "judging.awards",
        "judging.scoring",
        "judging.awards",
    ]


def test_circle_check_finds_a_circle_through_a_relative_import(tmp_path):
    root = write(
        tmp_path,
        {
            **CLEAN,
            "judging/rules.py": "from .awards import services\n",
            "judging/awards/services.py": "from judging import rules\n",
        },
    )
    assert find_cycle(package_graph(root)) == ["judging.awards", "judging.rules", "judging.awards"]


@pytest.mark.parametrize(
    "line, offence",
    [
        ("from django.db import models\n", "imports django.db"),
        ("from django.conf import settings\n", "imports django.conf"),
        (
            "def f():\n    from judging.models import AwardRun\n",
            "judging.models, which is not pure",
        ),
        ("from . import services\n", "judging.awards.services, which is not pure"),
    ],
)
def test_purity_check_finds_an_orm_settings_model_or_service_import(tmp_path, line, offence):
    root = write(tmp_path, {**CLEAN, "judging/awards/decide.py": line})
    found = impure_imports(root, ["judging/awards/decide.py"])
    assert len(found) == 1 and offence in found[0]


@pytest.mark.parametrize(
    "line",
    [
        "from judging.awards.tasks import task_execute_award_run\n",
        "def f():\n    from . import tasks\n",
        "import judging.awards.tasks\n",
    ],
)
def test_tasks_check_finds_a_service_importing_a_tasks_module(tmp_path, line):
    root = write(tmp_path, {**CLEAN, "judging/awards/services.py": line})
    assert tasks_imports(root) == ["judging/awards/services.py imports judging.awards.tasks"]
