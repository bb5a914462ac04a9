"""Keep the README honest: its commands exist, CI runs its test command, its CLI lines parse."""

from __future__ import annotations

import re
import shlex

import pytest

from flows.cli import build_parser
from tests.conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_ci_runs_exactly_the_readme_test_command():
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    skipped = ("#", "set ", "cd ")
    commands = [ln for ln in ci.splitlines() if ln.strip() and not ln.startswith(skipped)]
    assert commands == ["make test"]
    assert "make test" in README and "make run" in README


@pytest.mark.parametrize("target", ["run", "test"])
def test_makefile_has_the_readme_targets(target):
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert re.search(rf"^{target}:", makefile, re.M)


def readme_cli_lines() -> list[str]:
    lines = re.findall(r"^(cpts-facts [^#\n]*)", README, re.M)
    return [ln.strip() for ln in lines]


def test_readme_shows_cli_lines():
    assert len(readme_cli_lines()) >= 2


@pytest.mark.parametrize("line", readme_cli_lines())
def test_every_readme_cli_line_parses(line):
    argv = shlex.split(line.replace("[", "").replace("]", "").replace("...", ""))[1:]
    placeholders = {"INPUT": "corpus", "FILE": "corpus/x.txt", "DIR": "output"}
    build_parser().parse_args([placeholders.get(a, a) for a in argv])


def test_every_subcommand_is_in_the_readme():
    parser = build_parser()
    sub = next(a for a in parser._actions if a.dest == "command")
    for name in sub.choices:
        assert f"cpts-facts {name}" in README, name


def test_readme_column_tables_match_the_schemas():
    from scripts.update_readme_columns import generated_block

    assert generated_block() in README, "run scripts/update_readme_columns.py"
