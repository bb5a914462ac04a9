"""`make audit`: a verdict that counts what pip-audit really checked."""

from __future__ import annotations

import subprocess
import sys

import pytest

from scripts.audit import verdict
from tests.conftest import ROOT

SKIPPED = "Dependency not found on PyPI and could not be audited: pandas (2.3.3)"

# (pip-audit JSON report, exit code, words the last line must hold)
CASES = [
    pytest.param(
        {"dependencies": [{"name": "pandas", "version": "2.3.3", "vulns": []},
                          {"name": "httpx", "version": "0.28.1", "vulns": []}]},
        0, "2 packages of requirements-test.lock checked, no known vulnerability",
        id="all-checked-clean",
    ),
    pytest.param(
        {"dependencies": [{"name": "pandas", "version": "2.3.3", "vulns": [
            {"id": "PYSEC-2099-1", "fix_versions": ["2.3.4"]}]},
            {"name": "httpx", "version": "0.28.1", "vulns": []}]},
        1, "1 of 2 packages of requirements-test.lock have known vulnerabilities",
        id="one-vulnerable",
    ),
    pytest.param(
        {"dependencies": [{"name": "pandas", "skip_reason": SKIPPED},
                          {"name": "httpx", "skip_reason": SKIPPED}]},
        2, "2 of 2 packages of requirements-test.lock were not checked",
        id="nothing-checked-is-no-clean-bill",
    ),
    pytest.param(
        {"dependencies": [{"name": "pandas", "skip_reason": SKIPPED},
                          {"name": "httpx", "version": "0.28.1", "vulns": []}]},
        2, "1 of 2 packages", id="partly-checked",
    ),
]


@pytest.mark.parametrize(("report", "code", "words"), CASES)
def test_verdict_counts_what_was_checked(report, code, words):
    result = verdict(report)
    lines = result.lines("requirements-test.lock")
    assert result.exit_code == code
    assert words in lines[-1]
    assert "no known vulnerability" not in lines[-1] or code == 0


def test_vulnerable_package_is_named_with_its_fix():
    report = CASES[1].values[0]
    (first, _) = verdict(report).lines("requirements-test.lock")
    assert first == "pandas 2.3.3: PYSEC-2099-1 (fixed in 2.3.4)"


@pytest.mark.slow
def test_the_real_audit_ends_with_one_verdict_line():
    """pip-audit for real, on the lock: whatever its advisory source answers here, the command
    ends with one line whose exit code says whether everything was checked."""
    run = subprocess.run([sys.executable, "-m", "scripts.audit"], cwd=ROOT, capture_output=True,
                         text=True, timeout=600, check=False)
    printed = (run.stdout + run.stderr).strip().splitlines()
    assert printed and printed[-1].startswith("cpts-facts audit: ")
    assert "Traceback" not in run.stderr
    expected = {0: ("no known vulnerability",), 1: ("known vulnerabilities",),
                2: ("not checked", "gave no report")}
    assert any(words in printed[-1] for words in expected[run.returncode])
