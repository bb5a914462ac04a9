"""Rewrite the README's option tables from the command-line parser (`flows.cli.build_parser`).

Run after adding, renaming or documenting an option:
`.venv/bin/python scripts/update_readme_cli.py`; a test fails while the README and the parser
disagree.
"""

from __future__ import annotations

import argparse
import re
from pathlib import Path

from flows.cli import build_parser

README = Path(__file__).resolve().parent.parent / "README.md"
START, END = "<!-- cli:start -->", "<!-- cli:end -->"
BLOCK = re.compile(re.escape(START) + r".*?" + re.escape(END), re.S)


def subcommands(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return dict(sub.choices)


def documented_actions(parser: argparse.ArgumentParser) -> list[argparse.Action]:
    return [a for a in parser._actions
            if not isinstance(a, argparse._HelpAction | argparse._SubParsersAction)]


def _row(parser: argparse.ArgumentParser, action: argparse.Action) -> str:
    invocation = parser._get_formatter()._format_action_invocation(action)
    shown = action.default not in (None, False, argparse.SUPPRESS) and not action.required
    default = "" if not shown else f"`{' '.join(map(str, action.default))}`" \
        if isinstance(action.default, list) else f"`{action.default}`"
    what = (action.help or "").replace("|", "\\|")
    if action.required and action.option_strings:
        what = f"required; {what}"
    return f"| `{invocation}` | {default} | {what} |"


def _table(parser: argparse.ArgumentParser) -> list[str]:
    rows = [_row(parser, action) for action in documented_actions(parser)]
    return ["| argument | default | what |", "| --- | --- | --- |", *rows]


def generated_block() -> str:
    parser = build_parser()
    lines = [START, "", "#### `cpts-facts`", "", *_table(parser)]
    for name, command in subcommands(parser).items():
        lines += ["", f"#### `cpts-facts {name}`", "", *_table(command)]
    return "\n".join([*lines, "", END])


def main() -> None:
    text = README.read_text(encoding="utf-8")
    README.write_text(BLOCK.sub(lambda _: generated_block(), text), encoding="utf-8")


if __name__ == "__main__":
    main()
