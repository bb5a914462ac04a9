"""A run of 130 releases opened the way the README says: pandas, DuckDB, frictionless, Excel-FR
conventions, and the report in a real headless Chromium with every CPTS row clicked.

One run in each CSV dialect: the standard run processes the files, the Excel-FR one is an
incremental run over a copy of it (nothing new to extract: every table is rewritten from the
previous snapshot in the other dialect).
"""

from __future__ import annotations

import csv
import random
import re
import shutil
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pytest

from benchmarks import render
from benchmarks.make_corpus import load_seeds
from benchmarks.report_links import CHROMIUM, CHROMIUM_ARGS, click_every_row
from benchmarks.seeds import SLOTS
from benchmarks.variation import vary
from flows.cli import main
from flows.dataset.export import arrow_schema
from schemas.columns import PUBLISHED
from tests.conftest import ROOT

pytestmark = pytest.mark.slow

# Big enough for every path (inline and paged report rows, both dialects, problems first);
# 520 documents took three minutes of the suite and found nothing 130 do not.
N_DOCS = 130
# --report-max-docs: the other documents' rows lead to their own pages.
INLINE = 75
README = (ROOT / "README.md").read_text(encoding="utf-8")
OPENING = README[README.index("### Opening the dataset"):README.index("### Columns")]


def _blocks(language: str) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", OPENING, re.S)


