"""Open a run's report.html in headless Chromium, click every CPTS row, count dead links.

A row is alive when its click lands on an element with the row's target id that is visible:
its card in report.html, or its card in evidence/<doc_id>.html (each page a row leads to is
opened, and every card expected there is looked for). A few rows of each kind are also
clicked with the real mouse.

    .venv/bin/python -m benchmarks.report_links 2000          # builds, runs, checks
    .venv/bin/python -m benchmarks.report_links --out DIR      # checks an existing run

Prints the figures the issue asks for: rows, dead links, first paint, load time.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script, not only with -m
    sys.path.insert(0, str(ROOT))

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]


# Every row clicked through its own click handler, in the page: a fragment link must land on
# a visible card; a link to another page is caught at window.open (the ctrl-click path of the
# same handler) instead of leaving the page, so the report is loaded once, not once per row.
CLICK_ALL = """() => {
  const found = [];
  const realOpen = window.open;
  let opened = null;
  window.open = (url) => { opened = url; return null; };
  try {
    for (const row of document.querySelectorAll('#cpts-table tbody tr')) {
      const href = row.querySelector('a').getAttribute('href');
      const cell = row.cells[1];
      if (href.startsWith('#')) {
        cell.dispatchEvent(new MouseEvent('click', {bubbles: true}));
        const el = document.getElementById(href.slice(1));
        const ok = location.hash === href && !!el && el.getClientRects().length > 0;
        found.push([href, ok ? location.href : null]);
      } else {
        opened = null;
        cell.dispatchEvent(new MouseEvent('click', {bubbles: true, ctrlKey: true}));
        found.push([href, opened]);
      }
    }
  } finally { window.open = realOpen; }
  return found;
}"""
VISIBLE = """(ids) => ids.filter(id => {
  const el = document.getElementById(id);
  return !el || el.getClientRects().length === 0;
})"""


def _target_ok(page, target: str) -> bool:
    """`target` ("#ev-...") names exactly one element of `page`, and it is on screen."""
    if not target.startswith("#") or len(target) < 2:
        return False
    found = page.locator(f"[id='{target[1:]}']")
    return found.count() == 1 and found.is_visible()


def _real_clicks(page, rows, hrefs: list[str], n: int) -> list[str]:
    """Trusted mouse clicks on the first `n` rows of each kind; returns the dead ones."""
    dead = []
    inline = [i for i, h in enumerate(hrefs) if h.startswith("#")][:n]
    paged = [i for i, h in enumerate(hrefs) if not h.startswith("#")][:n]
    for i in inline:
        rows.nth(i).locator("td").nth(1).click()
        if page.evaluate("location.hash") != hrefs[i] or not _target_ok(page, hrefs[i]):
            dead.append(hrefs[i])
    for i in paged:
        with page.context.expect_page() as opened:
            rows.nth(i).locator("td").nth(1).click(modifiers=["Control"])
        other = opened.value
        other.wait_for_load_state("load")
        if not other.url.endswith(hrefs[i]) or not _target_ok(other, "#" + hrefs[i].split("#")[1]):
            dead.append(hrefs[i])
        other.close()
    return dead


def click_every_row(browser, report: Path, real_clicks: int = 5) -> dict:
    """Click every CPTS row of `report` through its handler, open every evidence page a row
    leads to and find the row's card there, and click `real_clicks` rows of each kind with
    the mouse. Returns the figures and the dead rows."""
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    problems: list[str] = []
    page.on("pageerror", lambda e: problems.append(str(e)))
    started = time.perf_counter()
    page.goto(report.resolve().as_uri())
    page.wait_for_load_state("load")
    load_s = time.perf_counter() - started
    paint = page.evaluate(
        "(performance.getEntriesByName('first-contentful-paint')[0] || {}).startTime || null")
    rows = page.locator("#cpts-table tbody tr")
    hrefs = rows.evaluate_all("rs => rs.map(r => r.querySelector('a').getAttribute('href'))")
    base = report.resolve().parent.as_uri() + "/"
    dead, targets = [], {}
    for href, landed in page.evaluate(CLICK_ALL):
        if landed is None or not landed.endswith(href):
            dead.append(href)
        elif not href.startswith("#"):
            file, _, target = href.partition("#")
            targets.setdefault(base + file, []).append(target)
    other = browser.new_page(viewport={"width": 1280, "height": 900})
    other.on("pageerror", lambda e: problems.append(str(e)))
    for url, ids in targets.items():
        other.goto(url, wait_until="domcontentloaded")
        dead += [f"{url}#{i}" for i in other.evaluate(VISIBLE, ids)]
    other.close()
    page.goto(report.resolve().as_uri())
    dead += _real_clicks(page, rows, hrefs, real_clicks)
    page.close()
    paged = sum(len(v) for v in targets.values())
    return {"rows": len(hrefs), "inline": len(hrefs) - paged, "paged": paged,
            "pages_opened": len(targets), "dead": dead, "first_paint_ms": paint,
            "load_s": load_s, "page_errors": problems}


def _run_pipeline(n: int, out: Path) -> None:
    from benchmarks.make_corpus import build_corpus

    corpus = build_corpus(n, ROOT / "benchmarks" / "out" / f"corpus-{n}")
    env = {**os.environ, "PREFECT_SERVER_ANALYTICS_ENABLED": "false", "DO_NOT_TRACK": "1",
           "PYTHONPATH": str(ROOT)}
    subprocess.run([sys.executable, "-m", "flows.cli", "run", corpus["files_dir"], "--out",
                    str(out), "--quiet"], check=True, env=env, cwd=ROOT)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", type=int, nargs="?", help="documents to build and run first")
    parser.add_argument("--out", type=Path, help="the run's output folder")
    args = parser.parse_args(argv)
    out = args.out or ROOT / "benchmarks" / "out" / f"report-{args.n}"
    if args.n:
        started = time.perf_counter()
        _run_pipeline(args.n, out)
        print(f"run of {args.n} documents: {time.perf_counter() - started:.0f} s")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        started = time.perf_counter()
        found = click_every_row(browser, out / "report.html")
        browser.close()
    size = (out / "report.html").stat().st_size / 1e6
    pages = len(list((out / "evidence").glob("*.html"))) if (out / "evidence").is_dir() else 0
    print(f"report.html {size:.1f} MB, {pages} evidence pages; rows clicked {found['rows']} "
          f"({found['inline']} in the report, {found['paged']} on {found['pages_opened']} "
          f"evidence pages) in "
          f"{time.perf_counter() - started:.0f} s")
    print(f"dead links: {len(found['dead'])}; first paint: {found['first_paint_ms']:.0f} ms; "
          f"load: {found['load_s']:.1f} s; page errors: {len(found['page_errors'])}")
    return 1 if found["dead"] or found["page_errors"] else 0


if __name__ == "__main__":
    sys.exit(main())
