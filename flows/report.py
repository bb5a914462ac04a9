"""output/report.html: one self-contained page an analyst can open from disk.

It shows the run at a glance, a sortable and filterable table of every CPTS, and each document's
normalised text with every fact highlighted where it was found. Everything from the data is
HTML-escaped: release texts and file names are untrusted input.
"""

from __future__ import annotations

import datetime as dt
import heapq
import re
from html import escape
from importlib.resources import files
from pathlib import Path

import pandas as pd

from extractors.types import FactKind
from flows.csv_dialects import split_list

KINDS = tuple(k.value for k in FactKind)
QUALIFIER_SIGNS = {"at_least": "≥ ", "at_most": "≤ ", "approx": "≈ "}
CPTS_COLUMNS = (  # header, field, numeric
    ("Name", "name", False), ("Key", "cpts_key", False), ("Status", "status", False),
    ("Population", "population", True), ("Communes", "communes", True),
    ("Professionals", "professionals", True), ("Signed on", "signed_on", False),
    ("Departments", "departments", False), ("Document", "source", False),
)


def _e(value: object) -> str:
    return escape(as_text(value), quote=True)


def as_text(value: object) -> str:
    if isinstance(value, str):
        return value
    if pd.api.types.is_list_like(value):
        return ", ".join(split_list(value))
    if value is None or pd.isna(value):
        return ""
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _anchor(*parts: object) -> str:
    # ids are built from doc ids and keys; anything else is replaced so the id stays valid.
    return "-".join(re.sub(r"[^A-Za-z0-9_]", "_", as_text(p)) for p in parts)


def _kind_class(kind: object) -> str:
    return f"k-{kind}" if kind in KINDS else "k-other"


def _tooltip(fact: pd.Series) -> str:
    lines = [f"kind: {as_text(fact['kind'])}", f"value: {as_text(fact['value'])}"]
    if as_text(fact.get("qualifier")):
        lines.append(f"qualifier: {as_text(fact['qualifier'])}")
    lines.append(f"CPTS: {as_text(fact.get('cpts_key')) or '(document / none)'}")
    return "\n".join(lines)


def highlight(text: str, facts: pd.DataFrame) -> str:
    """`text` as HTML with one <mark data-fact=ROW> per fact row (ROW = facts index label).

    Nested facts become nested marks. A fact that crosses the end of an enclosing one is split
    there; its later pieces are <mark class="cont" data-fact-part=ROW>, so each fact still has
    exactly one [data-fact] element and all of its characters are highlighted.
    """
    queue = []
    for seq, (row, fact) in enumerate(facts.iterrows()):
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
        fact = facts.loc[row]
        attrs = (f'data-fact-part="{_e(row)}" class="cont {_kind_class(fact["kind"])}"' if cont
                 else f'id="{_anchor("fact", row)}" data-fact="{_e(row)}" '
                      f'class="{_kind_class(fact["kind"])}"')
        out.append(f'<mark {attrs} title="{_e(_tooltip(fact))}">')
        stack.append(end)
    emit(len(text))
    return "".join(out)


def _count_table(title: str, counts: pd.Series) -> str:
    rows = "".join(f"<tr><td>{_e(k)}</td><td class='num'>{int(v)}</td></tr>"
                   for k, v in counts.items())
    return f"<div class='card'><h3>{_e(title)}</h3><table>{rows or '<tr><td>none</td></tr>'}"\
           "</table></div>"


def summary_html(tables: dict[str, pd.DataFrame]) -> str:
    docs, facts, errors = tables["documents"], tables["facts"], tables["validation_errors"]
    totals = pd.Series({"documents": len(docs), "CPTS rows": len(tables["cpts"]),
                        "facts": len(facts), "validation errors": len(errors)})
    cards = [
        _count_table("Totals", totals),
        _count_table("Files per status", docs["status"].value_counts()),
        _count_table("Facts per kind", facts["kind"].value_counts()),
        _count_table("Validation errors", errors.groupby(["table", "check"]).size().rename(
            lambda k: f"{k[0]}: {k[1]}") if len(errors) else pd.Series(dtype=int)),
    ]
    return f"<div class='cards'>{''.join(cards)}</div>"


def _cell(row: pd.Series, field: str, numeric: bool) -> str:
    value = row.get(field)
    if not numeric:
        return f"<td>{_e(value)}</td>"
    if value is None or pd.isna(value):
        return "<td class='num' data-sort=''></td>"
    sign = QUALIFIER_SIGNS.get(as_text(row.get(f"{field}_qualifier")), "")
    shown = f"{sign}{int(value):,}".replace(",", "\u202f")
    return f"<td class='num' data-sort='{int(value)}'>{_e(shown)}</td>"


