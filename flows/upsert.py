"""Upsert by doc_id: the previous tables minus the reprocessed documents, plus the new batches.

One vectorised mask per table and one concat per table, whatever the number of documents:
no per-document scan of the dataset. validation_errors.row points at a row of its table, so
the rows of kept errors are renumbered through the same mask, and each batch's errors are
shifted by the number of rows before that batch.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from schemas.columns import COLUMNS, TABLES, empty_frame, frame

# Extraction fields a duplicate row does not repeat: its facts belong to the first copy.
DUPLICATE_CLEARED = {"published_on": None, "published_on_precision": None, "place": None,
                     "departments": [], "n_cpts": None}


def concat_table(table: str, frames: list[pd.DataFrame]) -> pd.DataFrame:
    frames = [f for f in frames if len(f)]
    if not frames:
        return empty_frame(table)
    return pd.concat(frames, ignore_index=True)[list(COLUMNS[table])]


def _kept_errors(errors: pd.DataFrame, table: str, keep: np.ndarray, drop: set) -> pd.DataFrame:
    mine = errors[errors["table"] == table]
    if mine.empty:
        return mine
    position = np.cumsum(keep) - 1
    rows = mine["row"]
    has_row = rows.notna()
    index = rows.fillna(-1).astype("int64").to_numpy()
    valid = has_row.to_numpy() & (index >= 0) & (index < len(keep))
    alive = np.where(valid, keep[np.clip(index, 0, max(len(keep) - 1, 0))], False)
    alive |= ~has_row.to_numpy() & ~mine["doc_id"].isin(drop).to_numpy()
    mine = mine[alive].copy()
    renumbered = index[alive]
    mine["row"] = pd.array(
        [None if r < 0 else int(position[r]) for r in renumbered], dtype="Int64"
    )
    return mine


def merge_tables(
    old: dict[str, pd.DataFrame] | None,
    parts: list[dict[str, pd.DataFrame]],
    drop: set[str],
) -> dict[str, pd.DataFrame]:
    """`old` without the rows of `drop` (and without its duplicate rows, which are rebuilt),
    then every chunk in `parts` in order. Each part is a validated set of the six tables.

    Each part's frame of a table is released once that table is concatenated, so the run holds
    one copy of the big tables (facts) at a time, not two."""
    merged: dict[str, pd.DataFrame] = {}
    errors: list[pd.DataFrame] = []
    for table in TABLES:
        if table == "validation_errors":
            continue
        frames, offset = [], 0
        if old is not None:
            df = old[table]
            keep = ~df["doc_id"].isin(drop).to_numpy()
            if table == "documents":
                keep &= (df["status"] != "duplicate").to_numpy()
            frames.append(df[keep])
            errors.append(_kept_errors(old["validation_errors"], table, keep, drop))
            offset = int(keep.sum())
        for part in parts:
            part_errors = part["validation_errors"]
            part_errors = part_errors[part_errors["table"] == table]
            if len(part_errors):
                part_errors = part_errors.copy()
                part_errors["row"] = (part_errors["row"].astype("Int64") + offset).astype("Int64")
                errors.append(part_errors)
            frames.append(part[table])
            offset += len(part[table])
            part[table] = None  # the concat below holds the only copy from now on
        merged[table] = concat_table(table, frames)
    merged["validation_errors"] = concat_table("validation_errors", errors)
    return merged


def set_sources(documents: pd.DataFrame, first_source: dict[str, str]) -> pd.DataFrame:
    """A renamed or moved file keeps its rows; its documents row shows where it is now."""
    if documents.empty or not first_source:
        return documents
    documents = documents.copy()
    current = documents["doc_id"].map(first_source)
    documents["source"] = current.where(current.notna(), documents["source"])
    return documents


def add_duplicates(documents: pd.DataFrame, duplicates: list[tuple[str, str, str]]) -> pd.DataFrame:
    """One row per extra copy (doc_id, source, first source) of a document already present."""
    if not duplicates:
        return documents
    first = documents.drop_duplicates("doc_id").set_index("doc_id", drop=False)
    rows = []
    for doc_id, source, first_source in duplicates:
        if doc_id not in first.index:
            continue  # the file changed between hashing and reading: it has its own row
        row = first.loc[doc_id].to_dict()
        row.update(DUPLICATE_CLEARED, source=source, status="duplicate",
                   message=f"same content as {first_source}")
        rows.append(row)
    return concat_table("documents", [documents, frame("documents", rows)])
