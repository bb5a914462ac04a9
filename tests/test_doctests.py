"""The examples in the code's docstrings run, as `--doctest-modules` would run them.

Only modules with an example (a line starting with `>>>`) are imported: importing every module
of flows/ for nothing would start Prefect's machinery and cost seconds. A module's examples
show what a function does on a French phrase; a wrong example is a failing test.
"""

from __future__ import annotations

import doctest
import importlib
import re

import pytest

from tests.conftest import ROOT

PACKAGES = ("extractors", "flows", "schemas")
EXAMPLE = re.compile(r"^\s*>>> ", re.MULTILINE)


def _modules_with_examples() -> list[str]:
    found = []
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            if EXAMPLE.search(path.read_text(encoding="utf-8")):
                parts = path.relative_to(ROOT).with_suffix("").parts
                found.append(".".join(parts).removesuffix(".__init__"))
    return found


MODULES = _modules_with_examples()


def test_the_code_shows_examples():
    # Guards the parametrisation below against a search that silently finds nothing.
    assert len(MODULES) >= 15
    assert {"extractors.text.phrases", "extractors.text.slug", "flows.fetch.relevance"} <= set(
        MODULES
    )


@pytest.mark.parametrize("name", MODULES)
def test_module_examples(name):
    module = importlib.import_module(name)
    tests = [t for t in doctest.DocTestFinder().find(module) if t.examples]
    assert tests, f"{name} has '>>>' lines that doctest does not find (not in a docstring?)"
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    report: list[str] = []
    for test in tests:
        runner.run(test, out=report.append)
    assert runner.failures == 0, "".join(report)
