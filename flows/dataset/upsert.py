"""Upsert by doc_id: the previous tables minus the reprocessed documents, plus the new batches.

One vectorised mask per row group of the previous snapshot, whatever the number of documents:
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


DATA_TABLES = tuple(t for t in TABLES if t != "validation_errors")


class StreamingMerge:
    """The previous snapshot without the rows of `drop` (and without its duplicate rows, which
    are rebuilt), then every validated chunk in order, streamed into a DatasetWriter, with
    `set_sources` and `add_duplicates` applied on the way.

    The kept rows of the previous snapshot are copied one Parquet row group at a time, then
    each validated chunk as it comes: the run never holds a whole table. Only what is small
    stays: validation_errors (written last, each row number renumbered through the same
    masks), the row counts, and the first documents row of each duplicated document."""

    def __init__(self, writer, first_source: dict[str, str],
                 duplicates: list[tuple[str, str, str]]) -> None:
        self.writer, self.first_source, self.duplicates = writer, first_source, duplicates
        self.dup_ids = {d for d, _, _ in duplicates}
        self.firsts: list[pd.DataFrame] = []
        self.offsets = dict.fromkeys(DATA_TABLES, 0)
        self.errors: dict[str, list[pd.DataFrame]] = {t: [] for t in DATA_TABLES}

    def _write(self, table: str, df: pd.DataFrame) -> None:
        if table == "documents" and len(df):
            df = set_sources(df, self.first_source)
            wanted = self.dup_ids - {d for f in self.firsts for d in f["doc_id"]}
            if wanted:
                mine = df[df["doc_id"].isin(wanted)].drop_duplicates("doc_id")
                if len(mine):
                    self.firsts.append(mine)
        self.writer.write(table, df)

    def add_old(self, previous, drop: set[str]) -> None:
        """The previous snapshot's rows, without `drop` and without its duplicate rows."""
        from flows.dataset.export import iter_table, read_table

        old_errors = read_table(previous, "validation_errors")
        for table in DATA_TABLES:
            masks = []
            for group in iter_table(previous, table):
                keep = ~group["doc_id"].isin(drop).to_numpy()
                if table == "documents":
                    keep &= (group["status"] != "duplicate").to_numpy()
                masks.append(keep)
                self._write(table, group[keep])
            keep = np.concatenate(masks) if masks else np.zeros(0, dtype=bool)
            self.errors[table].append(_kept_errors(old_errors, table, keep, drop))
            self.offsets[table] = int(keep.sum())

    def add(self, part: dict[str, pd.DataFrame]) -> None:
        """One validated chunk (every table), appended after everything before it."""
        for table in DATA_TABLES:
            part_errors = part["validation_errors"]
            part_errors = part_errors[part_errors["table"] == table]
            if len(part_errors):
                part_errors = part_errors.copy()
                part_errors["row"] = (part_errors["row"].astype("Int64")
                                      + self.offsets[table]).astype("Int64")
                self.errors[table].append(part_errors)
            self._write(table, part[table])
            self.offsets[table] += len(part[table])

    def finish(self) -> None:
        """The duplicate rows (after every other documents row), then validation_errors."""
        if self.duplicates:
            firsts = concat_table("documents", self.firsts)
            rows = add_duplicates(firsts, self.duplicates).iloc[len(firsts):]
            self.writer.write("documents", rows)
        errors = concat_table("validation_errors",
                              [e for t in DATA_TABLES for e in self.errors[t]])
        self.writer.write("validation_errors", errors)
