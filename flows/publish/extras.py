"""What a run writes beside the tables: the CPTS registry, the data package, the report."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from flows.dataset import store
from flows.dataset.export import read_table, restore
from flows.dataset.lock import output_lock
from flows.dataset.memory import give_back_freed_memory
from flows.errors import CptsFactsError
from flows.publish.datapackage import write_datapackage
from flows.publish.registry import TERRITORY_COLUMNS, build_registry, write_registry
from flows.publish.report import (
    evidence_pages,
    paged_documents,
    shown_documents,
    write_report,
)
from schemas.columns import COLUMNS, empty_frame


def csv_dialect_of(out_dir: Path) -> str:
    """The CSV dialect the run that wrote `out_dir` chose (run.json), else "standard"."""
    try:
        run = json.loads((Path(out_dir) / "run.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return "standard"
    return (run.get("settings") or {}).get("csv_dialect") or "standard"


def write_extras(out_dir: Path, *, report: bool = True, report_max_docs: int | None = None,
                 csv_dialect: str | None = None) -> list[Path]:
    """Registry, data package and (with `report`) report.html of the dataset written in
    `out_dir`, read back from its Parquet files: of places, only the columns the registry
    reads; of facts and places, only the rows of the documents the report shows. `csv_dialect`
    None: the one run.json records, so the registry's CSV and datapackage.json agree with the
    tables' CSV files."""
    out_dir = Path(out_dir)
    csv_dialect = csv_dialect or csv_dialect_of(out_dir)
    tables = {t: read_table(out_dir, t) for t in ("documents", "cpts")}
    places = read_table(out_dir, "places", TERRITORY_COLUMNS)
    written = write_registry(build_registry({**tables, "places": places}), out_dir, csv_dialect)
    del places
    written.append(write_datapackage(out_dir, csv_dialect=csv_dialect))
    if report:
        written.append(report_from_disk(out_dir, out_dir, report_max_docs, tables))
    return written


def report_from_disk(data_dir: Path, report_dir: Path, max_docs: int | None,
                     tables: dict[str, pd.DataFrame] | None = None) -> Path:
    """Write report.html and its evidence pages into `report_dir` from the dataset saved in
    `data_dir`, holding the facts and places of at most PAGE_BATCH documents at a time.
    `tables`: its documents and cpts, when already read."""
    tables = dict(tables or {t: read_table(data_dir, t) for t in ("documents", "cpts")})
    tables["validation_errors"] = read_table(data_dir, "validation_errors")
    shown = shown_documents(tables, max_docs)["doc_id"]
    facts = FactCounts()
    tables["facts"] = read_rows_of(data_dir, "facts", set(shown), facts.add)
    tables["places"] = read_rows_of(data_dir, "places", set(shown))
    texts = read_texts(data_dir, shown)
    pages = _pages_from_disk(data_dir, tables, paged_documents(tables, max_docs))
    return write_report(tables, texts, Path(report_dir) / "report.html", max_docs=max_docs,
                        fact_counts=facts.counts(), pages=pages)


# Documents whose facts and places are in memory at once while their evidence pages are written.
PAGE_BATCH = 500
# The report never shows a fact's or a place's sentence, their longest column.
REPORT_COLUMNS = {t: [c for c in COLUMNS[t] if c != "sentence"] for t in ("facts", "places")}


def _pages_from_disk(data_dir: Path, tables: dict[str, pd.DataFrame], doc_ids: list[str]):
    # Batches of documents stored side by side: a batch in report order had rows in every row
    # group of facts and places, all read and decoded again for each batch. The pages are the
    # same in any order; only the order they are written in changes.
    doc_ids = _in_stored_order(data_dir, doc_ids)
    for first in range(0, len(doc_ids), PAGE_BATCH):
        batch = doc_ids[first : first + PAGE_BATCH]
        mine = set(batch)
        some = {t: tables[t][tables[t]["doc_id"].isin(mine)]
                for t in ("documents", "cpts", "validation_errors")}
        some["facts"] = read_rows_of(data_dir, "facts", mine)
        some["places"] = read_rows_of(data_dir, "places", mine)
        texts = ReadTexts(data_dir)
        yield from evidence_pages(some, batch, texts.get)
        del some
        give_back_freed_memory()  # this batch's facts and pages (flows/dataset/memory.py)


def _in_stored_order(data_dir: Path, doc_ids: list[str]) -> list[str]:
    """`doc_ids` in the order facts.parquet stores their rows (each document's rows are
    together, in the order they were written); documents without facts last."""
    path = Path(data_dir) / "facts.parquet"
    if not path.exists():
        return doc_ids
    stored = pc.unique(pq.read_table(path, columns=["doc_id"]).column("doc_id")).to_pylist()
    rank = {doc_id: i for i, doc_id in enumerate(stored)}
    return sorted(doc_ids, key=lambda doc_id: rank.get(doc_id, len(rank)))


