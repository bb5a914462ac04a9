"""Per-document results → the published DataFrames (a pure transform, no I/O).

Every input file yields one documents row; only files that were read and assembled add rows
to the other tables. The validation_errors table starts empty: schemas.validate fills it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

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
from schemas.columns import COLUMNS, TABLES, empty_frame, frame

# The documents columns the caller knows before extraction (ingest and pipeline metadata).
DOCUMENT_ROW_KEYS = (
    "doc_id", "source", "format", "status", "message", "title",
    "n_chars", "n_pages", "extractor_version", "processed_at", "url", "fetched_at",
)  # fmt: skip


@dataclass(frozen=True)
class DocumentResult:
    """One input file: its documents-row fields, and what extraction made of it.

    `assembly` is None for files that could not be read; `document` (the normalised
    `Document`, or just its text) gives each fact its sentence and PDF page.
    """

    row: dict[str, Any]
    assembly: Assembly | None = None
    document: Document | str | None = field(default=None, repr=False)


def _text_of(document: Document | str | None) -> str | None:
    return document.text if isinstance(document, Document) else document


def _documents_row(result: DocumentResult) -> dict[str, Any]:
    row = {key: result.row.get(key) for key in DOCUMENT_ROW_KEYS}
    text = _text_of(result.document)
    if row["n_chars"] is None and text is not None:
        row["n_chars"] = len(text)
    if row["title"] is None and isinstance(result.document, Document):
        row["title"] = result.document.title
    assembly = result.assembly
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


def _fact_row(doc_id: str, item: AttributedFact, document: Document | str | None) -> dict:
    fact = item.fact
    sentence = page = None
    if isinstance(document, Document):
        sentence = without_list_marker(document.slice(document.sentence_of(fact.start)))
        page = document.page_of(fact.start)
    return {
        "doc_id": doc_id,
        "cpts_key": item.cpts_key,
        "kind": str(fact.kind),
        # Dates may arrive as date objects; the column holds text either way (ISO for dates).
        "value": fact.value.isoformat() if hasattr(fact.value, "isoformat") else str(fact.value),
        "qualifier": fact.qualifier,
        "start": fact.start,
        "end": fact.end,
        "text": fact.text,
        "sentence": sentence,
        "page": page,
        "extractor": fact.extractor,
    }


def _as_result(item: Any) -> DocumentResult:
    if isinstance(item, tuple):
        return DocumentResult(*item)
    # Any object with these three attributes will do (flows.run.process.DocResult among them).
    return DocumentResult(item.row, item.assembly, item.document)


def build_tables(results: Iterable[Any]) -> dict[str, pd.DataFrame]:
    """The tables, in contract column order and dtypes (empty tables included).

    Each item has the attributes `row`, `assembly` and `document` of `DocumentResult`
    (flows.run.process.DocResult does), or is a tuple (row, assembly, document).
    """
    rows: dict[str, list[dict]] = {table: [] for table in TABLES}
    for result in map(_as_result, results):
        doc_id = result.row.get("doc_id")
        rows["documents"].append(_documents_row(result))
        assembly = result.assembly
        if assembly is None:
            continue
        rows["cpts"] += [_cpts_row(doc_id, r, assembly.geography.get(r.cpts_key))
                         for r in assembly.cpts]
        rows["amounts"] += [_span_row(doc_id, "amounts", r) for r in assembly.amounts]
        rows["missions"] += [_span_row(doc_id, "missions", r) for r in assembly.missions]
        rows["places"] += [_place_row(doc_id, r, result.document) for r in assembly.places]
        rows["facts"] += [_fact_row(doc_id, f, result.document) for f in assembly.facts]
    tables = {table: frame(table, rows[table]) for table in TABLES if table != "validation_errors"}
    tables["validation_errors"] = empty_frame("validation_errors")
    return tables
