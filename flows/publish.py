"""What a run writes beside the six tables: the CPTS registry, the data package, the report."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from flows.datapackage import write_datapackage
from flows.registry import build_registry, write_registry
from flows.report import shown_documents, write_report
from schemas.columns import TABLES


def write_extras(
    tables: dict[str, pd.DataFrame], texts: dict[str, str] | None, out_dir: Path, *,
    report: bool = True, report_max_docs: int | None = None,
) -> list[Path]:
    """Registry, data package and (with `report`) report.html. `texts` None: the report reads
    the saved texts of the documents it shows, and only those."""
    written = write_registry(build_registry(tables), out_dir)
    written.append(write_datapackage(out_dir, list(TABLES)))
    if report:
        if texts is None:
            shown = shown_documents(tables, report_max_docs)
            texts = read_texts(out_dir, shown["doc_id"])
        written.append(write_report(tables, texts, out_dir / "report.html",
                                    max_docs=report_max_docs))
    return written


def read_texts(out_dir: Path, doc_ids: pd.Series) -> dict[str, str]:
    """The saved normalised texts of `doc_ids` (missing files are simply absent)."""
    texts = {}
    for doc_id in doc_ids.dropna().unique():
        path = Path(out_dir) / "text" / f"{doc_id}.txt"
        if path.is_file():
            texts[doc_id] = path.read_text(encoding="utf-8")
    return texts
