"""Column order and storage kind of every published table: the one list the flows build from.

Kinds are abstract ("date", "list"...) so that pandas (here), Parquet and CSV
(flows/dataset/export.py) each map them to their own types; the models in this package must
declare the same columns.
"""

from __future__ import annotations

import pandas as pd

TABLES = ("documents", "cpts", "amounts", "missions", "places", "facts", "validation_errors")
# Everything a run publishes: the seven tables, then the registry derived from them.
PUBLISHED = (*TABLES, "cpts_registry")

# The registry carries, for each of these cpts facts, its latest value, the companion column
# from the same row, when it was stated and by which documents.
REGISTRY_FIELDS = {
    "status": "str", "signed_on": "date", "population": "int", "communes": "int",
    "professionals": "int", "president": "str", "size_class": "int", "departments": "list",
}
REGISTRY_COMPANIONS = {"signed_on": "signed_on_precision", "population": "population_qualifier"}


def _registry_columns() -> dict[str, str]:
    cols = {"cpts_key": "str", "name": "str", "merged_keys": "list", "names": "list",
            "doc_ids": "list", "first_seen_on": "date", "last_seen_on": "date"}
    for field, kind in REGISTRY_FIELDS.items():
        cols[field] = kind
        if field in REGISTRY_COMPANIONS:
            cols[REGISTRY_COMPANIONS[field]] = "str"
        cols[f"{field}_as_of"] = "date"
        cols[f"{field}_doc_ids"] = "list"
    return {**cols, "conflicts": "list"}


COLUMNS: dict[str, dict[str, str]] = {
    "documents": {
        "doc_id": "str",
        "source": "str",
        "format": "str",
        "status": "str",
        "message": "str",
        "title": "str",
        "published_on": "date",
        "published_on_precision": "str",
        "place": "str",
        "departments": "list",
        "n_chars": "int",
        "n_pages": "int",
        "n_cpts": "int",
        "extractor_version": "str",
        "processed_at": "timestamp",
        "url": "str",
        "fetched_at": "timestamp",
    },
    "cpts": {
        "doc_id": "str",
        "cpts_key": "str",
        "name": "str",
        "name_source": "str",
        "status": "str",
        "signed_on": "date",
        "signed_on_precision": "str",
        "population": "int",
        "population_qualifier": "str",
        "communes": "int",
        "professionals": "int",
        "president": "str",
        "size_class": "int",
        "departments": "list",
        "departments_inferred": "list",
        "population_reference": "int",
        "communes_reference": "int",
    },
    "amounts": {
        "doc_id": "str",
        "cpts_key": "str",
        "amount_eur": "int",
        "kind": "str",
        "funder": "str",
        "per_year": "bool",
        "start": "int",
        "end": "int",
        "text": "str",
    },
    "missions": {
        "doc_id": "str",
        "cpts_key": "str",
        "mission": "str",
        "start": "int",
        "end": "int",
        "text": "str",
    },
    "places": {
        "doc_id": "str",
        "cpts_key": "str",
        "insee_code": "str",
        "level": "str",
        "name": "str",
        "status": "str",
        "candidates": "list",
        "start": "int",
        "end": "int",
        "text": "str",
        "sentence": "str",
    },
    "facts": {
        "doc_id": "str",
        "cpts_key": "str",
        "kind": "str",
        "value": "str",
        "qualifier": "str",
        "start": "int",
        "end": "int",
        "text": "str",
        "sentence": "str",
        "page": "int",
        "extractor": "str",
    },
    "validation_errors": {
        "table": "str",
        "level": "str",
        "doc_id": "str",
        "column": "str",
        "check": "str",
        "failure_case": "str",
        "row": "int",
    },
}
COLUMNS["cpts_registry"] = _registry_columns()

# Dates stay datetime.date objects (object dtype): pandas has no date-only dtype, and Parquet
# stores them as date32 from there. Lists stay Python lists of str for the same reason.
PANDAS_DTYPES = {
    "str": "str",
    "date": "object",
    "list": "object",
    "int": "Int64",
    "bool": "bool",
    "timestamp": "datetime64[us, UTC]",
}


def empty_frame(table: str) -> pd.DataFrame:
    """A table with no rows but every column, in order, with its dtype."""
    return pd.DataFrame(
        {col: pd.Series([], dtype=PANDAS_DTYPES[kind]) for col, kind in COLUMNS[table].items()}
    )


def frame(table: str, rows: list[dict]) -> pd.DataFrame:
    """Build `table` from row dicts (missing keys become null), with the contract's dtypes."""
    if not rows:
        return empty_frame(table)
    return frame_of_columns(table, {col: [row.get(col) for row in rows]
                                    for col in COLUMNS[table]}, len(rows))


def frame_of_columns(table: str, columns: dict[str, list], n: int) -> pd.DataFrame:
    """Build `table` of `n` rows from one list of values per column (a missing column is
    null), with the contract's dtypes, as `frame` does from rows, without a dict per row.
    `columns` is emptied as each column is built, so each list can be freed then."""
    if not n:
        return empty_frame(table)
    data = {}
    for col, kind in COLUMNS[table].items():
        values = columns.pop(col, None)
        if values is None:
            values = [None] * n
        if kind == "list":
            values = [list(v) if v is not None else [] for v in values]
            data[col] = pd.Series(values, dtype="object")
        elif kind == "date":
            data[col] = pd.Series(values, dtype="object")
        elif kind == "timestamp":
            data[col] = pd.to_datetime(pd.Series(values, dtype="object"), utc=True).astype(
                PANDAS_DTYPES[kind]
            )
        else:
            data[col] = pd.Series(values, dtype=PANDAS_DTYPES[kind])
    return pd.DataFrame(data)


def row_dicts(df: pd.DataFrame) -> list[dict]:
    """`df.to_dict("records")`, built from each column's `tolist()` (the same Python values):
    pandas boxes every cell on its own there (on Arrow columns, a row lookup per row), most of
    the evidence pages' time at 10,000 documents and half of the registry's."""
    columns = list(df.columns)
    # Each row has one value per column by construction: no strict check per row (~25 %).
    return [dict(zip(columns, row))  # noqa: B905
            for row in zip(*(df[c].tolist() for c in columns), strict=True)]


def tidy_dates(table: str, df: pd.DataFrame) -> pd.DataFrame:
    """Missing dates as None, not NaT: pandera's date coercion leaves NaT, which pretends to
    be a datetime (CSV would print "NaT") and breaks equality with a re-read table."""
    dates = [c for c, kind in COLUMNS[table].items() if kind == "date" and c in df.columns]
    if not dates:
        return df
    df = df.copy()
    for column in dates:
        df[column] = pd.Series(
            [None if pd.isna(v) else v for v in df[column]], index=df.index, dtype="object"
        )
    return df
