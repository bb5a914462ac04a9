"""What gets installed is what was tested: pyproject.toml, the lock files and the imports agree.

- every dependency of pyproject.toml (runtime and test extras) is pinned in the lock, at a
  version inside its range, with hashes; the runtime lock is the test lock minus the test tools;
- every third-party module that the project imports comes from a declared distribution (a
  module that only arrives transitively breaks the day that dependency changes, or with a pip
  that resolves differently);
- the environment running the tests has the locked versions, pip included.
"""

from __future__ import annotations

import ast
import re
import subprocess
import sys
import tomllib
import zipfile
from functools import cache
from importlib import metadata
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from tests.conftest import ROOT

PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
RUNTIME = [Requirement(r) for r in PYPROJECT["project"]["dependencies"]]
TEST_TOOLS = [Requirement(r) for r in PYPROJECT["project"]["optional-dependencies"]["test"]]
OWN = {"extractors", "flows", "schemas", "tests", "benchmarks", "scripts"}

# Declared although no module imports them, each for a reason stated here.
NOT_IMPORTED = {
    "fastapi": "caps the version Prefect's server runs with",
    "dask": "the range `--task-runner dask` was tested with (prefect-dask imports it)",
    "lxml-html-clean": "trafilatura's justext imports lxml.html.clean; a pip before 24 does not "
    "install it through justext's `lxml[html_clean]` extra",
    "pytest-timeout": "a pytest plugin, loaded by pytest",
    "pytest-xdist": "a pytest plugin, loaded by pytest (`make test` runs the suite in two "
    "processes)",
    "pip-audit": "a command, run by `make audit` (scripts/audit.py runs it as a module)",
    "ruff": "a command, run by `make lint`",
    "import-linter": "a command, run by `make lint`",
}


class Pin:
    def __init__(self, entry: str):
        self.requirement = Requirement(entry.split("\\")[0].strip())
        self.name = canonicalize_name(self.requirement.name)
        self.version = next(iter(self.requirement.specifier)).version
        self.hashes = entry.count("--hash=sha256:")
        self.applies = self.requirement.marker is None or self.requirement.marker.evaluate()


@cache
def lock(name: str) -> dict[str, Pin]:
    """`requirements*.lock`: one entry per package, continuation lines joined."""
    text = (ROOT / name).read_text(encoding="utf-8")
    entries, current = [], ""
    for line in text.splitlines():
        if line.startswith("#") or line.lstrip().startswith("#") or not line.strip():
            continue
        if not line.startswith(" ") and current:
            entries.append(current)
            current = ""
        current += " " + line.strip()
    entries.append(current)
    pins = [Pin(e.strip()) for e in entries if e.strip()]
    return {pin.name: pin for pin in pins}


LOCKS = {"requirements.lock": RUNTIME, "requirements-test.lock": RUNTIME + TEST_TOOLS}


@pytest.mark.parametrize(("lock_file", "requirement"),
                         [(f, r) for f, reqs in LOCKS.items() for r in reqs], ids=str)
def test_every_declared_dependency_is_locked_inside_its_range(lock_file, requirement):
    pins = lock(lock_file)
    name = canonicalize_name(requirement.name)
    assert name in pins, f"{name} is not in {lock_file}: run `make lock`"
    assert requirement.specifier.contains(pins[name].version, prereleases=True), (
        f"{lock_file} pins {name}=={pins[name].version}, outside {requirement.specifier}: "
        "run `make lock`"
    )


@pytest.mark.parametrize("lock_file", [*LOCKS, "requirements-pip.lock"])
def test_every_pin_is_exact_and_hashed(lock_file):
    for pin in lock(lock_file).values():
        assert str(pin.requirement.specifier).startswith("=="), pin.name
        assert pin.hashes >= 1, f"{pin.name} has no hash"


def test_the_runtime_lock_is_the_test_lock_without_the_test_tools():
    runtime, full = lock("requirements.lock"), lock("requirements-test.lock")
    differing = {n: (p.version, full[n].version) for n, p in runtime.items()
                 if n not in full or full[n].version != p.version}
    assert not differing, differing
    # Some test dependencies (packaging, pillow, psutil) are also needed by the runtime's own
    # dependencies; the tools themselves must not be.
    tools = {"pytest", "hypothesis", "ruff", "import-linter", "playwright", "fpdf2"}
    assert not tools & set(runtime), "test tools in the runtime lock"


def test_the_build_backend_is_pinned_exactly():
    requires = [Requirement(r) for r in PYPROJECT["build-system"]["requires"]]
    assert requires and all(str(r.specifier).startswith("==") for r in requires), requires


