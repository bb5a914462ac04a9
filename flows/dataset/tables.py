"""Per-document results → the published DataFrames (a pure transform, no I/O).

Every input file yields one documents row, written by `documents_row` only; only files that
were read and assembled add rows to the other tables. The validation_errors table starts
empty: schemas.validate fills it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

import extractors
from extractors.records import (
    AmountRecord,
    Assembly,
    AttributedFact,
    CptsGeography,
    CptsRecord,
    MissionRecord,
    PlaceRecord,
)
from extractors.text.document import without_list_marker
from extractors.types import Document
from flows.read.ingest import READ_FAILED, Ingested
from schemas.columns import COLUMNS, TABLES, empty_frame, frame, frame_of_columns


@dataclass(frozen=True)
class DocumentResult:
    """One input file: what reading it gave, and what extraction made of it.

    `document` (the normalised text, when there is one) gives each fact its sentence and PDF
    page; `assembly` is None for files that were not extracted. `status` and `message` are
    extraction's verdict when it overrides reading's ("empty" after normalisation,
    "invalid_facts" when an extractor failed).
    """

    ingested: Ingested
    document: Document | None = field(default=None, repr=False)
    assembly: Assembly | None = None
    status: str | None = None
    message: str | None = None


def documents_row(result: DocumentResult, *, processed_at: dt.datetime,
                  extractor_version: str, read_attempts: int = 1) -> dict[str, Any]:
    """The documents row of one file: the only place it is written."""
    ingested, document, assembly = result.ingested, result.document, result.assembly
    message = result.message if result.status else ingested.message
    if read_attempts > 1 and message.startswith(READ_FAILED):
        message += f" (after {read_attempts} attempts)"
    row = {
        "doc_id": ingested.doc_id,
        "source": ingested.source,
        "format": ingested.format,
        "status": result.status or ingested.status,
        "message": message,
        "title": ingested.title if ingested.title is not None or document is None
        else document.title,
        "n_chars": None if document is None else len(document.text),
        "n_pages": ingested.n_pages,
        "extractor_version": extractor_version,
        "processed_at": processed_at,
        "url": ingested.url,
        "fetched_at": ingested.fetched_at,
    }
    if assembly is None:
        return _message_only_when_not_ok(row)
    row.update(
        published_on=assembly.published_on,
        published_on_precision=assembly.published_on_precision,
        place=assembly.place,
        departments=list(assembly.departments),
        n_cpts=len(assembly.cpts),
    )
    if row["status"] == "ok" and not assembly.cpts:
        row["status"] = "no_cpts_found"
        row["message"] = "; ".join(filter(None, [row["message"], "no CPTS named in the text"]))
    return _message_only_when_not_ok(row)


def _message_only_when_not_ok(row: dict[str, Any]) -> dict[str, Any]:
    # How a readable file was read ("decoded as utf-8") only helps explain a status that is
    # not ok; on an ok row it reads like a warning to analysts.
    if row["status"] == "ok":
        row["message"] = None
    return row


# The cpts columns that come from what the places imply, not from the text's own record.
GEOGRAPHY_COLUMNS = ("departments_inferred", "population_reference", "communes_reference")


def _cpts_row(doc_id: str, record: CptsRecord, geography: CptsGeography | None) -> dict:
    geography = geography or CptsGeography()
    return {
        "doc_id": doc_id,
        **{col: getattr(record, col) for col in COLUMNS["cpts"]
           if col != "doc_id" and col not in GEOGRAPHY_COLUMNS},
        "departments": list(record.departments),
        "departments_inferred": list(geography.departments_inferred),
        "population_reference": geography.population_reference,
        "communes_reference": geography.communes_reference,
    }


def _place_row(doc_id: str, record: PlaceRecord, document: Document | str | None) -> dict:
    sentence = None
    if isinstance(document, Document):
        sentence = without_list_marker(document.slice(document.sentence_of(record.start)))
    return {
        "doc_id": doc_id,
        **{col: getattr(record, col) for col in COLUMNS["places"]
           if col not in ("doc_id", "sentence", "candidates")},
        "candidates": list(record.candidates),
        "sentence": sentence,
    }


def _span_row(doc_id: str, table: str, record: AmountRecord | MissionRecord) -> dict[str, Any]:
    return {"doc_id": doc_id, **{c: getattr(record, c) for c in COLUMNS[table] if c != "doc_id"}}


# The facts columns, in the order of the tuples `_fact_rows` gives.
FACT_COLUMNS = ("doc_id", "cpts_key", "kind", "value", "qualifier", "start", "end", "text",
                "sentence", "page", "extractor")


def _fact_rows(doc_id: str, facts: Iterable[AttributedFact],
               document: Document | None) -> list[tuple]:
    """The facts rows of one document, as tuples of FACT_COLUMNS: the table, a row per fact,
    is built from its columns (frame_of_columns), not from a dict per row taken apart again;
    a sentence is quoted once for all of its facts."""
    quoted: dict[tuple[int, int], str] = {}
    rows = []
    for item in facts:
        fact = item.fact
        sentence = page = None
        if document is not None:
            span = document.sentence_of(fact.start)
            sentence = quoted.get((span.start, span.end))
            if sentence is None:
                sentence = quoted[span.start, span.end] = without_list_marker(
                    document.slice(span))
            page = document.page_of(fact.start)
        rows.append((
            doc_id,
            item.cpts_key,
            str(fact.kind),
            # Dates may arrive as date objects; the column holds text either way (ISO for dates).
            fact.value.isoformat() if hasattr(fact.value, "isoformat") else str(fact.value),
            fact.qualifier,
            fact.start,
            fact.end,
            fact.text,
            sentence,
            page,
            fact.extractor,
        ))
    return rows


def build_tables(results: Iterable[DocumentResult], *, processed_at: dt.datetime,
                 extractor_version: str | None = None,
                 read_attempts: int = 1) -> dict[str, pd.DataFrame]:
    """The tables, in contract column order and dtypes (empty tables included).

    `extractor_version`: the flow's `extractors.__version__` (a worker process imported its
    own copy of the package), this process's by default. `read_attempts`: how many times the
    files were tried (a read that failed every time says so in its message).
    """
    version = extractor_version or extractors.__version__
    rows: dict[str, list[dict]] = {table: [] for table in TABLES}
    facts: list[tuple] = []
    for result in results:
        doc_id = result.ingested.doc_id
        rows["documents"].append(documents_row(result, processed_at=processed_at,
                                               extractor_version=version,
                                               read_attempts=read_attempts))
        assembly = result.assembly
        if assembly is None:
            continue
        rows["cpts"] += [_cpts_row(doc_id, r, assembly.geography.get(r.cpts_key))
                         for r in assembly.cpts]
        rows["amounts"] += [_span_row(doc_id, "amounts", r) for r in assembly.amounts]
        rows["missions"] += [_span_row(doc_id, "missions", r) for r in assembly.missions]
        rows["places"] += [_place_row(doc_id, r, result.document) for r in assembly.places]
        facts += _fact_rows(doc_id, assembly.facts, result.document)
    tables = {table: frame(table, rows[table]) for table in TABLES
              if table not in ("facts", "validation_errors")}
    columns = dict(zip(FACT_COLUMNS, map(list, zip(*facts, strict=True)), strict=True)
                   ) if facts else {}
    tables["facts"] = frame_of_columns("facts", columns, len(facts))
    tables["validation_errors"] = empty_frame("validation_errors")
    return tables
