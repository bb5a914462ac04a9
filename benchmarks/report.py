"""Benchmark figures → plain text lines that paste into a README (no timing logic here)."""

from __future__ import annotations

import itertools

STAGE_ORDER = ("ingest", "normalise", "extract", "assemble", "tables", "validate", "export")


def fmt_seconds(seconds: float | None) -> str:
    if seconds is None:
        return "n/a"
    if seconds < 1:
        return f"{seconds * 1000:.0f} ms"
    if seconds < 100:
        return f"{seconds:.1f} s"
    minutes, rest = divmod(round(seconds), 60)
    return f"{minutes} min {rest:02d} s"


def fmt_rate(value: float | None, unit: str = "docs/s") -> str:
    if value is None:
        return "n/a"
    if value >= 100:
        text = f"{value:,.0f}"
    elif value >= 10:
        text = f"{value:.1f}"
    else:
        text = f"{value:.2f}"
    return f"{text} {unit}"


def fmt_mb(mb: float | None) -> str:
    return "n/a" if mb is None else f"{mb:,.0f} MB"


def fmt_share(part: float, whole: float) -> str:
    return "n/a" if not whole else f"{100 * part / whole:.0f} %"


def rate(count: float, seconds: float | None) -> float | None:
    return count / seconds if seconds else None


def table(headers: list[str], rows: list[list[str]]) -> list[str]:
    """Align columns: first column left, the others right (they hold numbers)."""
    widths = [max(len(str(r[i])) for r in [headers, *rows]) for i in range(len(headers))]

    def line(cells: list[str]) -> str:
        parts = [str(c).ljust(w) if i == 0 else str(c).rjust(w)
                 for i, (c, w) in enumerate(zip(cells, widths, strict=True))]
        return "  ".join(parts).rstrip()

    return [line(headers), line(["-" * w for w in widths]), *(line(r) for r in rows)]


def render(figures: dict) -> list[str]:
    runs = figures["runs"]
    out = [f"# cpts-facts benchmark — {figures['machine']}", ""]
    out += _fixed_lines(figures.get("fixed", {}))
    out += ["", "## Scaling (one fresh process per N; wall includes imports and Prefect start)"]
    out += table(
        ["N", "wall", "flow", "docs/s (flow)", "ms/doc (processing)", "peak RSS", "RSS + server"],
        [[str(r["n"]), fmt_seconds(r["wall_seconds"]), fmt_seconds(r["flow_seconds"]),
          fmt_rate(rate(r["n"], r["flow_seconds"]), ""),
          f"{1000 * r['processing_seconds'] / max(r['n'], 1):.1f}",
          fmt_mb(r["peak_rss_mb"]), fmt_mb(r.get("tree_peak_rss_mb"))] for r in runs],
    )
    for a, b in itertools.pairwise(runs):
        marginal = (b["flow_seconds"] - a["flow_seconds"]) / max(b["n"] - a["n"], 1)
        out.append(f"marginal cost {a['n']} → {b['n']}: {1000 * marginal:.1f} ms/doc")
    for r in runs:
        out += ["", f"## N = {r['n']}: {_formats_line(r)}"]
        out += [*_format_lines(r), "", *_stage_lines(r)]
    base = figures.get("baseline")
    if base:
        out += ["", *_baseline_lines(base, runs[-1])]
    return out


def _fixed_lines(fixed: dict) -> list[str]:
    flow, nlp = fixed.get("empty_flow", {}), fixed.get("spacy", {})
    return [
        "## Fixed start-up costs (each in a fresh process)",
        f"Prefect import {fmt_seconds(flow.get('import_seconds'))}, empty flow first run "
        f"{fmt_seconds(flow.get('first_run_seconds'))} (temporary server start), second run "
        f"{fmt_seconds(flow.get('second_run_seconds'))}",
        f"spaCy import {fmt_seconds(nlp.get('import_seconds'))}, fr_core_news_sm as the pipeline "
        f"loads it {fmt_seconds(nlp.get('pipeline_model_seconds'))}, full model (warm imports) "
        f"{fmt_seconds(nlp.get('full_model_seconds'))}",
    ]


def _formats_line(r: dict) -> str:
    statuses = ", ".join(f"{k} {v}" for k, v in r.get("statuses", {}).items())
    return f"{r['formats']} ; {r['pdf_pages']} PDF pages ; statuses: {statuses or 'n/a'}"


def _format_lines(r: dict) -> list[str]:
    rows = []
    for fmt in ("txt", "pdf", "html"):
        f = r["per_format"].get(fmt)
        if not f or not f["docs"]:
            continue
        pages = fmt_rate(rate(f["pages"], f["ingest_seconds"]), "pages/s") if f["pages"] else ""
        rows.append([fmt, str(f["docs"]), fmt_rate(rate(f["docs"], f["seconds"])),
                     fmt_seconds(f["ingest_seconds"]), pages])
    rows.append(["all", str(r["n"]), fmt_rate(rate(r["n"], r["processing_seconds"])),
                 fmt_seconds(sum(f["ingest_seconds"] for f in r["per_format"].values())), ""])
    return ["per format (one core, process_file only):",
            *table(["format", "docs", "speed", "ingest", "PDF ingest"], rows)]


def _stage_lines(r: dict) -> list[str]:
    stages, flow_s = r["stages"], r["flow_seconds"]
    rows = [[name, fmt_seconds(stages[name]), fmt_share(stages[name], flow_s)]
            for name in STAGE_ORDER if name in stages]
    other = flow_s - sum(stages.get(name, 0.0) for name in STAGE_ORDER)
    rows.append(["orchestration+other", fmt_seconds(other), fmt_share(other, flow_s)])
    lines = ["time per stage (timed inside this run by wrapping the pipeline's functions):",
             *table(["stage", "seconds", "share of flow"], rows)]
    if r.get("model_load_seconds"):
        lines.append(f"(extract includes the spaCy model load: "
                     f"{fmt_seconds(r['model_load_seconds'])})")
    slow = sorted(r.get("extractors", {}).items(), key=lambda kv: -kv[1])[:5]
    if slow:
        lines.append("slowest extractors: " + ", ".join(f"{k} {fmt_seconds(v)}" for k, v in slow))
    if r.get("missing"):
        lines.append("not instrumented (name not found): " + ", ".join(r["missing"]))
    return lines


def _baseline_lines(base: dict, run: dict) -> list[str]:
    per_doc = (base["spacy_seconds"] + base["dateparser_seconds"]) / max(base["docs"], 1)
    naive = 1 / per_doc if per_doc else None
    txt = run["per_format"].get("txt", {})
    ours = rate(txt.get("docs", 0), txt.get("seconds"))
    ratio = f"{ours / naive:.0f}×" if ours and naive else "n/a"
    return [
        f"## Naive baseline on {base['docs']} .txt documents "
        "(full spaCy + dateparser.search_dates)",
        f"spaCy full pipeline {fmt_seconds(base['spacy_seconds'] / max(base['docs'], 1))}/doc, "
        f"search_dates {fmt_seconds(base['dateparser_seconds'] / max(base['docs'], 1))}/doc "
        f"→ {fmt_rate(naive)} ; ours on .txt (N = {run['n']}): {fmt_rate(ours)} = {ratio} faster",
    ]
