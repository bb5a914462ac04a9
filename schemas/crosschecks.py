"""Checks that span tables or need the texts: evidence offsets and references between tables.

Each returns failure rows in the validation_errors shape (without `table`), one per bad row.
"""

from __future__ import annotations

import pandas as pd

from schemas.vocab import POPULATION_TOLERANCE

EVIDENCE_TABLES = ("amounts", "missions", "places", "facts")
CHILD_TABLES = ("cpts", "amounts", "missions", "places", "facts")
KEYED_TABLES = ("amounts", "missions", "places", "facts")

_SHOWN = 60  # characters of text quoted in a failure case


def _short(text: object) -> str:
    text = repr(text)
    return text if len(text) <= _SHOWN else text[: _SHOWN - 1] + "…"


def _rows(df: pd.DataFrame) -> list:
    """The index labels as one list: iterating a RangeIndex costs a generator step per row,
    most of a chunk's reference checks."""
    return df.index.tolist()


def _failure(doc_id: object, column: str, check: str, case: str, row: object) -> dict:
    return {"doc_id": doc_id, "column": column, "check": check, "failure_case": case, "row": row}


def offsets_failures(df: pd.DataFrame, texts: dict[str, str]) -> list[dict]:
    """`text` must be exactly texts[doc_id][start:end], the promise of the evidence tables."""
    # Columns as lists and nulls as one mask: a cell read from an Arrow column, and pd.isna
    # on it, cost a Python call each (most of a chunk's validation, row by row).
    missing = (df["start"].isna() | df["end"].isna() | df["text"].isna()).tolist()
    failures = []
    for row, doc_id, start, end, text, null in zip(
        _rows(df), df["doc_id"].tolist(), df["start"].tolist(), df["end"].tolist(),
        df["text"].tolist(), missing, strict=True
    ):
        source = texts.get(doc_id)
        if source is None:
            failures.append(_failure(doc_id, "doc_id", "text_available", _short(doc_id), row))
            continue
        if null:
            continue  # already reported by the table's own schema
        actual = source[int(start) : int(end)]
        if actual != text:
            case = f"{_short(text)} != text[{start}:{end}] {_short(actual)}"
            failures.append(_failure(doc_id, "text", "text_matches_offsets", case, row))
    return failures


def doc_id_failures(df: pd.DataFrame, documents: pd.DataFrame) -> list[dict]:
    """Every row joins back to a documents row."""
    known = set(documents["doc_id"].tolist())
    return [
        _failure(doc_id, "doc_id", "doc_id_in_documents", _short(doc_id), row)
        for row, doc_id in zip(_rows(df), df["doc_id"].tolist(), strict=True)
        if doc_id not in known
    ]


def cpts_key_failures(df: pd.DataFrame, cpts: pd.DataFrame) -> list[dict]:
    """A non-null cpts_key names a CPTS of the same document."""
    known = set(zip(cpts["doc_id"].tolist(), cpts["cpts_key"].tolist(), strict=True))
    keys = df["cpts_key"]
    return [
        _failure(doc_id, "cpts_key", "cpts_key_in_cpts", _short(key), row)
        for row, doc_id, key, null in zip(
            _rows(df), df["doc_id"].tolist(), keys.tolist(), keys.isna().tolist(), strict=True
        )
        if not null and (doc_id, key) not in known
    ]


def _codes(value: object) -> set[str]:
    return set(value) if isinstance(value, list | tuple) else set()


def geography_warnings(cpts: pd.DataFrame) -> list[dict]:
    """What the text states against what its resolved places imply (warnings, not errors:
    a release may round, quote an older census, or list only part of its territory).

    - population_near_reference: the stated population is more than POPULATION_TOLERANCE
      away from the legal population of the communes the text lists as the territory;
    - communes_match_listed: the stated number of communes is not the number listed;
    - department_holds_places: a stated department holds none of the resolved places.
    """
    needed = {"doc_id", "population", "population_reference", "communes",
              "communes_reference", "departments", "departments_inferred"}
    if not needed <= set(cpts.columns):
        return []
    failures = []
    # Columns as lists, not a row tuple each (itertuples boxes every cell of every column).
    for index, doc_id, stated, reference, communes, listed, departments, inferred in zip(
        _rows(cpts), *(cpts[c].tolist() for c in (
            "doc_id", "population", "population_reference", "communes", "communes_reference",
            "departments", "departments_inferred")), strict=True
    ):
        if not pd.isna(stated) and not pd.isna(reference) and reference > 0 and (
            abs(int(stated) - int(reference)) > POPULATION_TOLERANCE * int(reference)
        ):
            case = f"population={int(stated)}, population_reference={int(reference)}"
            failures.append(_failure(doc_id, "population", "population_near_reference",
                                     case, index))
        if not pd.isna(communes) and not pd.isna(listed) and int(communes) != int(listed):
            case = f"communes={int(communes)}, communes_reference={int(listed)}"
            failures.append(_failure(doc_id, "communes", "communes_match_listed", case, index))
        inferred = _codes(inferred)
        for code in sorted(_codes(departments) - inferred) if inferred else ():
            case = f"department {code} not in departments_inferred={sorted(inferred)}"
            failures.append(_failure(doc_id, "departments", "department_holds_places",
                                     case, index))
    return failures
