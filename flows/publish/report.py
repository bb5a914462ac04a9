"""output/report.html: one self-contained page an analyst can open from disk.

It shows the run at a glance, a sortable and filterable table of every CPTS, and each document's
normalised text with every fact highlighted where it was found. A page inlining every text
of a large run would not open, so only the first `max_docs` documents (problems first) are
inlined; every other document gets its own page, evidence/<doc_id>.html beside the report, and
its CPTS rows link there: every row opens its evidence whatever the size of the run.
Everything from the data is HTML-escaped: release texts and file names are untrusted input.
"""

from __future__ import annotations

import datetime as dt
import functools
import heapq
import os
import re
import shutil
import uuid
from collections.abc import Callable, Iterable, Iterator
from html import escape
from importlib.resources import files
from pathlib import Path

import pandas as pd

from extractors.types import FactKind
from flows.dataset.csv_dialects import split_list
from flows.publish.cards import QUALIFIER_SIGNS, cpts_card, escape_repeated
from flows.read.atomic import atomic_write
from schemas.columns import row_dicts

KINDS = tuple(k.value for k in FactKind)
EVIDENCE_DIR = "evidence"
CPTS_COLUMNS = (  # header, field, numeric
    ("Name", "name", False), ("Key", "cpts_key", False), ("Status", "status", False),
    ("Population", "population", True), ("Communes", "communes", True),
    ("Professionals", "professionals", True), ("Signed on", "signed_on", False),
    ("Departments", "departments", False), ("Document", "source", False),
)


# The tables shown per document (places is optional: a dataset written before it has none).
PER_DOCUMENT = ("facts", "validation_errors", "cpts", "places")


def _e(value: object) -> str:
    if type(value) is int:  # row labels and counts: digits and a sign, nothing to escape
        return str(value)
    return escape(as_text(value), quote=True)


def as_text(value: object) -> str:
    if isinstance(value, str):
        return value
    if type(value) is int:  # row labels and offsets: most calls, and not list-like or null
        return str(value)
    if pd.api.types.is_list_like(value):
        return ", ".join(split_list(value))
    if value is None or pd.isna(value):
        return ""
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


NOT_IN_ID = re.compile(r"[^A-Za-z0-9_]")


def _anchor(*parts: object) -> str:
    # ids are built from doc ids and keys; anything else is replaced so the id stays valid.
    return "-".join(map(_id_part, parts))


def _id_part(part: object) -> str:
    if type(part) is int and part >= 0:  # a row label, in every fact's id: digits only
        return str(part)
    return _safe_id(as_text(part))


@functools.lru_cache(maxsize=4096)
def _safe_id(text: str) -> str:
    # The same few words ("fact", "ev") and a document's doc_id and CPTS keys come back in
    # every id of its page: each is cleaned once (bounded: doc_ids are as many as documents).
    return NOT_IN_ID.sub("_", text)


def _kind_class(kind: object) -> str:
    return f"k-{kind}" if kind in KINDS else "k-other"


def _tooltip_html(fact: dict) -> str:
    """The fact's title, escaped: its kind, value, qualifier and CPTS."""
    return _tooltip_html_of(as_text(fact["kind"]), as_text(fact["value"]),
                            as_text(fact.get("qualifier")), as_text(fact.get("cpts_key")))


# Every mention of a value of a CPTS (its name, seven times) has the same title: it is built
# and escaped once for all of them. Bounded, as the values of a run are not.
@functools.lru_cache(maxsize=8192)
def _tooltip_html_of(kind: str, value: str, qualifier: str, cpts_key: str) -> str:
    lines = [f"kind: {kind}", f"value: {value}"]
    if qualifier:
        lines.append(f"qualifier: {qualifier}")
    lines.append(f"CPTS: {cpts_key or '(document / none)'}")
    return escape("\n".join(lines), quote=True)


def _records(df: pd.DataFrame) -> dict:
    """index label → row as a dict (iterrows builds a Series per row: ~50 times slower)."""
    return dict(zip(df.index, row_dicts(df), strict=True))


