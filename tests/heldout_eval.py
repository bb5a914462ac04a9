"""Shared by the held-out tests: run the pure pipeline over a set and check its score floors."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

WHEN = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)


def evaluate_set(releases: Path, gold: Path):
    """(EvaluationReport, tables) for every release under `releases`, without Prefect."""
    from flows.evaluate import evaluate
    from flows.read.discover import discover
    from flows.run.process import extract_files

    tables = extract_files(discover([releases]), processed_at=WHEN, validate=True).tables
    return evaluate(gold, tables), tables


def check_set_files(releases: Path, gold: Path, count: int, sizes: tuple[int, int]) -> None:
    stems = {p.stem for p in releases.iterdir() if p.suffix in {".txt", ".html"}}
    assert stems == {p.stem for p in gold.glob("*.json")} and len(stems) == count
    for path in releases.iterdir():
        assert sizes[0] <= len(path.read_text(encoding="utf-8")) <= sizes[1], path.name


def assert_floors(title: str, report, tables, *, overall_floor: float, family_floors: dict):
    from flows.evaluate import format_report

    print(f"\n{title}:\n" + format_report(report))
    assert not report.missing, f"gold files with no document: {report.missing}"
    errors = tables["validation_errors"]
    # Warnings (the text against the official geography) are findings, not broken rows.
    errors = errors[errors["level"] != "warning"]
    assert len(errors) == 0, errors.head().to_string()
    overall = report.overall.f1
    assert overall >= overall_floor, f"overall F1 fell to {overall:.3f}"
    low = {
        family: round(score.f1 or 0.0, 3)
        for family, score in report.families.items()
        if (score.f1 or 0.0) < family_floors[family]
    }
    assert not low, f"families under their floor {family_floors}: {low}"


DIFF_FIELDS = ("population", "communes", "professionals", "signed_on", "departments")


def _plain(value):
    import pandas as pd

    if value is None or (not isinstance(value, list | tuple) and pd.isna(value)):
        return None
    if isinstance(value, list | tuple) or hasattr(value, "tolist"):
        return sorted(str(v) for v in value)
    if hasattr(value, "isoformat"):
        return value.isoformat()[:10]
    return int(value) if isinstance(value, float) and value.is_integer() else value


def document_diffs(gold_dir: Path, tables, families: set[str] | None = None) -> list[str]:
    """One line per disagreement between gold and the tables, per document (a reading aid).

    Names are paired as the scorer pairs them; a value is shown as gold → predicted.
    """
    import json

    from flows.evaluate import match_names

    documents = tables["documents"]
    pairs = zip(documents["source"], documents["doc_id"], strict=True)
    stems = {Path(str(s)).stem: d for s, d in pairs}
    wanted = families or {*DIFF_FIELDS, "cpts", "amount"}
    lines = []
    for path in sorted(Path(gold_dir).glob("*.json")):
        gold = json.loads(path.read_text(encoding="utf-8"))
        doc_id = stems.get(path.stem)
        cpts = tables["cpts"][tables["cpts"]["doc_id"] == doc_id].to_dict("records")
        gold_cpts = gold.get("cpts") or []
        matched = match_names([str(r["name"]) for r in cpts], [g["name"] for g in gold_cpts])
        owner = {cpts[i]["cpts_key"]: gold_cpts[j]["name"] for i, j in matched.items()}
        out = []
        if "cpts" in wanted:
            out += [f"  cpts  missed {g['name']!r}" for j, g in enumerate(gold_cpts)
                    if j not in matched.values()]
            out += [f"  cpts  extra {r['name']!r}" for i, r in enumerate(cpts) if i not in matched]
        for i, j in matched.items():
            for name in DIFF_FIELDS:
                if name not in wanted:
                    continue
                g, p = _plain(gold_cpts[j].get(name)), _plain(cpts[i][name])
                if g == [] and p is None:
                    continue
                if name == "signed_on" and g and p and p.startswith(g):
                    continue
                if g != p:
                    out.append(f"  {name:<13} {gold_cpts[j]['name']!r}: {g} → {p}")
        if "amount" in wanted:
            amounts = tables["amounts"][tables["amounts"]["doc_id"] == doc_id].to_dict("records")
            got = sorted(
                (int(a["amount_eur"]), owner.get(a["cpts_key"], a["cpts_key"]), a["kind"])
                for a in amounts
            )
            want = sorted(
                [(int(a["eur"]), None, a["kind"]) for a in gold.get("amounts") or []]
                + [(int(a["eur"]), g["name"], a["kind"]) for g in gold_cpts
                   for a in g.get("amounts") or []]
            )
            if [t[:2] for t in got] != [t[:2] for t in want]:
                out.append(f"  amount        gold {want}\n{'':16}got  {got}")
        if out:
            lines += [path.stem, *out]
    return lines


def main(argv: list[str] | None = None) -> None:
    """`python -m tests.heldout_eval DOCS GOLD [--diff [FAMILY,...]]`: score a set in-process.

    Prints the table; with --diff, also every per-document disagreement (of the families named).
    """
    import sys

    from flows.evaluate import format_report

    args = argv or sys.argv[1:]
    docs, gold = args[:2]
    report, tables = evaluate_set(Path(docs), Path(gold))
    if "--diff" in args:
        rest = args[args.index("--diff") + 1 :]
        families = set(rest[0].split(",")) if rest else None
        print("\n".join(document_diffs(Path(gold), tables, families)))
    print(format_report(report))


if __name__ == "__main__":
    main()
