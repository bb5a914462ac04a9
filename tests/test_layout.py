"""The tests mirror the code: a folder of tests per room, named after it, so that a change to
flows/publish/ is checked by tests/flows/publish/ and a stale test folder cannot outlive its code.

tests/extractors/ is one folder for the four rooms of extractors/ (its case tables are per fact
kind, see test_case_tables.py); tests/corpus/ runs the whole extraction on annotated sets;
tests/schemas/ checks the published tables' contracts; tests/benchmarks/ the benchmark corpus.

The code's layout says what it does too: each sub-package's docstring names every module in
it, and only the agreed modules sit at the top of `extractors/` and `flows/` (issue 12).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from tests.conftest import ROOT

TESTS = ROOT / "tests"
PACKAGES = ("extractors", "flows", "schemas", "benchmarks")


def _subpackages(package: str) -> list[str]:
    return sorted(
        p.name for p in (ROOT / package).iterdir() if (p / "__init__.py").is_file()
    )


def _test_modules(folder: Path) -> list[Path]:
    return sorted(folder.glob("test_*.py"))


@pytest.mark.parametrize("package", PACKAGES)
def test_every_package_has_its_test_folder(package):
    assert _test_modules(TESTS / package), f"no tests/{package}/test_*.py"


@pytest.mark.parametrize("room", _subpackages("flows"))
def test_every_room_of_flows_has_its_test_folder(room):
    folder = TESTS / "flows" / room
    assert (folder / "__init__.py").is_file() and _test_modules(folder), f"tests/flows/{room}/"


def test_no_test_folder_outlives_its_code():
    for folder in (TESTS / "flows").iterdir():
        if folder.is_dir() and (folder / "__init__.py").is_file():
            assert (ROOT / "flows" / folder.name / "__init__.py").is_file(), folder


def test_top_level_flow_tests_are_named_after_their_module():
    # tests/flows/test_cli.py checks flows/cli.py, and so on.
    for module in _test_modules(TESTS / "flows"):
        assert (ROOT / "flows" / module.name.removeprefix("test_")).is_file(), module.name


def test_the_corpus_tests_have_their_folder():
    assert {"test_golden.py", "test_heldout.py", "test_realdev.py", "test_spans.py"} <= {
        p.name for p in _test_modules(TESTS / "corpus")
    }


SUBPACKAGES = sorted(p.parent for p in [*ROOT.glob("extractors/*/__init__.py"),
                                        *ROOT.glob("flows/*/__init__.py")])
TOP = {
    "extractors": {"__init__.py", "types.py", "records.py"},
    "flows": {"__init__.py", "cli.py", "show.py", "evaluate.py", "settings.py", "errors.py"},
}


@pytest.mark.parametrize("package", SUBPACKAGES, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_the_docstring_names_every_module(package):
    doc = ast.get_docstring(ast.parse((package / "__init__.py").read_text(encoding="utf-8")))
    assert doc, f"{package.name}/__init__.py has no docstring"
    named = lambda stem: f"`{stem}`" in doc or f"`{stem}.py`" in doc  # noqa: E731
    unnamed = [p.name for p in sorted(package.glob("*.py"))
               if p.name != "__init__.py" and not named(p.stem)]
    assert not unnamed, f"{package.relative_to(ROOT)}/__init__.py does not name {unnamed}"


@pytest.mark.parametrize("room", list(TOP))
def test_only_the_agreed_modules_sit_at_the_top(room):
    assert {p.name for p in (ROOT / room).glob("*.py")} == TOP[room]