@pytest.fixture(scope="module")
def inbox(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("inbox")
    seeds = load_seeds()
    for i in range(N_DOCS):
        rng = random.Random(f"readers:{i}")
        key, text = seeds[i % len(seeds)]
        text = vary(text, SLOTS.get(key, {}), rng)
        if i % 5 == 4:
            (folder / f"{i:04d}.html").write_bytes(render.to_html(text, rng))
        else:
            (folder / f"{i:04d}.txt").write_bytes(render.to_txt(text))
    # Problems come first in the report and must not push any row's evidence out of reach.
    (folder / "vide.txt").write_bytes(b"")
    (folder / "abime.pdf").write_bytes(b"%PDF-1.7\n" + bytes(range(256)) * 4)
    return folder


@pytest.fixture(scope="module")
def runs(prefect_harness, inbox, tmp_path_factory) -> dict[str, Path]:
    standard = tmp_path_factory.mktemp("standard") / "output"
    assert main(["run", str(inbox), "--out", str(standard), "--quiet",
                 "--report-max-docs", str(INLINE)]) == 0
    excel = tmp_path_factory.mktemp("excel-fr") / "output"
    shutil.copytree(standard, excel, symlinks=True)
    assert main(["run", str(inbox), "--out", str(excel), "--quiet", "--incremental",
                 "--csv-dialect", "excel-fr", "--report-max-docs", str(INLINE)]) == 0
    return {"standard": standard, "excel-fr": excel}


def test_the_run_is_big_enough(runs):
    documents = pd.read_parquet(runs["standard"] / "documents.parquet")
    assert len(documents) == N_DOCS + 2
    assert (documents["status"] != "ok").sum() >= 2


def test_pandas_as_the_readme_reads_it(runs, monkeypatch):
    monkeypatch.chdir(runs["standard"].parent)
    scope: dict = {}
    exec(_blocks("python")[0], scope)  # the README's own snippet
    parquet, from_csv = scope["cpts"], scope["cpts_csv"]
    assert [list(v) for v in parquet["departments"]] == list(from_csv["departments"].map(
        lambda v: [] if v == [""] else v))
    codes = {c for v in parquet["departments"] for c in v}
    assert any(c.startswith("0") for c in codes), codes  # leading zeros survive
    assert len(scope["per_doc"]) == len(parquet)


def test_pandas_reads_single_department_csv_as_text(runs, monkeypatch, tmp_path):
    # The trap of the issue: a file in which no row has two departments.
    # Rows of the run naming an Ain...Ariège department, each cut down to that one code.
    cpts = pd.read_parquet(runs["standard"] / "cpts.parquet")
    zeros = cpts["departments"].map(lambda v: [c for c in v if c.startswith("0")][:1])
    one = cpts.assign(departments=zeros)[zeros.map(len) == 1]
    assert len(one)
    (tmp_path / "output").mkdir()
    from flows.dataset.csv_dialects import write_csv

    write_csv(one, tmp_path / "output" / "cpts.csv")
    monkeypatch.chdir(tmp_path)
    readme_lines = [ln for ln in _blocks("python")[0].splitlines() if ln.startswith("cpts_csv")]
    scope: dict = {}
    exec("import pandas as pd\n" + "\n".join(readme_lines), scope)
    assert [v[0] for v in scope["cpts_csv"]["departments"]] == [v[0] for v in one["departments"]]


def test_pandas_reads_the_excel_fr_csv_as_the_readme_shows(runs, monkeypatch):
    monkeypatch.chdir(runs["excel-fr"].parent)
    scope: dict = {}
    exec(_blocks("python")[1], scope)
    parquet = pd.read_parquet(runs["excel-fr"] / "amounts.parquet")
    assert scope["amounts_fr"]["per_year"].tolist() == parquet["per_year"].tolist()
    assert scope["cpts_fr"]["departments"].dropna().str.match(r"^[0-9AB|]+$").all()


@pytest.mark.parametrize("dialect", ["standard", "excel-fr"])
def test_duckdb_runs_every_readme_query(runs, monkeypatch, dialect):
    duckdb = pytest.importorskip("duckdb")
    monkeypatch.chdir(runs[dialect].parent)
    first, *others = _blocks("sql")
    queries = [q.strip() for q in first.split(";") if q.strip()]
    assert len(queries) == len(PUBLISHED) + 1  # one per table, and the join
    queries += [q.strip() for block in others for q in block.split(";") if q.strip()]
    con = duckdb.connect()
    for query in queries:
        con.execute(query).fetchall()
    described = con.execute("DESCRIBE SELECT * FROM 'output/cpts.parquet'").fetchall()
    kinds = {row[0]: row[1] for row in described}
    assert kinds["departments"] == "VARCHAR[]"
    codes = con.execute("SELECT DISTINCT unnest(departments) FROM 'output/cpts.parquet'").fetchall()
    assert any(c[0].startswith("0") for c in codes)
    hint = re.search(r"`(read_csv\('output/cpts.csv'.*?\))`", OPENING).group(1)
    from_csv = con.execute(f"SELECT departments FROM {hint}").fetchall()
    assert all(v[0] is None or isinstance(v[0], str) for v in from_csv)


@pytest.mark.parametrize("dialect", ["standard", "excel-fr"])
def test_frictionless_validates_every_published_table(runs, dialect):
    from frictionless import Package

    package = Package(str(runs[dialect] / "datapackage.json"))
    assert [r.name for r in package.resources] == list(PUBLISHED)
    report = package.validate()
    assert report.valid, [e.message for t in report.tasks for e in t.errors][:5]


def test_excel_fr_follows_french_excel(runs):
    out = runs["excel-fr"]
    assert (out / "cpts_registry.csv").read_bytes().startswith(b"\xef\xbb\xbfcpts_key;")
    with open(out / "amounts.csv", encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter=";"))
    assert {r["per_year"] for r in rows} == {"VRAI", "FAUX"}
    package = (out / "datapackage.json").read_text(encoding="utf-8")
    assert '"delimiter": ";"' in package and '"trueValues": [\n' in package


def test_registry_types_never_depend_on_the_data(runs):
    for out in runs.values():
        assert pq.read_schema(out / "cpts_registry.parquet").remove_metadata() == arrow_schema(
            "cpts_registry")


def test_ok_documents_have_no_message(runs):
    documents = pd.read_parquet(runs["standard"] / "documents.parquet")
    ok = documents[documents["status"] == "ok"]
    assert ok["message"].isna().all()
    assert documents.loc[documents["status"] != "ok", "message"].notna().all()


def test_every_cpts_row_opens_its_evidence_in_chromium(runs):
    if not Path(CHROMIUM).exists():
        pytest.skip("no Chromium at /usr/bin/chromium (scripts/ensure-chromium.sh installs it)")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        found = click_every_row(browser, runs["standard"] / "report.html")
        browser.close()
    cpts = pd.read_parquet(runs["standard"] / "cpts.parquet")
    assert found["rows"] == len(cpts)
    assert found["paged"] > len(cpts) // 4 and found["inline"] > len(cpts) // 4
    assert found["dead"] == [] and found["page_errors"] == []
