"""Vocabulary as data a French speaker can review: one JSON or CSV file per topic.

`load_lexicon(name)` (JSON) and `load_table(name)` (CSV) are the only ways the code reads
these files (parsed once, cached, never written to). `README.md` beside this file states how
a phrase is written and which file feeds which module.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
from functools import cache
from importlib import resources
from importlib.resources.abc import Traversable

# Data files by suffix; anything else here (this module, README.md) is not vocabulary.
DATA_SUFFIXES = (".json", ".csv", ".csv.gz", ".parquet", ".txt")


def _file(name: str) -> Traversable:
    # `name` may name a file in a sub-folder ("geo/communes.csv").
    entry = resources.files(__name__)
    for part in name.split("/"):
        entry = entry.joinpath(part)
    return entry


@cache
def load_lexicon(name: str) -> dict:
    """Read one JSON file of `extractors/lexicon/` (import-time data, never written).

    >>> load_lexicon("status.json")["order"]
    ['in_progress', 'planned', 'signed', 'created']
    """
    return json.loads(_file(name).read_text("utf-8"))


@cache
def load_table(name: str) -> tuple[dict[str, str], ...]:
    """Read one CSV file of `extractors/lexicon/` as rows keyed by its header.

    >>> load_table("departments.csv")[0]
    {'code': '01', 'name': 'Ain', 'article': "l'", 'strict': '1'}
    """
    return tuple(csv.DictReader(io.StringIO(_file(name).read_text("utf-8"))))


def lexicon_files() -> list[str]:
    """Every data file of the lexicon, sub-folders included, as `load_*` names them."""

    def walk(entry: Traversable, prefix: str) -> list[str]:
        found = []
        for child in entry.iterdir():
            if child.is_dir():
                if not child.name.startswith(("_", ".")):
                    found += walk(child, f"{prefix}{child.name}/")
            elif child.name.endswith(DATA_SUFFIXES):
                found.append(prefix + child.name)
        return found

    return sorted(walk(resources.files(__name__), ""))


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
