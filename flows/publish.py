"""What a run writes beside the six tables: the CPTS registry, the data package, the report."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from flows.datapackage import write_datapackage
from flows.registry import build_registry, write_registry
from flows.report import write_report
from schemas.columns import TABLES


def write_extras(
    tables: dict[str, pd.DataFrame], texts: dict[str, str], out_dir: Path, *, report: bool = True
) -> list[Path]:
    written = write_registry(build_registry(tables), out_dir)
    written.append(write_datapackage(out_dir, list(TABLES)))
    if report:
        written.append(write_report(tables, texts, out_dir / "report.html"))
    return written


def read_texts(out_dir: Path, doc_ids: pd.Series) -> dict[str, str]:
    """The saved normalised texts of `doc_ids` (missing files are simply absent)."""
    texts = {}
    for doc_id in doc_ids.dropna().unique():
        path = Path(out_dir) / "text" / f"{doc_id}.txt"
        if path.is_file():
            texts[doc_id] = path.read_text(encoding="utf-8")
    return texts
