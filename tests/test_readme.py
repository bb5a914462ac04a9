"""Keep the README honest: its commands exist, CI runs its test command, its CLI lines parse."""

from __future__ import annotations

import re
import shlex

import pytest

from flows.cli import build_parser
from tests.conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_ci_runs_exactly_the_readme_commands():
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    skipped = ("#", "set ", "cd ")
    commands = [ln for ln in ci.splitlines() if ln.strip() and not ln.startswith(skipped)]
    assert commands == ["make install-chromium", "make test"]
    assert "make test" in README and "make run" in README
    assert "`make install-chromium` then\n`make test`" in README


@pytest.mark.parametrize("target", ["run", "test", "install-chromium", "lock", "clean"])
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
    argv = [placeholders.get(a, a) for a in argv]
    if argv == ["--version"]:
        with pytest.raises(SystemExit, match="0"):
            build_parser().parse_args(argv)
        return
    build_parser().parse_args(argv)


def test_every_subcommand_is_in_the_readme():
    from scripts.update_readme_cli import subcommands

    for name in subcommands(build_parser()):
        assert f"cpts-facts {name}" in README, name


def test_readme_option_tables_match_the_parser():
    """Every subcommand and every option, with its default and help, as the parser has them."""
    from scripts.update_readme_cli import generated_block

    assert generated_block() in README, "run scripts/update_readme_cli.py"


def test_readme_option_tables_name_every_option():
    # Independent of the generator: a generator that dropped rows would still match itself.
    from scripts.update_readme_cli import END, START, documented_actions, subcommands

    block = README[README.index(START):README.index(END)]
    sections = dict(re.findall(r"^#### `(cpts-facts[^`]*)`\n(.*?)(?=^####|\Z)", block, re.M | re.S))
    parser = build_parser()
    commands = {"cpts-facts": parser} | {
        f"cpts-facts {n}": p for n, p in subcommands(parser).items()}
    assert set(sections) == set(commands)
    for name, command in commands.items():
        section = sections[name]
        for action in documented_actions(command):
            shown = action.option_strings[-1] if action.option_strings else action.dest
            assert f"| `{shown}" in section, (name, shown)


def subcommand_parsers():
    from scripts.update_readme_cli import subcommands

    return subcommands(build_parser())


@pytest.mark.parametrize("name", list(subcommand_parsers()))
def test_every_subcommand_help_ends_with_an_example_that_parses(name):
    last = subcommand_parsers()[name].format_help().rstrip().splitlines()[-1].strip()
    assert last.startswith(f"cpts-facts {name}"), last
    build_parser().parse_args(shlex.split(last.split("#")[0])[1:])


def test_readme_column_tables_match_the_schemas():
    from scripts.update_readme_columns import generated_block

    assert generated_block() in README, "run scripts/update_readme_columns.py"
