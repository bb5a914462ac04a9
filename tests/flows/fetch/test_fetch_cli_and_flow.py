"""`cpts-facts fetch` on the command line, and `cpts-facts-follow` (fetch, then extract) as
the Prefect flow `serve --sources` deploys."""

from __future__ import annotations

import pytest

from flows.cli import main
from flows.settings import SERVE_SETTLE_SECONDS, RunSettings
from tests.flows.fetch.server import Route, release, rss

pytestmark = pytest.mark.timeout(240)

RELEASE = ["La CPTS du Val Test a signé son accord conventionnel le 12 mars 2024.",
           "Elle couvre 40 000 habitants répartis sur 25 communes."]


def publisher(site, tmp_path):
    site.routes["/rss.xml"] = Route(rss([
        ("La CPTS du Val Test signe", site.url("/a/cpts-val"), "Tue, 12 Mar 2024 10:00:00 GMT"),
        ("CPTS du Mont : page disparue", site.url("/a/cpts-mont"),
         "Mon, 11 Mar 2024 10:00:00 GMT"),
    ]), "application/rss+xml")
    site.routes["/a/cpts-val"] = Route(release("La CPTS du Val Test signe", RELEASE))
    sources = tmp_path / "sources.toml"
    sources.write_text(
        "[fetch]\ndelay_seconds = 0\ntimeout_seconds = 2\nbackoff_seconds = 0.01\n\n"
        f'[[source]]\nurl = "{site.url("/rss.xml")}"\n\n'
        f'[[source]]\nname = "gone"\nurl = "{site.url("/gone.xml")}"\n', encoding="utf-8")
    # Down for longer than the client's own retries (3 attempts): the task is retried.
    site.routes["/flaky.xml"] = Route(rss([]), "application/rss+xml", fail_first=3)
    return sources


def test_fetch_command_reports_every_source_and_item(site, tmp_path, capsys):
    sources = publisher(site, tmp_path)
    inbox = tmp_path / "inbox"
    assert main(["fetch", "--sources", str(sources), "--inbox", str(inbox)]) == 0
    out = capsys.readouterr().out
    assert "new 127.0.0.1/cpts-val-" in out
    assert f"failed {site.url('/a/cpts-mont')}: HTTP 404" in out
    assert "failed       gone: HTTP 404" in out
    assert main(["fetch", "--sources", str(sources), "--inbox", str(inbox), "--strict"]) == 3
    assert site.count("/a/cpts-val") == 1


def test_fetch_command_refuses_a_broken_sources_file(tmp_path, capsys):
    bad = tmp_path / "sources.toml"
    bad.write_text('[[source]]\nurl = "ftp://x"\n', encoding="utf-8")
    assert main(["fetch", "--sources", str(bad), "--inbox", str(tmp_path / "in")]) == 2
    assert "http(s)" in capsys.readouterr().err


def test_follow_flow_fetches_then_extracts(prefect_harness, site, tmp_path):
    from flows.dataset.export import read_dataset
    from flows.run.fetch_flow import follow_flow

    sources = publisher(site, tmp_path)
    inbox, out = tmp_path / "inbox", tmp_path / "out"
    with sources.open("a", encoding="utf-8") as handle:
        handle.write(f'\n[[source]]\nurl = "{site.url("/flaky.xml")}"\n')
    settings = RunSettings(inputs=[str(inbox)], out_dir=str(out), incremental=True, wait=True)
    result = follow_flow(str(sources), settings, retry_delay_seconds=0)
    assert site.count("/flaky.xml") == 4  # 3 times 500 in the first task run, then 200
    assert (result["extract"]["run"]["new"], result["extract"]["files"]) == (1, 1)
    fetched = result["fetch"]
    assert fetched["failed_sources"] == [site.url("/gone.xml")]
    assert fetched["items"] == {"new": 1, "failed": 1}
    docs = read_dataset(out)["documents"]
    assert list(docs["url"]) == [site.url("/a/cpts-val")]
    assert docs["fetched_at"].notna().all()
    assert "href='" + site.url("/a/cpts-val") + "'" in (out / "report.html").read_text("utf-8")
    again = follow_flow(str(sources), settings, retry_delay_seconds=0)
    assert again["fetch"]["items"] == {"known": 1, "failed": 1}
    assert (again["extract"]["run"]["new"], again["extract"]["run"]["skipped"]) == (0, 1)
    assert site.count("/a/cpts-val") == 1