def read_rows_of(out_dir: Path, table: str, doc_ids: set,
                 each_group: Callable[[pa.Table], None] | None = None) -> pd.DataFrame:
    """The rows of `doc_ids` in `table` ("facts" or "places"; index: their row in the whole
    table), in the columns the report shows, one row group in memory at a time; `each_group`
    sees every row group first."""
    path = Path(out_dir) / f"{table}.parquet"
    if not path.exists():
        return empty_frame(table)
    parquet = pq.ParquetFile(path)
    wanted = pa.array(sorted(doc_ids), type=pa.string())
    # A dataset written before a column was added lacks it: `restore` leaves it empty.
    columns = [c for c in REPORT_COLUMNS[table] if c in parquet.schema_arrow.names]
    found, offset = [], 0
    for i in range(parquet.num_row_groups):
        if each_group is None and not _holds_any(parquet, i, wanted):
            offset += parquet.metadata.row_group(i).num_rows
            continue  # its doc_ids alone are read: a fraction of its other columns' cost
        # Filtered in Arrow: only the shown rows become Python objects.
        group = parquet.read_row_group(i, columns=columns)
        if each_group is not None:
            each_group(group)
        mask = pc.is_in(group.column("doc_id"), value_set=wanted).to_numpy(zero_copy_only=False)
        if mask.any():
            mine = restore(table, group.filter(pa.array(mask)).to_pandas(date_as_object=True))
            mine.index = offset + np.flatnonzero(mask)
            found.append(mine)
        offset += group.num_rows
        del group
    return pd.concat(found) if found else empty_frame(table)


def _holds_any(parquet: pq.ParquetFile, group: int, doc_ids: pa.Array) -> bool:
    ids = parquet.read_row_group(group, columns=["doc_id"]).column("doc_id")
    return pc.any(pc.is_in(ids, value_set=doc_ids)).as_py() or False


class FactCounts:
    """The facts per kind and in all, as `summary_html` counts them, added up over the row
    groups of facts.parquet (`read_rows_of`'s `each_group`)."""

    def __init__(self) -> None:
        self.kinds: dict[object, int] = {}
        self.rows = 0

    def add(self, group: pa.Table) -> None:
        for item in pc.value_counts(group.column("kind")).to_pylist():
            if item["values"] is not None:
                self.kinds[item["values"]] = self.kinds.get(item["values"], 0) + item["counts"]
        self.rows += group.num_rows

    def counts(self) -> tuple[pd.Series, int]:
        # value_counts over one small code per fact, in order of first appearance: its order,
        # ties included, is the one value_counts gives over the whole column.
        names = list(self.kinds)
        codes = np.repeat(np.arange(len(names), dtype=np.int16), [self.kinds[k] for k in names])
        counts = pd.Series(codes).value_counts()
        counts.index = [names[i] for i in counts.index]
        return counts, self.rows


class ReadTexts:
    """doc_id → its saved normalised text, read when asked (None when there is none)."""

    def __init__(self, out_dir: Path) -> None:
        self.folder = Path(out_dir) / "text"

    def get(self, doc_id: str) -> str | None:
        path = self.folder / f"{doc_id}.txt"
        return path.read_text(encoding="utf-8") if path.is_file() else None


def read_texts(out_dir: Path, doc_ids: pd.Series) -> dict[str, str]:
    """The saved normalised texts of `doc_ids` (missing files are simply absent)."""
    texts = {}
    for doc_id in doc_ids.dropna().unique():
        path = Path(out_dir) / "text" / f"{doc_id}.txt"
        if path.is_file():
            texts[doc_id] = path.read_text(encoding="utf-8")
    return texts


def rewrite_report(out_dir: Path, max_docs: int | None) -> Path:
    """`cpts-facts report`: write report.html and its evidence pages into the current snapshot,
    where the run that made it would have, so the public link `out_dir`/report.html shows the
    new report and the next run replaces it with its own; a link is never replaced by a file.
    A dataset without snapshots (written before them) gets its report beside its tables."""
    out_dir = Path(out_dir)
    if not (out_dir / "documents.parquet").exists():
        raise CptsFactsError(f"no dataset in {out_dir}: documents.parquet is missing")
    with output_lock(out_dir, wait=False):
        snapshot = store.current_snapshot(out_dir)
        if snapshot is None:
            return report_from_disk(out_dir, out_dir, max_docs)
        report_from_disk(snapshot, snapshot, max_docs)
        store.refresh_links(out_dir)
        return out_dir / "report.html"
