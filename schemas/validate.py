"""Validate the tables lazily; every failure becomes a row, no row is ever dropped.

A document with a failed check keeps all its rows (the evidence is still worth reading) but
its documents row says so: status invalid_facts and a message naming the failed checks.
Cross-checks against the official geography (crosschecks.geography_warnings) are rows of
level "warning": they leave the document's status alone.
"""

from __future__ import annotations

import datetime as dt
import functools

import pandas as pd
import pandera.pandas as pa

from schemas import crosschecks
from schemas.columns import COLUMNS, empty_frame, frame, tidy_dates
from schemas.registry import prepare, schema_for

VALIDATED = ("documents", "cpts", "amounts", "missions", "places", "facts")
# Statuses that describe extraction results, so a failed check may replace them; the others
# (empty, unreadable...) say more about the file than a failed check would.
REPLACEABLE_STATUSES = ("ok", "no_cpts_found")

# Columns quoted in the failure case of dataframe-level checks; other checks quote all of them.
_CHECK_COLUMNS = {
    "end_after_start": ("start", "end"),
    "value_plausible_for_kind": ("kind", "value"),
    "date_not_after_run_date": ("kind", "value"),
    "precision_iff_published_on": ("published_on", "published_on_precision"),
    "precision_iff_signed_on": ("signed_on", "signed_on_precision"),
    "qualifier_iff_population": ("population", "population_qualifier"),
    "no_cpts_found_means_zero_cpts": ("status", "n_cpts"),
    "message_only_when_not_ok": ("status", "message"),
}


def _doc_id_at(df: pd.DataFrame, row: object) -> object:
    if pd.isna(row) or "doc_id" not in df.columns or row not in df.index:
        return None
    return df.at[row, "doc_id"]


def _schema_failures(df: pd.DataFrame, cases: pd.DataFrame) -> list[dict]:
    """pandera failure cases → rows; a dataframe-level check fails once per row, not per cell."""
    failures, seen = [], set()
    for case in cases.itertuples(index=False):
        row = None if pd.isna(case.index) else int(case.index)
        if case.schema_context == "DataFrameSchema" and row is not None:
            if (case.check, row) in seen:
                continue
            seen.add((case.check, row))
            shown = _CHECK_COLUMNS.get(case.check) or tuple(
                cases.loc[(cases["check"] == case.check) & (cases["index"] == row), "column"]
            )
            column = "|".join(shown)
            failure_case = ", ".join(f"{c}={df.at[row, c]}" for c in shown if c in df.columns)
        else:
            column = None if pd.isna(case.column) else str(case.column)
            failure_case = None if case.failure_case is None else str(case.failure_case)
        failures.append(
            {
                "doc_id": _doc_id_at(df, row),
                "column": column,
                "check": str(case.check),
                "failure_case": failure_case,
                "row": row,
            }
        )
    return failures


def _validate_one(table: str, df: pd.DataFrame, run_date: dt.date):
    try:
        return tidy_dates(table, schema_for(table, run_date).validate(df, lazy=True)), []
    except pa.errors.SchemaErrors as errors:
        return df, _schema_failures(df, errors.failure_cases)


def _cross_failures(tables: dict[str, pd.DataFrame], texts: dict[str, str]) -> dict:
    found: dict[str, list[dict]] = {t: [] for t in VALIDATED}
    required = {"doc_id", "cpts_key", "start", "end", "text"}
    for table in crosschecks.CHILD_TABLES:
        if "doc_id" in tables[table] and "doc_id" in tables["documents"]:
            found[table] += crosschecks.doc_id_failures(tables[table], tables["documents"])
    for table in crosschecks.EVIDENCE_TABLES:
        if required <= set(tables[table].columns) and {"doc_id", "cpts_key"} <= set(
            tables["cpts"].columns
        ):
            found[table] += crosschecks.offsets_failures(tables[table], texts)
            found[table] += crosschecks.cpts_key_failures(tables[table], tables["cpts"])
    return found


def _mark_invalid(documents: pd.DataFrame, errors: pd.DataFrame) -> pd.DataFrame:
    errors = errors[errors["level"] == "error"]  # a warning leaves its document as it is
    if errors.empty or "doc_id" not in documents.columns:
        return documents
    documents = documents.copy()
    for doc_id, group in errors.dropna(subset=["doc_id"]).groupby("doc_id", sort=False):
        failed = dict.fromkeys(
            f"{t}.{c} {k}" if isinstance(c, str) else f"{t} {k}"
            for t, c, k in zip(group["table"], group["column"], group["check"], strict=True)
        )
        summary = f"{len(group)} failed check(s): " + "; ".join(failed)
        for row in documents.index[documents["doc_id"] == doc_id]:
            message = documents.at[row, "message"]
            if documents.at[row, "status"] in REPLACEABLE_STATUSES:
                documents.at[row, "status"] = "invalid_facts"
            documents.at[row, "message"] = summary if pd.isna(message) else f"{message}; {summary}"
    return documents


def validate_tables(
    tables: dict[str, pd.DataFrame], texts: dict[str, str], run_date: dt.date
) -> tuple[dict[str, pd.DataFrame], pd.DataFrame]:
    """Validate every table against its schema and against `texts` (normalised text by doc_id).

    Returns the tables (coerced where they passed; unchanged where they failed, never
    filtered), with documents updated as described above and the validation_errors table
    added, and that validation_errors table. A documents row whose status is not ok or
    no_cpts_found keeps its status; the failed checks are appended to its message.
    """
    tables = {t: tables.get(t, empty_frame(t)) for t in VALIDATED}
    rows: list[dict] = []
    for table in VALIDATED:
        tables[table], failures = _validate_one(table, tables[table], run_date)
        rows += [{"table": table, "level": "error", **f} for f in failures]
    for table, failures in _cross_failures(tables, texts).items():
        rows += [{"table": table, "level": "error", **f} for f in failures]
    rows += [{"table": "cpts", "level": "warning", **f}
             for f in crosschecks.geography_warnings(tables["cpts"])]
    errors = frame("validation_errors", rows)
    tables["documents"] = _mark_invalid(tables["documents"], errors)
    tables["validation_errors"] = errors[list(COLUMNS["validation_errors"])]
    return tables, tables["validation_errors"]


@functools.cache
def warm_up() -> None:
    """Pay, once per process, what a first validation costs beyond its rows: every schema
    built (`registry.prepare`), and pandera's first-call work, by validating empty tables
    (~0.2 s of a first validation here). The flow does it while its first batch is out."""
    prepare()
    validate_tables({}, {}, run_date=dt.date(2000, 1, 1))
