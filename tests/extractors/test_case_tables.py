"""Every registered extractor (extractors.EXTRACTORS) has its case table: a module
tests/extractors/test_<name>.py with CASES and NEGATIVE_CASES (French sentences and what they
must and must not give), XFAIL_CASES (known limits, each marked xfail) and BUGS_CAUGHT (the bugs
found so far, kept so they stay fixed), every row of which a parametrised test runs."""

from __future__ import annotations

import ast
import importlib
import inspect

import pytest

import extractors

TABLES = ("CASES", "NEGATIVE_CASES", "XFAIL_CASES", "BUGS_CAUGHT")
# Two tables must say something; the other two may be empty (no known limit, no bug yet).
NON_EMPTY = ("CASES", "NEGATIVE_CASES")
NAMES = [name for name, _ in extractors.EXTRACTORS]


def _case_module(name: str):
    return importlib.import_module(f"tests.extractors.test_{name}")


def _parametrised_rows(module) -> set[int]:
    """ids() of every row some test of `module` is parametrised with."""
    rows: set[int] = set()
    for _, function in inspect.getmembers(module, inspect.isfunction):
        if function.__name__.startswith("test"):
            for mark in getattr(function, "pytestmark", []):
                if mark.name == "parametrize":
                    rows |= {id(row) for row in mark.args[1]}
    return rows


@pytest.mark.parametrize("name", NAMES)
def test_every_extractor_has_its_case_table(name):
    module = _case_module(name)
    for table in TABLES:
        assert isinstance(getattr(module, table, None), list), f"test_{name}.py has no {table}"
    for table in NON_EMPTY:
        assert getattr(module, table), f"test_{name}.py: {table} is empty"


@pytest.mark.parametrize("name", NAMES)
def test_every_row_of_the_tables_runs(name):
    module = _case_module(name)
    run = _parametrised_rows(module)
    for table in TABLES:
        idle = [row for row in getattr(module, table) if id(row) not in run]
        assert idle == [], f"test_{name}.py: rows of {table} no test runs"


@pytest.mark.parametrize("name", NAMES)
def test_known_limits_are_marked_xfail(name):
    for row in _case_module(name).XFAIL_CASES:
        assert any(mark.name == "xfail" for mark in getattr(row, "marks", ())), row


@pytest.mark.parametrize("name", NAMES)
def test_the_table_exercises_its_extractor(name):
    # The module under test is imported by the table's module (not only reached through
    # extract_all), so the cases speak of this extractor.
    extract = dict(extractors.EXTRACTORS)[name]
    tree = ast.parse(inspect.getsource(_case_module(name)))
    imported = {
        f"{node.module}.{alias.name}"
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and node.module
        for alias in node.names
    } | {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import)
         for alias in node.names}
    assert extract.__module__ in imported or f"{extract.__module__}.extract" in imported