def test_this_environment_has_the_locked_versions():
    """Run from a venv built by `make test`; a hand-upgraded package shows up here."""
    full = lock("requirements-test.lock") | lock("requirements-pip.lock")
    wrong = {}
    for name, pin in full.items():
        if not pin.applies:
            continue
        try:
            installed = metadata.version(name)
        except metadata.PackageNotFoundError:
            installed = None
        if installed != pin.version:
            wrong[name] = (pin.version, installed)
    assert not wrong, f"locked vs installed: {wrong}"


def imported_modules(folder: Path) -> dict[str, str]:
    """Top-level absolute imports (and pytest.importorskip) under `folder` → one file using it."""
    found = {}
    for path in sorted(folder.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            elif (isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "importorskip"
                  and node.args and isinstance(node.args[0], ast.Constant)):
                names = [node.args[0].value]
            else:
                continue
            for name in names:
                found.setdefault(name.split(".")[0], str(path.relative_to(ROOT)))
    return found


@cache
def packages_distributions() -> dict[str, list[str]]:
    return metadata.packages_distributions()


def third_party(modules: dict[str, str]) -> dict[str, str]:
    return {m: where for m, where in modules.items()
            if m not in sys.stdlib_module_names and m not in OWN and m != "__future__"}


def undeclared(modules: dict[str, str], declared: list[Requirement]) -> dict[str, str]:
    names = {canonicalize_name(r.name) for r in declared}
    providers = packages_distributions()
    missing = {}
    for module, where in third_party(modules).items():
        dists = {canonicalize_name(d) for d in providers.get(module, [])}
        if not dists & names:
            missing[module] = f"{where} (from {sorted(dists) or 'nothing installed'})"
    return missing


def test_the_project_imports_only_declared_runtime_dependencies():
    modules = {}
    for package in ("extractors", "flows", "schemas"):
        modules |= imported_modules(ROOT / package)
    assert not undeclared(modules, RUNTIME)


def test_the_spacy_model_is_a_declared_dependency():
    from extractors.text.nlp import MODEL

    assert not undeclared({MODEL: "extractors/text/nlp.py"}, RUNTIME)


def test_tests_benchmarks_and_scripts_import_only_declared_dependencies():
    modules = {}
    for folder in ("tests", "benchmarks", "scripts"):
        modules |= imported_modules(ROOT / folder)
    assert not undeclared(modules, RUNTIME + TEST_TOOLS)


def test_every_declared_dependency_is_imported_or_explains_why_not():
    modules = {}
    for folder in ("extractors", "flows", "schemas", "tests", "benchmarks", "scripts"):
        modules |= imported_modules(ROOT / folder)
    providers = packages_distributions()
    imported = {canonicalize_name(d) for m in third_party(modules) for d in providers.get(m, [])}
    from extractors.text.nlp import MODEL

    imported |= {canonicalize_name(d) for d in providers.get(MODEL, [])}
    unexplained = {canonicalize_name(r.name) for r in RUNTIME + TEST_TOOLS} - imported - set(
        NOT_IMPORTED)
    assert not unexplained



# Python warning classes as setuptools prints them (pip's own "WARNING:" lines are about the
# machine's index configuration, not about this project).
BUILD_WARNING = re.compile(r"\b[A-Z][a-z]+(?:[A-Z][a-z]+)*Warning\b|check\.warn")
DATA_SUFFIXES = {".json", ".csv", ".txt", ".gz", ".html", ".css"}


@pytest.mark.slow
def test_the_wheel_builds_without_a_warning_and_ships_every_data_file(tmp_path):
    built = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--disable-pip-version-check", "-v",
         "--wheel-dir", str(tmp_path), str(ROOT)],
        capture_output=True, text=True, timeout=900, cwd=tmp_path)
    assert built.returncode == 0, built.stderr[-3000:]
    warnings = [line.strip() for line in (built.stdout + built.stderr).splitlines()
                if BUILD_WARNING.search(line)]
    assert warnings == []
    (wheel,) = tmp_path.glob("cpts_facts-*.whl")
    shipped = set(zipfile.ZipFile(wheel).namelist())
    data = {p.relative_to(ROOT).as_posix() for folder in ("extractors", "flows", "schemas")
            for p in (ROOT / folder).rglob("*")
            if p.is_file() and p.suffix in DATA_SUFFIXES and "__pycache__" not in p.parts}
    assert data and data <= shipped, sorted(data - shipped)
