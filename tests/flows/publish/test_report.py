"""report.html: facts highlighted in place, escaping, order, and a real headless browser."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pandas as pd
import pytest

from flows.cli import main
from flows.dataset import store
from flows.dataset.export import write_dataset
from flows.publish.extras import write_extras
from flows.publish.report import document_html, highlight, render_report, write_report
from tests.data import sample

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
TEXT = "La CPTS Sud Ard’Drôm couvre 17 communes et plus de 45 500 habitants."


def _facts(*spans):
    return pd.DataFrame([{"kind": kind, "value": "v", "qualifier": None, "cpts_key": "k",
                          "start": start, "end": end} for kind, start, end in spans])


@pytest.mark.parametrize(
    ("spans", "marks", "parts"),
    [
        pytest.param([("communes", 28, 39)], 1, 0, id="single"),
        pytest.param([("population", 43, 67), ("size_class", 51, 67)], 2, 0, id="nested"),
        pytest.param([("cpts_name", 3, 20), ("cpts_name", 3, 20)], 2, 0, id="identical"),
        pytest.param([("mission", 8, 28), ("mission", 20, 39)], 2, 1, id="crossing"),
        pytest.param([("a", 0, 10), ("b", 5, 15), ("c", 12, 20)], 3, 2, id="chain-of-crossings"),
        pytest.param([("communes", 28, 39), ("population", 39, 67)], 2, 0, id="adjacent"),
        pytest.param([("communes", 60, 500)], 1, 0, id="clipped-at-end"),
        pytest.param([("communes", 500, 510)], 0, 0, id="outside-text"),
    ],
)
def test_highlight_keeps_text_and_marks_every_fact_once(spans, marks, parts):
    html = highlight(TEXT, _facts(*spans))
    assert html.count("data-fact=") == marks
    assert html.count("data-fact-part=") == parts
    assert html.count("<mark") == html.count("</mark>")
    stripped = pd.Series([html]).str.replace(r"<[^>]+>", "", regex=True)[0]
    assert stripped == TEXT


def test_highlight_escapes_text_and_tooltips():
    facts = pd.DataFrame([{"kind": "president", "value": '<b>"Dr" X</b>', "qualifier": None,
                           "cpts_key": None, "start": 0, "end": 5}])
    html = highlight("<i>x & y</i>", facts)
    assert html == ('<mark id="fact-0" data-fact="0" class="k-president" '
                    'title="kind: president\nvalue: &lt;b&gt;&quot;Dr&quot; X&lt;/b&gt;\n'
                    'CPTS: (document / none)">&lt;i&gt;x </mark>&amp; y&lt;/i&gt;')


def test_report_escapes_and_puts_problem_documents_first():
    html = render_report(sample.tables(), sample.texts())
    assert "<script>alert(1)</script>" not in html
    assert "no text layer &lt;script&gt;alert(1)&lt;/script&gt; &amp; scanned" in html
    order = [html.index(f"id='doc-{d}'") for d in
             (sample.DOC_C, sample.DOC_B, sample.DOC_A)]
    assert order == sorted(order)  # unreadable, then with validation errors, then clean
    assert "http://" not in html and "https://" not in html


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists() and not shutil.which("chromium"):
        pytest.skip("no Chromium at /usr/bin/chromium (`make install-chromium` installs it)")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.mark.slow
def test_report_in_headless_chromium(browser, tmp_path, capsys):
    tables = sample.tables()
    path = write_report(tables, sample.texts(), tmp_path / "report.html")
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    problems = []
    page.on("console", lambda m: problems.append(m.text) if m.type in ("error", "warning")
            else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.on("request", lambda r: problems.append(f"request {r.url}")
            if not r.url.startswith(("file:", "data:")) else None)
    page.goto(path.as_uri())
    page.wait_for_load_state("load")

    facts = tables["facts"][tables["facts"]["doc_id"] == sample.DOC_A]
    section = f"#doc-{sample.DOC_A}"
    assert page.locator(f"{section} mark[data-fact]").count() == len(facts)
    for row, fact in facts.iterrows():
        pieces = page.locator(f"{section} [data-fact='{row}'], {section} [data-fact-part='{row}']")
        assert "".join(pieces.all_text_contents()) == fact["text"], fact["kind"]
        title = page.locator(f"[data-fact='{row}']").get_attribute("title")
        assert f"kind: {fact['kind']}" in title and f"value: {fact['value']}" in title

    rows = page.locator("#cpts-table tbody tr")
    page.fill("#cpts-filter", "drôme")
    assert [r.is_visible() for r in rows.all()] == [False, True]
    page.fill("#cpts-filter", "DROM")
    assert [r.is_visible() for r in rows.all()] == [True, True]
    assert page.locator("#cpts-count").text_content() == "(2 / 2)"
    page.fill("#cpts-filter", "")

    page.click("#cpts-table th:has-text('Population')")
    page.click("#cpts-table th:has-text('Population')")  # descending: 47 000 first
    assert rows.first.locator("td").nth(3).get_attribute("data-sort") == "47000"

    rows.filter(has_text="Ard'Drôm").first.click()
    assert page.evaluate("location.hash") == f"#ev-{sample.DOC_A}-sud_ard_drom"
    assert page.locator(page.evaluate("location.hash")).is_visible()

    shot = tmp_path / "report.png"
    page.screenshot(path=str(shot), full_page=False)
    with capsys.disabled():
        print(f"\nscreenshot: {shot}")
    assert problems == []


def test_ok_document_shows_no_red_message():
    tables = sample.tables()
    doc = tables["documents"].set_index("doc_id").loc[sample.DOC_A].to_dict()
    doc.update(doc_id=sample.DOC_A, status="ok", message="decoded as utf-8")
    assert "class='errors'" not in document_html(doc, tables, sample.texts()[sample.DOC_A])
    doc.update(status="unreadable", message="corrupt or truncated")
    assert "<p class='errors'>corrupt or truncated</p>" in document_html(doc, tables, None)


def test_rows_beyond_the_inline_budget_link_to_their_document_page(tmp_path):
    tables = sample.tables()
    path = write_report(tables, sample.texts(), tmp_path / "report.html", max_docs=1)
    html = path.read_text("utf-8")
    hrefs = re.findall(r"<tr tabindex='0'><td><a href='([^']+)'>", html)
    assert len(hrefs) == len(tables["cpts"]) == 2
    for href in hrefs:
        page, _, target = href.partition("#")
        text = (tmp_path / page).read_text("utf-8") if page else html
        assert f"id='{target}'" in text, href
    # The one inlined text is the unreadable PDF's (problems first): both rows go to pages.
    assert all(h.startswith("evidence/") for h in hrefs)
    pages = sorted(p.name for p in (tmp_path / "evidence").iterdir())
    assert pages == sorted(f"{d}.html" for d in (sample.DOC_A, sample.DOC_B))
    evidence = (tmp_path / "evidence" / f"{sample.DOC_A}.html").read_text("utf-8")
    assert 'href="../report.html#cpts"' in evidence and "data-fact=" in evidence
    assert "http://" not in evidence and "https://" not in evidence


def test_report_command_writes_into_the_current_snapshot(tmp_path, capsys):
    out = tmp_path / "output"
    snapshot = store.new_snapshot(out)
    write_dataset(sample.tables(), snapshot, texts=sample.texts(), run_info={})
    write_extras(snapshot, report_max_docs=1)
    store.switch(out, snapshot)
    before = (out / "report.html").read_text("utf-8")
    assert main(["report", "--out", str(out), "--max-docs", "3"]) == 0
    assert (out / "report.html").is_symlink() and (out / "evidence").is_symlink()
    after = (snapshot / "report.html").read_text("utf-8")
    assert after != before and after == (out / "report.html").read_text("utf-8")
    assert not list((snapshot / "evidence").iterdir())  # every text inlined now
    # The next run's switch keeps the public link; nothing of the rewrite was left outside.
    assert sorted(p.name for p in out.iterdir() if not p.is_symlink()) == [".lock", ".snapshots"]


@pytest.mark.slow
def test_filter_folds_apostrophes_and_limits_to_a_column(browser, tmp_path):
    path = write_report(sample.tables(), sample.texts(), tmp_path / "report.html")
    page = browser.new_page()
    page.goto(path.as_uri())
    rows = page.locator("#cpts-table tbody tr")
    for typed in ("ard’drom", "ard'drom", "ARD‘DRÔM"):  # Word, keyboard, and a stray quote
        page.fill("#cpts-filter", typed)
        assert [r.is_visible() for r in rows.all()] == [True, True], typed
    page.fill("#cpts-filter", "07")
    assert [r.is_visible() for r in rows.all()] == [True, True]
    page.select_option("#cpts-filter-column", label="Name")
    assert [r.is_visible() for r in rows.all()] == [False, False]
    page.select_option("#cpts-filter-column", label="Departments")
    assert page.locator("#cpts-count").text_content() == "(2 / 2)"
    page.select_option("#cpts-filter-column", label="Name")
    page.fill("#cpts-filter", "drôme")
    assert page.locator("#cpts-count").text_content() == "(1 / 2)"
