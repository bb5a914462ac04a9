"""Write the dataset: each table as Parquet (real types) and CSV, the texts, and run.json.

Every file is written to a temporary file beside its target and renamed over it, so a reader
(or a crash) sees the previous file or the new one, never half of one.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import tempfile
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from flows.csv_dialects import write_csv
from flows.errors import CptsFactsError
from schemas.columns import COLUMNS, TABLES, empty_frame, frame, tidy_dates

ARROW_TYPES = {
    "str": pa.string(),
    "date": pa.date32(),
    "list": pa.list_(pa.string()),
    "int": pa.int64(),
    "bool": pa.bool_(),
    "timestamp": pa.timestamp("us", tz="UTC"),
}


def arrow_schema(table: str) -> pa.Schema:
    return pa.schema([(col, ARROW_TYPES[kind]) for col, kind in COLUMNS[table].items()])


def _atomic(path: Path, write: Callable[[str], None]) -> None:
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    try:
        write(tmp)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _write_text(path: Path, text: str) -> None:
    # newline="" keeps "\r" or "\n" as they are: offsets count characters of this exact text.
    def write(tmp: str) -> None:
        with open(tmp, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)

    _atomic(path, write)


def _to_arrow(table: str, df: pd.DataFrame) -> pa.Table:
    try:
        return pa.Table.from_pandas(df, schema=arrow_schema(table), preserve_index=False)
    except (pa.ArrowInvalid, pa.ArrowTypeError, TypeError, ValueError):
        # A table that failed validation may hold values its contract type cannot; its rows
        # are written anyway (validation_errors says what is wrong), with inferred types.
        return pa.Table.from_pandas(df, preserve_index=False)


def _run_manifest(tables: dict[str, pd.DataFrame], run_info: dict) -> dict:
    statuses = tables["documents"]["status"].value_counts().sort_index()
    errors = tables["validation_errors"]["check"].value_counts().sort_index()
    return {
        **run_info,
        "started": run_info.get("started_at") or run_info.get("started"),
        "finished": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "statuses": {str(k): int(v) for k, v in statuses.items()},
        "tables": {name: len(df) for name, df in tables.items()},
        "validation_errors_by_check": {str(k): int(v) for k, v in errors.items()},
        "versions": run_info.get("versions", {}),
        "settings": run_info.get("settings", {}),
    }


def _ensure_writable(out_dir: Path) -> None:
    try:
        (out_dir / "text").mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=out_dir):
            pass
    except OSError as exc:
        raise CptsFactsError(
            f"output folder is not writable: {out_dir} ({exc.strerror or exc})"
        ) from exc


def write_dataset(
    tables: dict[str, pd.DataFrame],
    out_dir: Path,
    *,
    texts: dict[str, str],
    run_info: dict,
    csv_dialect: str = "standard",
) -> dict[str, Path]:
    """Write `tables` (missing ones as empty), `texts` by doc_id and run.json into `out_dir`.

    Returns the path of every file written, by name ("documents.parquet", "run.json"...).
    Raises CptsFactsError, with a one-line message, when `out_dir` cannot be written.
    """
    out_dir = Path(out_dir)
    _ensure_writable(out_dir)
    tables = {t: tidy_dates(t, tables.get(t, empty_frame(t))[list(COLUMNS[t])]) for t in TABLES}
    written: dict[str, Path] = {}
    try:
        for table, df in tables.items():
            parquet = out_dir / f"{table}.parquet"
            arrow = _to_arrow(table, df)
            _atomic(parquet, lambda tmp, arrow=arrow: pq.write_table(arrow, tmp))
            written[parquet.name] = parquet
            written[f"{table}.csv"] = write_csv(df, out_dir / f"{table}.csv", csv_dialect)
        for doc_id, text in texts.items():
            _write_text(out_dir / "text" / f"{doc_id}.txt", text)
        manifest = json.dumps(
            _run_manifest(tables, run_info), indent=2, ensure_ascii=False, default=str
        )
        _write_text(out_dir / "run.json", manifest + "\n")
        written["run.json"] = out_dir / "run.json"
    except OSError as exc:
        raise CptsFactsError(f"cannot write the dataset to {out_dir}: {exc}") from exc
    return written


def _restore(table: str, df: pd.DataFrame) -> pd.DataFrame:
    """Parquet → the contract's pandas dtypes (lists come back as numpy arrays, ints as float)."""
    rows = df.to_dict("records")
    for row in rows:
        for col, kind in COLUMNS[table].items():
            value = row.get(col)
            if kind == "list":
                row[col] = [] if value is None else [str(v) for v in value]
            elif kind in ("int", "str") and value is not None and pd.isna(value):
                row[col] = None
    return frame(table, rows)


def read_dataset(out_dir: Path) -> dict[str, pd.DataFrame]:
    """The six tables of a dataset written by `write_dataset` (absent tables come back empty)."""
    out_dir = Path(out_dir)
    if not (out_dir / "documents.parquet").exists():
        raise CptsFactsError(f"no dataset in {out_dir}: documents.parquet is missing")
    tables = {}
    for table in TABLES:
        path = out_dir / f"{table}.parquet"
        if not path.exists():
            tables[table] = empty_frame(table)
            continue
        df = pq.read_table(path).to_pandas(date_as_object=True)
        tables[table] = _restore(table, df)
    return tables
