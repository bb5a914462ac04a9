"""Checks that span tables or need the texts: evidence offsets and references between tables.

Each returns failure rows in the validation_errors shape (without `table`), one per bad row.
"""

from __future__ import annotations

import pandas as pd

EVIDENCE_TABLES = ("amounts", "missions", "facts")
CHILD_TABLES = ("cpts", "amounts", "missions", "facts")
KEYED_TABLES = ("amounts", "missions", "facts")

_SHOWN = 60  # characters of text quoted in a failure case


def _short(text: object) -> str:
    text = repr(text)
    return text if len(text) <= _SHOWN else text[: _SHOWN - 1] + "…"


def _failure(doc_id: object, column: str, check: str, case: str, row: object) -> dict:
    return {"doc_id": doc_id, "column": column, "check": check, "failure_case": case, "row": row}


def offsets_failures(df: pd.DataFrame, texts: dict[str, str]) -> list[dict]:
    """`text` must be exactly texts[doc_id][start:end], the promise of the evidence tables."""
    failures = []
    for row, doc_id, start, end, text in zip(
        df.index, df["doc_id"], df["start"], df["end"], df["text"], strict=True
    ):
        source = texts.get(doc_id)
        if source is None:
            failures.append(_failure(doc_id, "doc_id", "text_available", _short(doc_id), row))
            continue
        if pd.isna(start) or pd.isna(end) or pd.isna(text):
            continue  # already reported by the table's own schema
        actual = source[int(start) : int(end)]
        if actual != text:
            case = f"{_short(text)} != text[{start}:{end}] {_short(actual)}"
            failures.append(_failure(doc_id, "text", "text_matches_offsets", case, row))
    return failures


def doc_id_failures(df: pd.DataFrame, documents: pd.DataFrame) -> list[dict]:
    """Every row joins back to a documents row."""
    known = set(documents["doc_id"])
    return [
        _failure(doc_id, "doc_id", "doc_id_in_documents", _short(doc_id), row)
        for row, doc_id in zip(df.index, df["doc_id"], strict=True)
        if doc_id not in known
    ]


def cpts_key_failures(df: pd.DataFrame, cpts: pd.DataFrame) -> list[dict]:
    """A non-null cpts_key names a CPTS of the same document."""
    known = set(zip(cpts["doc_id"], cpts["cpts_key"], strict=True))
    return [
        _failure(doc_id, "cpts_key", "cpts_key_in_cpts", _short(key), row)
        for row, doc_id, key in zip(df.index, df["doc_id"], df["cpts_key"], strict=True)
        if not pd.isna(key) and (doc_id, key) not in known
    ]
