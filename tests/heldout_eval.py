"""Shared by the held-out tests: run the pure pipeline over a set and check its score floors."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

WHEN = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)


def evaluate_set(releases: Path, gold: Path):
    """(EvaluationReport, tables) for every release under `releases`, without Prefect."""
    from flows.dataset.tables import build_tables
    from flows.evaluate import evaluate
    from flows.read.discover import discover
    from flows.run.process import process_file
    from schemas.validate import validate_tables

    results = [
        process_file(entry, max_bytes=20_000_000, max_pages=200, processed_at=WHEN)
        for entry in discover([releases])
    ]
    tables = build_tables(results)
    texts = {r.document.doc_id: r.document.text for r in results if r.document is not None}
    tables, errors = validate_tables(tables, texts, run_date=WHEN.date())
    tables["validation_errors"] = errors
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
    assert len(tables["validation_errors"]) == 0, tables["validation_errors"].head().to_string()
    overall = report.overall.f1
    assert overall >= overall_floor, f"overall F1 fell to {overall:.3f}"
    low = {
        family: round(score.f1 or 0.0, 3)
        for family, score in report.families.items()
        if (score.f1 or 0.0) < family_floors[family]
    }
    assert not low, f"families under their floor {family_floors}: {low}"


def main(argv: list[str] | None = None) -> None:
    """`python -m tests.heldout_eval DOCS GOLD`: score a set in-process and print the table."""
    import sys

    from flows.evaluate import format_report

    docs, gold = (argv or sys.argv[1:])[:2]
    report, _ = evaluate_set(Path(docs), Path(gold))
    print(format_report(report))


if __name__ == "__main__":
    main()