def cpts_table_html(tables: dict[str, pd.DataFrame]) -> str:
    sources = tables["documents"].set_index("doc_id")["source"]
    head = "".join(f"<th scope='col'{' data-type=number' if num else ''}>{_e(title)}</th>"
                   for title, _, num in CPTS_COLUMNS)
    body = []
    for _, row in tables["cpts"].iterrows():
        row = pd.concat([row, pd.Series({"source": sources.get(row["doc_id"], row["doc_id"])})])
        cells = "".join(_cell(row, field, num) for _, field, num in CPTS_COLUMNS)
        target = _anchor("ev", row["doc_id"], row["cpts_key"])
        body.append(f"<tr tabindex='0' data-target='{target}'>{cells}</tr>")
    return (f"<table class='data' id='cpts-table'><thead><tr>{head}</tr></thead>"
            f"<tbody>{''.join(body)}</tbody></table>")


def _cpts_cards(doc_id: str, cpts: pd.DataFrame, facts: pd.DataFrame) -> str:
    cards = []
    for _, row in cpts.iterrows():
        mine = facts[facts["cpts_key"] == row["cpts_key"]]
        links = "".join(f"<a href='#{_anchor('fact', i)}'>{_e(f['kind'])}: {_e(f['value'])}</a>"
                        for i, f in mine.iterrows())
        cards.append(f"<div class='cpts-card' id='{_anchor('ev', doc_id, row['cpts_key'])}'>"
                     f"<strong>{_e(row['name'])}</strong> <code>{_e(row['cpts_key'])}</code> "
                     f"<span class='status'>{_e(row['status'])}</span><br>"
                     f"{links or '<span class=muted>no fact attributed</span>'}</div>")
    return "".join(cards)


def document_html(doc: pd.Series, tables: dict[str, pd.DataFrame], text: str | None) -> str:
    doc_id = doc["doc_id"]
    facts = tables["facts"][tables["facts"]["doc_id"] == doc_id]
    errors = tables["validation_errors"][tables["validation_errors"]["doc_id"] == doc_id]
    problem = doc["status"] != "ok" or len(errors) > 0
    meta = " · ".join(_e(v) for v in (doc.get("format"), doc.get("published_on"),
                                       doc.get("place"), f"{len(facts)} facts") if as_text(v))
    issues = "".join(f"<li>{_e(e['table'])}.{_e(e['column'])}: {_e(e['check'])} failed on "
                     f"<code>{_e(e['failure_case'])}</code> (row {_e(e['row'])})</li>"
                     for _, e in errors.iterrows())
    message = f"<p class='errors'>{_e(doc['message'])}</p>" if as_text(doc.get("message")) else ""
    body = (f"<pre class='text'>{highlight(text, facts)}</pre>" if text is not None
            else "<p class='muted'>No normalised text for this document.</p>")
    cards = _cpts_cards(doc_id, tables["cpts"][tables["cpts"]["doc_id"] == doc_id], facts)
    return (f"<section class='doc{' problem' if problem else ''}' id='{_anchor('doc', doc_id)}'>"
            f"<h3>{_e(doc['source'])} <span class='status{' problem' if problem else ''}'>"
            f"{_e(doc['status'])}</span></h3><p class='muted'><code>{_e(doc_id)}</code> "
            f"{meta}</p>{message}{f'<ul class=errors>{issues}</ul>' if issues else ''}"
            f"{cards}{body}</section>")


def documents_html(tables: dict[str, pd.DataFrame], texts: dict[str, str]) -> str:
    docs = tables["documents"]
    with_errors = set(tables["validation_errors"]["doc_id"].dropna())
    # Failed files first, then files whose rows failed validation, then clean ones.
    rank = [0 if s != "ok" else 1 if d in with_errors else 2
            for d, s in zip(docs["doc_id"], docs["status"], strict=True)]
    ordered = docs.assign(_rank=rank).sort_values(["_rank", "source"], kind="stable")
    return "".join(document_html(doc, tables, texts.get(doc["doc_id"]))
                   for _, doc in ordered.iterrows())


def legend_html() -> str:
    marks = "".join(f"<mark class='{_kind_class(k)}'>{_e(k)}</mark>" for k in KINDS)
    return f"<p class='legend'>{marks}</p>"


def render_report(tables: dict[str, pd.DataFrame], texts: dict[str, str],
                  generated_at: dt.datetime | None = None) -> str:
    when = (generated_at or dt.datetime.now(dt.UTC)).isoformat(timespec="seconds")
    parts = {
        "title": "cpts-facts report",
        "generated": _e(f"Generated {when} from {len(tables['documents'])} documents."),
        "summary": summary_html(tables),
        "cpts_table": cpts_table_html(tables),
        "legend": legend_html(),
        "documents": documents_html(tables, texts),
    }
    template = files("flows").joinpath("report_template.html").read_text("utf-8")
    # One pass, so a placeholder-looking string inside a release is never substituted.
    return re.sub(r"\{\{(\w+)\}\}", lambda m: parts[m.group(1)], template)


def write_report(tables: dict[str, pd.DataFrame], texts: dict[str, str], out_path: Path) -> Path:
    """Write the report to `out_path` (atomically) and return the path."""
    out_path = Path(out_path)
    out_path.parent.mkdir(parents=True, exist_ok=True)
    tmp = out_path.with_name(f".{out_path.name}.tmp")
    tmp.write_text(render_report(tables, texts), encoding="utf-8")
    tmp.replace(out_path)
    return out_path
