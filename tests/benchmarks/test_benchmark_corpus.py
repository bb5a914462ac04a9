"""The benchmark corpus generator and the runner's figure formatting (no timing asserts)."""

from __future__ import annotations

import datetime as dt
import hashlib
import random
import re

import pytest

from benchmarks import report
from benchmarks.make_corpus import build_corpus, load_seeds
from benchmarks.variation import DAY_MONTH_YEAR, MONTHS, vary

WEEKDAYS = ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    out = tmp_path_factory.mktemp("bench") / "corpus-8"
    manifest = build_corpus(8, out, seed=0)
    return manifest, sorted((out / "files").iterdir())


def test_files_are_distinct_and_in_the_right_proportions(corpus):
    manifest, files = corpus
    assert len(files) == 8
    assert len({hashlib.sha256(f.read_bytes()).hexdigest() for f in files}) == 8
    suffixes = [f.suffix for f in files]
    assert (suffixes.count(".txt"), suffixes.count(".pdf"), suffixes.count(".html")) == (4, 2, 2)
    assert manifest["formats"] == {"txt": 4, "pdf": 2, "html": 2}


def test_pdfs_have_three_or_four_pages_and_keep_their_accents(corpus):
    import pypdfium2

    _, files = corpus
    for path in (f for f in files if f.suffix == ".pdf"):
        pdf = pypdfium2.PdfDocument(str(path))
        try:
            assert len(pdf) in (3, 4)
            text = "".join(page.get_textpage().get_text_range() for page in pdf)
        finally:
            pdf.close()
        assert "santé" in text and "ommunauté" in text
        assert re.search(r"[éèêàç]", text)


def test_html_pages_carry_the_usual_noise(corpus):
    _, files = corpus
    page = next(f for f in files if f.suffix == ".html").read_text(encoding="utf-8")
    for marker in ("<nav", "<header", "<article", "<footer", "cookie", "<h1>"):
        assert marker in page


def test_generation_is_deterministic_and_cached(corpus, tmp_path):
    _, files = corpus
    again = build_corpus(8, tmp_path / "again", seed=0)
    rebuilt = sorted((tmp_path / "again" / "files").iterdir())
    assert [f.read_bytes() for f in rebuilt] == [f.read_bytes() for f in files]
    assert build_corpus(8, tmp_path / "again", seed=0)["cached"] is True
    assert again["cached"] is False


@pytest.mark.parametrize("seed", range(6))
def test_dates_stay_in_range_with_true_weekdays(seed):
    for _, text in load_seeds():
        varied = vary(text, {}, random.Random(seed))
        for m in re.finditer(rf"({'|'.join(WEEKDAYS)})\s+(1er|\d{{1,2}})\s+({'|'.join(MONTHS)})"
                             r"\s+(20\d\d)", varied):
            day = 1 if m.group(2) == "1er" else int(m.group(2))
            when = dt.date(int(m.group(4)), MONTHS.index(m.group(3)) + 1, day)
            assert WEEKDAYS[when.weekday()] == m.group(1)
            assert dt.date(2019, 1, 1) <= when <= dt.date(2025, 12, 31)
        assert DAY_MONTH_YEAR.search(varied) or not DAY_MONTH_YEAR.search(text)


def test_number_formatting():
    assert report.fmt_seconds(0.0423) == "42 ms"
    assert report.fmt_seconds(12.34) == "12.3 s"
    assert report.fmt_seconds(185) == "3 min 05 s"
    assert report.fmt_seconds(None) == "n/a"
    assert report.fmt_rate(1234.5) == "1,234 docs/s"
    assert report.fmt_rate(42.25, "pages/s") == "42.2 pages/s"
    assert report.fmt_rate(1.234) == "1.23 docs/s"
    assert report.fmt_mb(512.4) == "512 MB"
    assert report.fmt_share(1, 4) == "25 %"


def test_table_aligns_columns():
    lines = report.table(["N", "seconds"], [["100", "1.0 s"], ["10000", "95.2 s"]])
    assert lines[0] == "N      seconds"
    assert lines[2] == "100      1.0 s"
    assert lines[3] == "10000   95.2 s"


def test_render_a_whole_report():
    run = {
        "n": 100, "formats": {"txt": 50, "pdf": 25, "html": 25}, "pdf_pages": 90,
        "wall_seconds": 40.0, "flow_seconds": 30.0, "processing_seconds": 12.0,
        "per_format": {
            "txt": {"docs": 50, "seconds": 5.0, "ingest_seconds": 0.1, "pages": 0},
            "pdf": {"docs": 25, "seconds": 3.0, "ingest_seconds": 0.5, "pages": 90},
        },
        "stages": {"ingest": 0.6, "extract": 8.0, "validate": 2.0},
        "extractors": {"president": 5.0}, "model_load_seconds": 3.0, "statuses": {"ok": 100},
        "peak_rss_mb": 500.0, "tree_peak_rss_mb": 700.0, "missing": [],
    }
    bigger = {**run, "n": 1000, "flow_seconds": 120.0}
    figures = {
        "machine": "test", "runs": [run, bigger],
        "fixed": {"empty_flow": {"import_seconds": 1.0, "first_run_seconds": 10.0}},
        "baseline": {"docs": 10, "spacy_seconds": 5.0, "dateparser_seconds": 5.0},
    }
    text = "\n".join(report.render(figures))
    assert "marginal 100.0 ms/doc = 10.0 docs/s steady state" in text
    assert "180 pages/s" in text
    assert "10.0 docs/s" in text  # txt: 50 docs in 5 s
    assert "→ 1.00 docs/s" in text  # baseline: 10 docs in 5 s + 5 s
    assert "8.33 docs/s end to end with start-up = 8×" in text
