"""`cpts-facts show FILE`: one release's facts, grouped by CPTS, each with its evidence.

The point is to let a reader check a fact against the sentence it came from without opening the
report, so the matched words are highlighted inside their sentence. A file on disk is extracted
in memory (no Prefect, nothing written); anything else is looked up by doc_id or source in an
existing dataset.
"""

from __future__ import annotations

import re
from pathlib import Path, PurePath

import pandas as pd
from rich.console import Console, Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from flows.dataset.export import read_dataset
from flows.errors import CptsFactsError
from flows.publish.extras import read_texts
from flows.publish.report import as_text
from flows.read.discover import Entry
from flows.run.process import extract_files

# Characters of context shown around a fact whose sentence is unknown.
CONTEXT = 80
DOC_ID = re.compile(r"[0-9a-f]{16}")
NO_CPTS = "Document (no single CPTS)"


def show(wanted: str, out_dir: Path, console: Console | None = None) -> int:
    """Print the facts of `wanted`: a file (extracted now), else a doc_id or source in the
    dataset `out_dir`. Returns how many facts were printed."""
    console = console or Console()
    path = Path(wanted)
    if path.is_file():
        extracted = extract_files([Entry(path, path.name)], validate=True)
        doc_id = extracted.tables["documents"]["doc_id"].iloc[0]
        return render_document_facts(extracted.tables, extracted.texts, doc_id, console)
    if not (out_dir / "documents.parquet").exists() and not DOC_ID.fullmatch(wanted):
        # A mistyped file name is the likely slip; "no dataset in output" would send the
        # user looking for the wrong thing.
        raise CptsFactsError(f"file not found: {wanted} (and no dataset in {out_dir} to look "
                             "it up by doc_id or source)")
    tables = read_dataset(out_dir)
    texts = read_texts(out_dir, tables["documents"]["doc_id"])
    try:
        return render_document_facts(tables, texts, wanted, console)
    except NoSuchDocument:
        if path.suffix or "/" in wanted:  # written as a path: say first that there is no file
            raise CptsFactsError(f"file not found: {wanted} (and no document of the dataset in "
                                 f"{out_dir} matches it)") from None
        raise


def find_document(documents: pd.DataFrame, wanted: str) -> pd.Series:
    """The documents row named by a doc id, a doc id prefix, a source path or a file name."""
    wanted = str(wanted)
    tests = (
        documents["doc_id"] == wanted,
        documents["source"] == wanted,
        documents["source"].map(lambda s: PurePath(s).as_posix().endswith("/" + wanted)),
        documents["source"].map(lambda s: PurePath(s).name == PurePath(wanted).name),
        documents["doc_id"].str.startswith(wanted) if len(wanted) >= 4 else None,
    )
    for test in tests:
        if test is None:
            continue
        found = documents[test.fillna(False).astype(bool)]
        if len(found) == 1:
            return found.iloc[0]
        if len(found) > 1:
            names = ", ".join(found["source"].head(5))
            raise CptsFactsError(f"{wanted!r} matches {len(found)} documents: {names}")
    raise NoSuchDocument(f"no document matches {wanted!r}")


class NoSuchDocument(CptsFactsError):
    """No row of the dataset's documents is the one asked for."""


def _flat(text: str) -> str:
    # Wrapped PDF lines and NBSPs make noisy terminal output; spacing carries no meaning here.
    return re.sub(r"\s+", " ", text)


def evidence(fact: pd.Series, text: str | None) -> Text:
    """The fact's sentence (or some context) with the fact's own words highlighted."""
    sentence, found = as_text(fact.get("sentence")), as_text(fact.get("text"))
    at = sentence.find(found) if sentence and found else -1
    if at == -1 and text is not None:
        start, end = int(fact["start"]), int(fact["end"])
        left, right = max(0, start - CONTEXT), min(len(text), end + CONTEXT)
        sentence, at = text[left:right], start - left
        found = text[start:end]
    if at == -1:
        return Text(_flat(sentence or found).strip())
    out = Text(_flat(sentence[:at]).lstrip())
    out.append(_flat(found), style="bold black on yellow")
    out.append(_flat(sentence[at + len(found):]).rstrip())
    return out


def _group_table(title: str, facts: pd.DataFrame, text: str | None) -> Table:
    table = Table(title=Text(title, style="bold"), title_justify="left", expand=True,
                  show_lines=True)
    table.add_column("kind", style="cyan", no_wrap=True)
    table.add_column("value", style="bold")
    table.add_column("qualifier", style="magenta")
    table.add_column("evidence", ratio=1)
    for _, fact in facts.sort_values("start").iterrows():
        table.add_row(as_text(fact["kind"]), as_text(fact["value"]), as_text(fact.get("qualifier")),
                      evidence(fact, text))
    return table


def _header(doc: pd.Series, n_facts: int, errors: pd.DataFrame) -> Panel:
    lines = Text()
    for label in ("doc_id", "status", "format", "published_on", "place", "departments"):
        value = as_text(doc.get(label))
        if value:
            style = "bold red" if label == "status" and value != "ok" else ""
            lines.append(f"{label}: ", style="dim").append(value + "\n", style=style)
    lines.append("facts: ", style="dim").append(f"{n_facts}\n")
    if as_text(doc.get("message")):
        lines.append(as_text(doc["message"]) + "\n", style="red")
    for _, error in errors.iterrows():
        lines.append(f"validation: {as_text(error['table'])}.{as_text(error['column'])} "
                     f"{as_text(error['check'])} failed on {as_text(error['failure_case'])}\n",
                     style="red")
    lines.rstrip()
    return Panel(lines, title=Text(as_text(doc["source"])), title_align="left")


def render_document_facts(
    tables: dict[str, pd.DataFrame], texts: dict[str, str], doc_id_or_source: str,
    console: Console,
) -> int:
    """Print the facts of one document grouped by CPTS; return how many facts were printed."""
    doc = find_document(tables["documents"], doc_id_or_source)
    doc_id = doc["doc_id"]
    facts = tables["facts"][tables["facts"]["doc_id"] == doc_id]
    cpts = tables["cpts"][tables["cpts"]["doc_id"] == doc_id]
    errors = tables["validation_errors"]
    errors = errors[errors["doc_id"] == doc_id]
    text = texts.get(doc_id)
    console.print(_header(doc, len(facts), errors))
    titles = {row["cpts_key"]: f"{row['name']} ({row['cpts_key']}, {row['status']})"
              for _, row in cpts.iterrows()}
    keys = list(titles) + [k for k in dict.fromkeys(facts["cpts_key"].dropna()) if k not in titles]
    parts = []
    for key in keys:
        mine = facts[facts["cpts_key"] == key]
        if len(mine) or key in titles:
            parts.append(_group_table(titles.get(key, key), mine, text))
    unattributed = facts[facts["cpts_key"].isna()]
    if len(unattributed):
        parts.append(_group_table(NO_CPTS, unattributed, text))
    if not parts:
        parts.append(Text("No facts extracted from this document.", style="yellow"))
    console.print(Group(*parts))
    return len(facts)
