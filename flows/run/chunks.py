"""Batches → validated chunks: the flow validates many batches with one pandera call per table.

A pandera call costs ~0.1 s whatever its size, and every check is per document (each document
is in exactly one batch, hence one chunk), so validating a chunk of batches gives the same
failures as validating each batch, or the whole run, for a fraction of the calls.
validation_errors.row counts rows within the chunk; flows.dataset.upsert shifts it per chunk.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from flows.dataset.upsert import concat_table
from schemas.columns import TABLES
from schemas.validate import validate_tables

# Documents per validation call: large enough to amortise pandera, small enough that a chunk's
# texts and rows stay a few MB.
CHUNK_DOCS = 1000


class Chunker:
    """Collect batch results; `add` returns a validated chunk each time enough have come."""

    def __init__(self, run_date: dt.date, chunk_docs: int = CHUNK_DOCS) -> None:
        self.run_date, self.chunk_docs = run_date, chunk_docs
        self.tables: list[dict[str, pd.DataFrame]] = []
        self.texts: dict[str, str] = {}
        self.docs = 0

    def add(self, tables: dict[str, pd.DataFrame], texts: dict[str, str]) -> dict | None:
        self.tables.append(tables)
        self.texts.update(texts)
        self.docs += len(tables["documents"])
        return self.flush() if self.docs >= self.chunk_docs else None

    def flush(self) -> dict | None:
        if not self.tables:
            return None
        merged = {t: concat_table(t, [p[t] for p in self.tables]) for t in TABLES
                  if t != "validation_errors"}
        texts, self.tables, self.texts, self.docs = self.texts, [], {}, 0
        validated, errors = validate_tables(merged, texts, run_date=self.run_date)
        validated["validation_errors"] = errors
        return validated