def highlight(text: str, facts: pd.DataFrame | dict) -> str:
    """`text` as HTML with one <mark data-fact=ROW> per fact row (ROW = facts index label).

    Nested facts become nested marks. A fact that crosses the end of an enclosing one is split
    there; its later pieces are <mark class="cont" data-fact-part=ROW>, so each fact still has
    exactly one [data-fact] element and all of its characters are highlighted.
    """
    queue = []
    records = facts if isinstance(facts, dict) else _records(facts)
    for seq, (row, fact) in enumerate(records.items()):
        start, end = int(fact["start"]), min(int(fact["end"]), len(text))
        if 0 <= start < end:
            heapq.heappush(queue, (start, -end, seq, end, row, False))
    out, stack, pos = [], [], 0  # stack holds the ends of the open marks, innermost last

    def emit(upto: int) -> None:
        nonlocal pos
        out.append(escape(text[pos:upto], quote=False))
        pos = upto

    while queue or stack:
        next_start = queue[0][0] if queue else len(text) + 1
        while stack and stack[-1] <= next_start:
            emit(stack.pop())
            out.append("</mark>")
        if not queue:
            continue
        start, _, seq, end, row, cont = heapq.heappop(queue)
        emit(start)
        if stack and end > stack[-1]:
            heapq.heappush(queue, (stack[-1], -end, seq, end, row, True))
            end = stack[-1]
        fact = records[row]
        attrs = (f'data-fact-part="{_e(row)}" class="cont {_kind_class(fact["kind"])}"' if cont
                 else f'id="{_anchor("fact", row)}" data-fact="{_e(row)}" '
                      f'class="{_kind_class(fact["kind"])}"')
        out.append(f'<mark {attrs} title="{_tooltip_html(fact)}">')
        stack.append(end)
    emit(len(text))
    return "".join(out)


def _count_table(title: str, counts: pd.Series) -> str:
    rows = "".join(f"<tr><td>{_e(k)}</td><td class='num'>{int(v)}</td></tr>"
                   for k, v in counts.items())
    return f"<div class='card'><h3>{_e(title)}</h3><table>{rows or '<tr><td>none</td></tr>'}"\
           "</table></div>"


def is_warning(errors: pd.DataFrame) -> pd.Series:
    """The validation_errors rows of level warning (a dataset written before levels has
    none): a disagreement with the official geography, not a broken row."""
    if "level" not in errors.columns:
        return pd.Series(False, index=errors.index, dtype=bool)
    return (errors["level"] == "warning").fillna(False).astype(bool)


def _by_check(errors: pd.DataFrame) -> pd.Series:
    if not len(errors):
        return pd.Series(dtype=int)
    return errors.groupby(["table", "check"]).size().rename(lambda k: f"{k[0]}: {k[1]}")


def summary_html(tables: dict[str, pd.DataFrame],
                 fact_counts: tuple[pd.Series, int] | None = None) -> str:
    """`fact_counts`: (facts per kind, facts) when tables["facts"] holds only some rows."""
    docs, facts, errors = tables["documents"], tables["facts"], tables["validation_errors"]
    per_kind, n_facts = fact_counts or (facts["kind"].value_counts(), len(facts))
    warned = is_warning(errors)
    totals = pd.Series({"documents": len(docs), "CPTS rows": len(tables["cpts"]),
                        "facts": n_facts, "validation errors": int((~warned).sum())})
    if warned.any():
        totals["geography warnings"] = int(warned.sum())
    cards = [
        _count_table("Totals", totals),
        _count_table("Files per status", docs["status"].value_counts()),
        _count_table("Facts per kind", per_kind),
        _count_table("Validation errors", _by_check(errors[~warned])),
    ]
    if warned.any():
        cards.append(_count_table("Geography warnings", _by_check(errors[warned])))
    return f"<div class='cards'>{''.join(cards)}</div>"


def _cell(row: pd.Series | dict, field: str, numeric: bool) -> str:
    value = row.get(field)
    if not numeric:  # names, keys, statuses, dates, departments: each CPTS's come back often
        return f"<td>{escape_repeated(as_text(value))}</td>"
    if value is None or pd.isna(value):
        return "<td class='num' data-sort=''></td>"
    sign = QUALIFIER_SIGNS.get(as_text(row.get(f"{field}_qualifier")), "")
    shown = f"{sign}{int(value):,}".replace(",", "\u202f")
    return f"<td class='num' data-sort='{int(value)}'>{_e(shown)}</td>"


