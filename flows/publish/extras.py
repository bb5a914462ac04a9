"""What a run writes beside the six tables: the CPTS registry, the data package, the report."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from flows.dataset.export import read_table, restore
from flows.publish.datapackage import write_datapackage
from flows.publish.registry import build_registry, write_registry
from flows.publish.report import shown_documents, write_report
from schemas.columns import TABLES, empty_frame


def write_extras(
    tables: dict[str, pd.DataFrame], texts: dict[str, str] | None, out_dir: Path, *,
    report: bool = True, report_max_docs: int | None = None,
) -> list[Path]:
    """Registry, data package and (with `report`) report.html. `texts` None: the report reads
    the saved texts of the documents it shows, and only those. `tables` None: the tables
    are read from the Parquet files in `out_dir`, and of facts only the rows of the documents
    the report shows."""
    if tables is None:
        return _extras_from_disk(Path(out_dir), report, report_max_docs)
    written = write_registry(build_registry(tables), out_dir)
    written.append(write_datapackage(out_dir, list(TABLES)))
    if report:
        if texts is None:
            shown = shown_documents(tables, report_max_docs)
            texts = read_texts(out_dir, shown["doc_id"])
        written.append(write_report(tables, texts, out_dir / "report.html",
                                    max_docs=report_max_docs))
    return written


def _extras_from_disk(out_dir: Path, report: bool, report_max_docs: int | None) -> list[Path]:
    tables = {t: read_table(out_dir, t) for t in ("documents", "cpts")}
    written = write_registry(build_registry(tables), out_dir)
    written.append(write_datapackage(out_dir, list(TABLES)))
    if report:
        tables["validation_errors"] = read_table(out_dir, "validation_errors")
        shown = shown_documents(tables, report_max_docs)
        tables["facts"], fact_counts = read_facts_of(out_dir, set(shown["doc_id"]))
        texts = read_texts(out_dir, shown["doc_id"])
        written.append(write_report(tables, texts, out_dir / "report.html",
                                    max_docs=report_max_docs, fact_counts=fact_counts))
    return written


def read_facts_of(out_dir: Path, doc_ids: set) -> tuple[pd.DataFrame, tuple[pd.Series, int]]:
    """The facts rows of `doc_ids` (index: their row in the whole table), and the facts per
    kind and in all, as `summary_html` counts them: one row group in memory at a time."""
    path = Path(out_dir) / "facts.parquet"
    if not path.exists():
        facts = empty_frame("facts")
        return facts, (facts["kind"].value_counts(), 0)
    parquet = pq.ParquetFile(path)
    wanted = pa.array(sorted(doc_ids), type=pa.string())
    kinds: dict[object, int] = {}
    found, offset = [], 0
    for i in range(parquet.num_row_groups):
        # Counted and filtered in Arrow: only the shown rows become Python objects.
        group = parquet.read_row_group(i)
        for item in pc.value_counts(group.column("kind")).to_pylist():
            if item["values"] is not None:
                kinds[item["values"]] = kinds.get(item["values"], 0) + item["counts"]
        mask = pc.is_in(group.column("doc_id"), value_set=wanted).to_numpy(zero_copy_only=False)
        if mask.any():
            mine = restore("facts", group.filter(pa.array(mask)).to_pandas(date_as_object=True))
            mine.index = offset + np.flatnonzero(mask)
            found.append(mine)
        offset += group.num_rows
        del group
    facts = pd.concat(found) if found else empty_frame("facts")
    # value_counts over one small code per fact, in order of first appearance: its order,
    # ties included, is the one value_counts gives over the whole column.
    names = list(kinds)
    codes = np.repeat(np.arange(len(names), dtype=np.int16), [kinds[k] for k in names])
    counts = pd.Series(codes).value_counts()
    counts.index = [names[i] for i in counts.index]
    return facts, (counts, offset)


def read_texts(out_dir: Path, doc_ids: pd.Series) -> dict[str, str]:
    """The saved normalised texts of `doc_ids` (missing files are simply absent)."""
    texts = {}
    for doc_id in doc_ids.dropna().unique():
        path = Path(out_dir) / "text" / f"{doc_id}.txt"
        if path.is_file():
            texts[doc_id] = path.read_text(encoding="utf-8")
    return texts
