"""`cpts-facts show FILE`: one release's facts in the terminal, without writing anything.

A file on disk is extracted in memory (no Prefect, nothing written); anything else is looked
up by doc_id or source in an existing dataset.
"""

from __future__ import annotations

import argparse
import datetime as dt
import re
from pathlib import Path

from rich.console import Console

from flows.dataset.export import read_dataset
from flows.dataset.tables import build_tables
from flows.errors import CptsFactsError
from flows.publish.extras import read_texts
from flows.read.discover import Entry
from flows.run.process import process_file
from flows.show import render_document_facts
from schemas.validate import validate_tables

DOC_ID = re.compile(r"[0-9a-f]{16}")


def cmd_show(args: argparse.Namespace) -> int:
    console = Console()
    path = Path(args.file)
    if path.is_file():
        now = dt.datetime.now(dt.UTC).replace(microsecond=0)
        result = process_file(
            Entry(path, path.name), max_bytes=20_000_000, max_pages=200, processed_at=now
        )
        texts = {result.document.doc_id: result.document.text} if result.document else {}
        tables, errors = validate_tables(build_tables([result]), texts, run_date=now.date())
        tables["validation_errors"] = errors
        render_document_facts(tables, texts, result.row["doc_id"], console)
        return 0
    out = Path(args.out)
    if not (out / "documents.parquet").exists() and not DOC_ID.fullmatch(args.file):
        # A mistyped file name is the likely slip; "no dataset in output" would send the
        # user looking for the wrong thing.
        raise CptsFactsError(f"file not found: {args.file} (and no dataset in {out} to look "
                             "it up by doc_id or source)")
    tables = read_dataset(out)
    texts = read_texts(out, tables["documents"]["doc_id"])
    render_document_facts(tables, texts, args.file, console)
    return 0