def evidence_href(doc_id: str, cpts_key: str, inline: set | None) -> str:
    """Where a CPTS row's evidence is: its card in this page when the document is inlined,
    else in the document's own page (relative, so it works from any copy of the folder)."""
    target = "#" + _anchor("ev", doc_id, cpts_key)
    if inline is None or doc_id in inline:
        return target
    return f"{EVIDENCE_DIR}/{_anchor(doc_id)}.html{target}"


# CPTS rows turned into HTML at a time (see `cpts_table_html`).
TABLE_ROWS = 1000


def cpts_table_html(tables: dict[str, pd.DataFrame], inline: set | None = None) -> Iterator[str]:
    """The table of every CPTS row, in pieces of TABLE_ROWS rows: whole, the 20,000 rows of
    10,000 documents (7 million characters at two bytes each, their pieces and their row
    dicts) took ~50 MB at once. `inline`: doc_ids whose text this page shows (None: all)."""
    sources = tables["documents"].set_index("doc_id")["source"]
    head = "".join(f"<th scope='col' data-col='{i}'{' data-type=number' if num else ''}>"
                   f"{_e(title)}</th>" for i, (title, _, num) in enumerate(CPTS_COLUMNS))
    yield f"<table class='data' id='cpts-table'><thead><tr>{head}</tr></thead><tbody>"
    sources = sources[~sources.index.duplicated()].to_dict()
    cpts = tables["cpts"]
    for first in range(0, len(cpts), TABLE_ROWS):
        # records: iterrows costs ~0.1 ms a row
        yield "".join(_cpts_row(row, sources, inline)
                      for row in row_dicts(cpts.iloc[first : first + TABLE_ROWS]))
    yield "</tbody></table>"


def _cpts_row(row: dict, sources: dict, inline: set | None) -> str:
    row["source"] = sources.get(row["doc_id"], row["doc_id"])
    href = _e(evidence_href(row["doc_id"], row["cpts_key"], inline))
    cells = "".join(_cell(row, field, num) for _, field, num in CPTS_COLUMNS[1:])
    return f"<tr tabindex='0'><td><a href='{href}'>{_e(row['name'])}</a></td>{cells}</tr>"


def _cpts_cards(doc_id: str, cpts: dict, facts: dict, places: dict | None = None) -> str:
    """`cpts`, `facts`, `places`: the document's rows, index label → row (see `_groups`)."""
    by_key: dict[object, list[dict]] = {}
    for place in (places or {}).values():
        by_key.setdefault(place["cpts_key"], []).append(place)
    return "".join(cpts_card(doc_id, row, facts, _anchor, by_key.get(row["cpts_key"], []))
                   for row in cpts.values())


def filter_options_html() -> str:
    options = "".join(f"<option value='{i}'>{_e(title)}</option>"
                      for i, (title, _, _) in enumerate(CPTS_COLUMNS))
    return f"<option value=''>all columns</option>{options}"


