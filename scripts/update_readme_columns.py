"""Rewrite the README column tables from the pandera schemas (the source of datapackage.json).

Run after changing a schema: `.venv/bin/python scripts/update_readme_columns.py`; a test fails
while the README and the schemas disagree.
"""

from __future__ import annotations

import re
from pathlib import Path

from flows.publish.datapackage import column_tables_markdown

README = Path(__file__).resolve().parent.parent / "README.md"
START, END = "<!-- columns:start -->", "<!-- columns:end -->"
BLOCK = re.compile(re.escape(START) + r".*?" + re.escape(END), re.S)


def generated_block() -> str:
    tables = column_tables_markdown().replace("### ", "#### ")
    return f"{START}\n{tables.strip()}\n{END}"


def main() -> None:
    text = README.read_text(encoding="utf-8")
    README.write_text(BLOCK.sub(lambda _: generated_block(), text), encoding="utf-8")


if __name__ == "__main__":
    main()
