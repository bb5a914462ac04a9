"""The background Prefect server: whose API wins, reuse only when healthy, a real recorded flow
run through it, and its own stop when idle. One server is started, in a private home."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import urllib.request

import pytest

from flows.errors import CptsFactsError
from flows.run import api_server
from flows.run.lifeline import alive
from tests.conftest import ROOT

# (environment, what applies): the user's own API and the temporary mode both skip the server.
CHOICE_CASES = [
    pytest.param({"PREFECT_API_URL": "http://prefect.example:4200/api"},
                 "http://prefect.example:4200/api", id="users-env-url"),
    pytest.param({"CPTS_FACTS_PREFECT_SERVER": "temporary"}, None, id="temporary-mode"),
]


@pytest.mark.parametrize(("env", "expected"), CHOICE_CASES)
def test_the_users_api_or_the_temporary_mode_start_nothing(env, expected, monkeypatch, tmp_path):
    monkeypatch.setenv(api_server.HOME_ENV, str(tmp_path))
    monkeypatch.delenv("PREFECT_API_URL", raising=False)
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    assert api_server.use_background_server() is None
    assert not (tmp_path / api_server.STATE).exists()
    if expected:
        assert api_server.users_api_url() == expected


def test_a_profile_url_is_the_users_api(monkeypatch, tmp_path):
    profiles = tmp_path / "profiles.toml"
    profiles.write_text('active = "mine"\n[profiles.mine]\n'
                        'PREFECT_API_URL = "http://127.0.0.1:4200/api"\n', encoding="utf-8")
    monkeypatch.setenv("PREFECT_PROFILES_PATH", str(profiles))
    monkeypatch.delenv("PREFECT_PROFILE", raising=False)
    assert api_server._profile_api_url() == "http://127.0.0.1:4200/api"


def test_an_unknown_mode_is_a_one_line_error(monkeypatch):
    monkeypatch.setenv(api_server.MODE_ENV, "sometimes")
    with pytest.raises(CptsFactsError, match="temporary"):
        api_server.mode()


def _post(url: str, body: dict) -> list[dict]:
    request = urllib.request.Request(url, data=json.dumps(body).encode(), method="POST",
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.loads(response.read())


@pytest.mark.slow
def test_started_once_reused_records_the_flow_run_and_stops_when_idle(tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    # A stale record (a dead server's port) is not reused.
    (home / api_server.STATE).write_text(json.dumps({
        "pid": 2**22 + 1, "url": "http://127.0.0.1:9/api", "python": sys.executable,
        "prefect": api_server._prefect_version()}), encoding="utf-8")
    idle = 0.25  # minutes: long enough for a run's imports, short enough to see it stop
    try:
        url = api_server.ensure_server(home, idle)
        assert url.startswith("http://127.0.0.1:") and url != "http://127.0.0.1:9/api"
        pid = api_server.read_state(home)["pid"]
        env = {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"}
        env |= {api_server.MODE_ENV: "background", api_server.HOME_ENV: str(home),
                api_server.IDLE_ENV: str(idle), "PYTHONPATH": str(ROOT)}
        done = subprocess.run([sys.executable, "-m", "flows.cli", "run", "corpus", "--out",
                               str(tmp_path / "out"), "--quiet"], cwd=ROOT, env=env,
                              capture_output=True, text=True, timeout=600)
        assert done.returncode == 0, done.stderr[-2000:]
        assert api_server.read_state(home)["pid"] == pid  # reused, not restarted
        runs = _post(f"{url}/flow_runs/filter", {})
        assert [r["state_type"] for r in runs] == ["COMPLETED"]
        artifacts = _post(f"{url}/artifacts/filter", {})
        assert [a["flow_run_id"] for a in artifacts] == [runs[0]["id"]]
        deadline = time.monotonic() + idle * 60 + 60
        while alive(pid) and time.monotonic() < deadline:
            time.sleep(1)
            try:
                os.waitpid(pid, os.WNOHANG)
            except ChildProcessError:
                pass
        assert not alive(pid), "the server did not stop when idle"
        assert not (home / api_server.STATE).exists()
    finally:
        api_server.stop_server(home)


def test_a_server_being_started_has_its_address_before_it_answers(tmp_path):
    """What a command does meanwhile (import Prefect, which reads PREFECT_API_URL) overlaps
    the server's own start; a server reused has nothing to overlap."""
    home = tmp_path / "home"
    home.mkdir()
    seen = []
    try:
        url = api_server.ensure_server(
            home, 0.25, meanwhile=lambda u: seen.append((u, api_server.healthy(u, timeout=0.5))))
        assert seen == [(url, False)]  # known, not answering yet
        assert api_server.healthy(url)
        assert api_server.ensure_server(home, 0.25, meanwhile=seen.append) == url
        assert len(seen) == 1
    finally:
        api_server.stop_server(home)


@pytest.mark.slow
def test_a_first_command_starts_the_server_and_its_flow_run_is_recorded(tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    env = {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"}
    env |= {api_server.MODE_ENV: "background", api_server.HOME_ENV: str(home),
            api_server.IDLE_ENV: "0.5", "PYTHONPATH": str(ROOT)}
    try:
        done = subprocess.run([sys.executable, "-m", "flows.cli", "run", "corpus", "--out",
                               str(tmp_path / "out"), "--quiet"], cwd=ROOT, env=env,
                              capture_output=True, text=True, timeout=600)
        assert done.returncode == 0, done.stderr[-2000:]
        url = api_server.read_state(home)["url"]
        assert [r["state_type"] for r in _post(f"{url}/flow_runs/filter", {})] == ["COMPLETED"]
    finally:
        api_server.stop_server(home)