def document_html(doc: pd.Series | dict, tables: dict[str, pd.DataFrame], text: str | None,
                  groups: dict[str, dict | pd.DataFrame] | None = None) -> str:
    """One document's section. `groups` (table → rows of this document) spares a scan of the
    whole tables; without it they are filtered here."""
    doc_id = doc["doc_id"]
    if groups is None:
        groups = {t: tables[t][tables[t]["doc_id"] == doc_id]
                  for t in PER_DOCUMENT if t in tables}
    facts = _rows(groups["facts"])
    errors = list(_rows(groups["validation_errors"]).values())
    # A row without a level (a dataset written before levels) is an error, as in is_warning.
    problem = doc["status"] != "ok" or any(e.get("level") != "warning" for e in errors)
    meta = " · ".join(_e(v) for v in (doc.get("format"), doc.get("published_on"),
                                       doc.get("place"), f"{len(facts)} facts") if as_text(v))
    issues = "".join(f"<li>{'warning: ' if e.get('level') == 'warning' else ''}"
                     f"{_e(e['table'])}.{_e(e['column'])}: {_e(e['check'])} failed on "
                     f"<code>{_e(e['failure_case'])}</code> (row {_e(e['row'])})</li>"
                     for e in errors)
    # Only a status that is not ok has something to explain; a note on an ok document (a
    # dataset written before messages were kept for problems) is shown as a plain note.
    note = "errors" if doc["status"] != "ok" else "note"
    message = f"<p class='{note}'>{_e(doc['message'])}</p>" if as_text(doc.get("message")) else ""
    body = (f"<pre class='text'>{highlight(text, facts)}</pre>" if text is not None
            else "<p class='muted'>No normalised text for this document.</p>")
    places = groups.get("places")
    cards = _cpts_cards(doc_id, _rows(groups["cpts"]),
                        facts, None if places is None else _rows(places))
    return (f"<section class='doc{' problem' if problem else ''}' id='{_anchor('doc', doc_id)}'>"
            f"<h3>{_e(doc['source'])} <span class='status{' problem' if problem else ''}'>"
            f"{_e(doc['status'])}</span></h3><p class='muted'><code>{_e(doc_id)}</code> "
            f"{meta}{original_link(doc.get('url'))}</p>{message}"
            f"{f'<ul class=errors>{issues}</ul>' if issues else ''}"
            f"{cards}{body}</section>")


def original_link(url: object) -> str:
    """A link to the page a fetched release came from (files brought by hand have none)."""
    url = as_text(url)
    if not url or not url.startswith(("http://", "https://")):
        return ""
    return f" · <a class='original' href='{_e(url)}' rel='noopener noreferrer'>original</a>"


