"""Vocabulary as data a French speaker can review: one JSON or CSV file per topic.

`load_lexicon(name)` is the only way the extractors read these files (parsed once, cached,
never written to). `README.md` beside this file states the phrase dialect and which file
feeds which module.
"""

from __future__ import annotations

import csv
import io
import json
from functools import cache
from importlib import resources


@cache
def load_lexicon(name: str) -> dict:
    """Read one JSON file of `extractors/lexicon/` (import-time data, never written)."""
    return json.loads(resources.files(__name__).joinpath(name).read_text("utf-8"))


@cache
def load_table(name: str) -> tuple[dict[str, str], ...]:
    """Read one CSV file of `extractors/lexicon/` as rows keyed by its header."""
    text = resources.files(__name__).joinpath(name).read_text("utf-8")
    return tuple(csv.DictReader(io.StringIO(text)))


def lexicon_files() -> list[str]:
    """Every data file of the lexicon, for the integrity tests."""
    return sorted(
        entry.name
        for entry in resources.files(__name__).iterdir()
        if entry.name.endswith((".json", ".csv"))
    )