def test_serve_with_sources_deploys_the_follow_flow(monkeypatch, tmp_path):
    import signal

    from flows.run import serve

    sources = tmp_path / "sources.toml"
    sources.write_text('[[source]]\nurl = "https://www.example.org/rss.xml"\n', "utf-8")
    calls = []
    monkeypatch.setenv("PREFECT_API_URL", "http://127.0.0.1:1/api")
    monkeypatch.setattr(serve, "_serve", lambda *args: calls.append(args))
    previous = signal.getsignal(signal.SIGTERM)
    try:
        assert main(["serve", "--sources", str(sources), "--inbox", str(tmp_path / "in"),
                     "--out", str(tmp_path / "out"), "--cron", "0 6 * * *", "--prune"]) == 0
    finally:
        signal.signal(signal.SIGTERM, previous)
    [(parameters, cron, every)] = calls
    assert parameters["sources_file"] == str(sources.absolute())
    settings = RunSettings.of(parameters["settings"])
    assert settings == RunSettings(inputs=[str((tmp_path / "in").absolute())],
                                   out_dir=str((tmp_path / "out").absolute()),
                                   incremental=True, wait=True, prune=True,
                                   settle_seconds=SERVE_SETTLE_SECONDS)
    assert (cron, every) == ("0 6 * * *", None)
    assert (tmp_path / "in").is_dir()  # fetch fills it: it need not exist beforehand


def test_serve_refuses_a_broken_sources_file_at_once(tmp_path, capsys):
    sources = tmp_path / "sources.toml"
    sources.write_text('[[source]]\nurl = "https://x.example"\nkindd = "feed"\n', "utf-8")
    assert main(["serve", "--sources", str(sources), "--inbox", str(tmp_path)]) == 2
    assert "unknown key 'kindd'" in capsys.readouterr().err


def test_a_fetch_killed_midway_fetches_each_finished_item_once(site, tmp_path):
    import os
    import signal
    import subprocess
    import sys
    import time

    from flows.read.discover import discover
    from tests.conftest import ROOT

    slow = Route(release("CPTS lente", RELEASE), delay=30)
    site.routes["/rss.xml"] = Route(rss([
        ("CPTS une", site.url("/a/cpts-1"), "Wed, 13 Mar 2024 10:00:00 GMT"),
        ("CPTS deux", site.url("/a/cpts-2"), "Tue, 12 Mar 2024 10:00:00 GMT"),
        ("CPTS lente", site.url("/a/cpts-3"), "Mon, 11 Mar 2024 10:00:00 GMT"),
    ]), "application/rss+xml")
    site.routes["/a/cpts-1"] = Route(release("CPTS une", RELEASE))
    site.routes["/a/cpts-2"] = Route(release("CPTS deux", [*RELEASE, "Deux."]))
    site.routes["/a/cpts-3"] = slow
    sources = tmp_path / "sources.toml"
    sources.write_text(f'[fetch]\ndelay_seconds = 0\ntimeout_seconds = 60\n\n'
                       f'[[source]]\nurl = "{site.url("/rss.xml")}"\n', encoding="utf-8")
    inbox = tmp_path / "inbox"
    argv = [sys.executable, "-m", "flows.cli", "fetch", "--sources", str(sources),
            "--inbox", str(inbox)]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen(argv, cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 60
        while site.count("/a/cpts-3") == 0 and time.monotonic() < deadline:
            time.sleep(0.1)
        assert site.count("/a/cpts-3") == 1, "the fetch never reached the slow item"
        proc.send_signal(signal.SIGKILL)  # killed in the middle of a download
        proc.wait(10)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert len(discover([inbox])) == 2
    slow.delay = 0
    done = subprocess.run(argv, cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert [site.count(f"/a/cpts-{n}") for n in (1, 2, 3)] == [1, 1, 2]
    assert len(discover([inbox])) == 3


def test_follow_flow_still_extracts_when_the_fetch_fails_as_a_whole(prefect_harness, tmp_path):
    from flows.run.fetch_flow import follow_flow

    inbox, out = tmp_path / "inbox", tmp_path / "out"
    inbox.mkdir()
    (inbox / "brought.txt").write_text(" ".join(RELEASE), encoding="utf-8")
    broken = tmp_path / "sources.toml"
    broken.write_text("[[source]]\nurl = 12\n", encoding="utf-8")
    settings = RunSettings(inputs=[str(inbox)], out_dir=str(out), incremental=True, wait=True)
    state = follow_flow(str(broken), settings, return_state=True)
    assert state.is_failed() and "fetch failed" in state.message
    assert (out / "documents.parquet").exists()


def test_fetch_command_refuses_an_inbox_that_is_a_file(tmp_path, capsys):
    sources = tmp_path / "sources.toml"
    sources.write_text('[[source]]\nurl = "https://www.example.org/rss.xml"\n', "utf-8")
    taken = tmp_path / "inbox"
    taken.write_text("not a folder", encoding="utf-8")
    assert main(["fetch", "--sources", str(sources), "--inbox", str(taken)]) == 2
    assert "cannot use" in capsys.readouterr().err