def ordered_documents(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Documents in report order: failed files first, then files whose rows failed
    validation, then files with a geography warning, then clean ones, each group by
    source."""
    docs = tables["documents"]
    errors = tables["validation_errors"]
    warned = is_warning(errors)
    with_errors = set(errors.loc[~warned, "doc_id"].dropna())
    with_warnings = set(errors.loc[warned, "doc_id"].dropna())
    rank = [0 if s != "ok" else 1 if d in with_errors else 2 if d in with_warnings else 3
            for d, s in zip(docs["doc_id"], docs["status"], strict=True)]
    return docs.assign(_rank=rank).sort_values(["_rank", "source"], kind="stable")


def shown_documents(tables: dict[str, pd.DataFrame], max_docs: int | None) -> pd.DataFrame:
    """The documents whose text the report shows: the first `max_docs` in report order, so
    the ones with problems come first (None: every document)."""
    ordered = ordered_documents(tables)
    return ordered if max_docs is None else ordered.head(max(max_docs, 0))


def _groups(tables: dict[str, pd.DataFrame], doc_ids: set) -> dict[str, dict]:
    """doc_id → table → its rows ({index label: row dict}), for `doc_ids` only: one pass per
    table, not one per document, and one `to_dict` per table (a `to_dict` of a document's few
    rows costs ~0.2 ms per column: it was half of the report's time)."""
    present = [t for t in PER_DOCUMENT if t in tables]
    found: dict[str, dict] = {d: {t: {} for t in present} for d in doc_ids}
    for table in present:
        df = tables[table]
        mine = df[df["doc_id"].isin(doc_ids)]
        for label, row in zip(mine.index, row_dicts(mine), strict=True):
            found[row["doc_id"]][table][label] = row
    return found


def _rows(rows: pd.DataFrame | dict) -> dict:
    """A document's rows of one table as {index label: row dict} (see `_groups`)."""
    return rows if isinstance(rows, dict) else _records(rows)


def _others_html(others: pd.DataFrame) -> str:
    if others.empty:
        return ""
    urls = others["url"] if "url" in others else [None] * len(others)
    items = "".join(f"<li><a href='{EVIDENCE_DIR}/{_anchor(d)}.html'>{_e(s)}</a> "
                    f"<code>{_e(d)}</code> <span class='status'>{_e(st)}</span>"
                    f"{original_link(u)}</li>"
                    for d, s, st, u in zip(others["doc_id"], others["source"], others["status"],
                                           urls, strict=True))
    return (f"<section class='doc' id='other-documents'><h3>{len(others)} more documents"
            f"</h3><p class='muted'>Each has its own page in <code>{EVIDENCE_DIR}/</code> beside "
            f"this report, so this one stays quick to open; their CPTS rows above link there. "
            f"In a terminal: <code>cpts-facts show FILE</code> (a file, its source or its "
            f"doc_id).</p><ul class='others'>{items}</ul></section>")


def documents_html(tables: dict[str, pd.DataFrame], texts: dict[str, str],
                   max_docs: int | None = None) -> Iterator[str]:
    """The documents' sections, one at a time: the page is written as they come."""
    ordered = ordered_documents(tables)
    shown = shown_documents(tables, max_docs)
    groups = _groups(tables, set(shown["doc_id"]))
    for doc in row_dicts(shown):
        yield document_html(doc, tables, texts.get(doc["doc_id"]), groups[doc["doc_id"]])
    yield _others_html(ordered.iloc[len(shown):])


def paged_documents(tables: dict[str, pd.DataFrame], max_docs: int | None) -> list[str]:
    """doc_ids that get their own evidence page: those whose text the report leaves out."""
    inline = set(shown_documents(tables, max_docs)["doc_id"])
    return [d for d in dict.fromkeys(ordered_documents(tables)["doc_id"]) if d not in inline]


@functools.cache  # the same on every evidence page
def legend_html() -> str:
    marks = "".join(f"<mark class='{_kind_class(k)}'>{_e(k)}</mark>" for k in KINDS)
    return f"<p class='legend'>{marks}</p>"


@functools.cache
def _resource(name: str) -> str:
    # Read once per process: an evidence page per document would read them thousands of times.
    return files(__package__).joinpath(name).read_text("utf-8")


def _head(title: str, scripts: bool) -> str:
    # One head for the report and the evidence pages; only the report runs a script.
    return _fill("page_head.html", {
        "title": title,
        "scripts": " script-src 'unsafe-inline';" if scripts else "",
        "style": _resource("report.css"),
    }).rstrip("\n")


def _fill(template: str, parts: dict[str, str | Iterable[str]]) -> str:
    return "".join(_filled(template, parts))


@functools.cache
def _template_pieces(template: str) -> list[str]:
    # Split once per process, not once per evidence page: text, placeholder, text...
    return re.split(r"\{\{(\w+)\}\}", _resource(template))


def _filled(template: str, parts: dict[str, str | Iterable[str]]) -> Iterator[str]:
    """The template's text and its parts, in order; a part may come in pieces. Only the
    template's placeholders are replaced: one that a release happens to contain never is."""
    for i, piece in enumerate(_template_pieces(template)):
        if i % 2 == 0:
            yield piece
        elif isinstance(value := parts[piece], str):
            yield value
        else:
            yield from value


def render_report(tables: dict[str, pd.DataFrame], texts: dict[str, str],
                  generated_at: dt.datetime | None = None,
                  max_docs: int | None = None,
                  fact_counts: tuple[pd.Series, int] | None = None) -> str:
    """The page; with `max_docs`, only the texts of `shown_documents` (the others listed and
    linked to their evidence pages). `fact_counts`: see `summary_html` (tables["facts"] then
    needs only the shown rows)."""
    return "".join(report_pieces(tables, texts, generated_at, max_docs, fact_counts))


def report_pieces(tables: dict[str, pd.DataFrame], texts: dict[str, str],
                  generated_at: dt.datetime | None = None,
                  max_docs: int | None = None,
                  fact_counts: tuple[pd.Series, int] | None = None) -> Iterator[str]:
    """`render_report`'s page in pieces, for writing as they come: whole, the page of 10,000
    documents (14 MB, held as text at two bytes a character, then encoded) made the flow's
    peak memory 43 MB higher for an instant."""
    when = (generated_at or dt.datetime.now(dt.UTC)).isoformat(timespec="seconds")
    inline = None if max_docs is None else set(shown_documents(tables, max_docs)["doc_id"])
    title = "cpts-facts report"
    return _filled("report_template.html", {
        "head": _head(title, scripts=True),
        "title": title,
        "generated": _e(f"Generated {when} from {len(tables['documents'])} documents."),
        "summary": summary_html(tables, fact_counts),
        "cpts_table": cpts_table_html(tables, inline),
        "filter_columns": filter_options_html(),
        "legend": legend_html(),
        "documents": documents_html(tables, texts, max_docs),
    })


def evidence_page(doc: dict, tables: dict[str, pd.DataFrame], text: str | None,
                  groups: dict[str, pd.DataFrame] | None = None,
                  generated_at: dt.datetime | None = None) -> str:
    """The standalone page of one document: its CPTS cards and its highlighted text."""
    when = (generated_at or dt.datetime.now(dt.UTC)).isoformat(timespec="seconds")
    title = _e(doc["source"])
    return _fill("evidence_template.html", {
        "head": _head(title, scripts=False),
        "title": title,
        "generated": _e(f"Document {doc['doc_id']} · generated {when}."),
        "legend": legend_html(),
        "document": document_html(doc, tables, text, groups),
    })


def evidence_pages(tables: dict[str, pd.DataFrame], doc_ids: Iterable[str],
                   text_of: Callable[[str], str | None]) -> Iterator[tuple[str, str]]:
    """(doc_id, page) for each of `doc_ids` found in tables["documents"]; `tables` needs only
    the rows of these documents."""
    wanted = list(dict.fromkeys(doc_ids))
    groups = _groups(tables, set(wanted))
    docs = tables["documents"]
    # A duplicate shares its doc_id with the file it copies: the page is the original's.
    docs = docs.assign(_dup=docs["status"] == "duplicate").sort_values("_dup", kind="stable")
    firsts: dict[str, dict] = {}
    for doc_id, row in zip(docs["doc_id"], row_dicts(docs), strict=True):
        firsts.setdefault(doc_id, row)
    for doc_id in wanted:
        if doc_id in firsts:
            yield doc_id, evidence_page(firsts[doc_id], tables, text_of(doc_id), groups[doc_id])


def write_evidence(out_dir: Path, pages: Iterable[tuple[str, str]]) -> Path:
    """Write `pages` into `out_dir`/evidence/, replacing the folder as a whole: the new one is
    filled beside it, then renamed into place."""
    out_dir = Path(out_dir)
    final = out_dir / EVIDENCE_DIR
    fresh = out_dir / f".{EVIDENCE_DIR}.{uuid.uuid4().hex[:8]}.tmp"
    fresh.mkdir(parents=True)
    try:
        for doc_id, page in pages:
            (fresh / f"{_anchor(doc_id)}.html").write_text(page, encoding="utf-8")
        aside = None
        if final.is_dir() and not final.is_symlink():
            aside = out_dir / f".{EVIDENCE_DIR}.{uuid.uuid4().hex[:8]}.old"
            final.rename(aside)
        os.replace(fresh, final)
    except BaseException:
        shutil.rmtree(fresh, ignore_errors=True)
        raise
    if aside is not None:
        shutil.rmtree(aside, ignore_errors=True)
    return final


def write_report(tables: dict[str, pd.DataFrame], texts: dict[str, str], out_path: Path,
                 max_docs: int | None = None,
                 fact_counts: tuple[pd.Series, int] | None = None,
                 pages: Iterable[tuple[str, str]] | None = None) -> Path:
    """Write the report to `out_path` (atomically) and the evidence pages of the documents it
    leaves out beside it, first, so no link of the report ever points to a missing page.
    `pages` None: built from `tables` and `texts` (which then need those documents too)."""
    out_path = Path(out_path)
    out_path.parent.mkdir(parents=True, exist_ok=True)
    if pages is None:
        pages = evidence_pages(tables, paged_documents(tables, max_docs), texts.get)
    write_evidence(out_path.parent, pages)
    pieces = report_pieces(tables, texts, max_docs=max_docs, fact_counts=fact_counts)

    def write(path: Path) -> None:
        with open(path, "w", encoding="utf-8", newline="") as handle:
            handle.writelines(pieces)

    return atomic_write(out_path, write)
