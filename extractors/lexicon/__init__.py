"""Vocabulary as data a French speaker can review: one JSON or CSV file per topic.

`load_lexicon(name)` is the only way the extractors read these files (parsed once, cached,
never written to). `README.md` beside this file states the phrase dialect and which file
feeds which module.
"""

from __future__ import annotations

import csv
import gzip
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


# The geographic reference (extractors/lexicon/geo/, written by scripts/geo_reference.py):
# file → its columns, in the order each row tuple holds them.
GEO_FILES = {
    "communes": ("communes.csv.gz", ("code", "name", "key", "article", "department", "type",
                                     "parent", "population")),
    "epci": ("epci.csv.gz", ("code", "name", "key", "core", "kind", "population", "members")),
    "departments": ("departments.csv", ("code", "name", "region")),
    "regions": ("regions.csv", ("code", "name")),
}


@cache
def load_geo() -> dict[str, tuple[tuple[str, ...], ...]]:
    """The INSEE COG reference as plain row tuples per table (columns: `GEO_FILES`), read
    once per process and only when first asked: most documents never need it."""
    folder = resources.files(__name__).joinpath("geo")
    tables = {}
    for table, (name, columns) in GEO_FILES.items():
        raw = folder.joinpath(name).read_bytes()
        text = (gzip.decompress(raw) if name.endswith(".gz") else raw).decode("utf-8")
        rows = csv.reader(io.StringIO(text))
        if tuple(next(rows)) != columns:
            raise ValueError(f"geo/{name}: unexpected header, regenerate with make geo-reference")
        tables[table] = tuple(map(tuple, rows))
    return tables


@cache
def geo_manifest() -> dict:
    """Package, version and date of the geographic reference (geo/manifest.json)."""
    text = resources.files(__name__).joinpath("geo", "manifest.json").read_text("utf-8")
    return json.loads(text)
