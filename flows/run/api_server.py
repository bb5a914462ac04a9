"""A local Prefect API that outlives one command: started on demand, reused, idle-stopped.

Without a Prefect API of its own, every `cpts-facts run` used to start Prefect's temporary
server: importing its server module, starting uvicorn and migrating a fresh SQLite database
took 6–7 s of a 14 s run on the 5-file corpus. Here the first command starts one such server
in the background (its own database under HOME, see `home()`), and the next commands reuse it
while it answers its health route. It listens on 127.0.0.1 only, and stops itself after
`CPTS_FACTS_PREFECT_SERVER_IDLE_MINUTES` (default 30) without a request and without a command
using it (USERS).

Never used when the user has an API of their own (`PREFECT_API_URL` in the environment, the
active Prefect profile, or the settings of a process that already imported Prefect, as the
test harness does), nor with `CPTS_FACTS_PREFECT_SERVER=temporary` (Prefect's temporary server
per command, as before, but one that ends with the command: `prefect_api`). The client side
imports neither Prefect nor httpx: it runs before the CLI imports Prefect, which reads
`PREFECT_API_URL` at import.

`python -m flows.run.api_server HOME IDLE_MINUTES` is the server process itself.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import tomllib
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

from flows.errors import CptsFactsError
from flows.run.lifeline import alive

MODE_ENV = "CPTS_FACTS_PREFECT_SERVER"  # "background" (default) or "temporary"
IDLE_ENV = "CPTS_FACTS_PREFECT_SERVER_IDLE_MINUTES"
HOME_ENV = "CPTS_FACTS_PREFECT_SERVER_HOME"
IDLE_MINUTES = 30.0
MODES = ("background", "temporary")
# Starting takes 3–5 s on a quiet machine; two loaded cores have been seen to need 60 s.
START_TIMEOUT = 180.0
STATE = "server.json"
# Every command using the server holds a shared lock on this file for as long as it lives
# (the kernel drops it when the process ends, however it ends): a server with a user is never
# idle, even through a batch that makes no request for longer than the idle time.
USERS = "users.lock"
_lease = None  # this process's open handle on USERS


def home() -> Path:
    if os.environ.get(HOME_ENV):
        return Path(os.environ[HOME_ENV])
    cache = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(cache) / "cpts-facts" / "prefect-server"


def idle_minutes() -> float:
    try:
        return max(float(os.environ.get(IDLE_ENV, IDLE_MINUTES)), 0.01)
    except ValueError:
        raise CptsFactsError(f"{IDLE_ENV} must be a number of minutes") from None


def mode() -> str:
    value = os.environ.get(MODE_ENV, "background").strip().lower() or "background"
    if value not in MODES:
        raise CptsFactsError(f"{MODE_ENV} must be one of {', '.join(MODES)} (got {value!r})")
    return value


def users_api_url() -> str | None:
    """The API the user chose: the environment, an imported Prefect's settings, the profile."""
    if os.environ.get("PREFECT_API_URL"):
        return os.environ["PREFECT_API_URL"]
    if "prefect.settings" in sys.modules:  # e.g. prefect_test_harness, a caller's own settings
        from prefect.settings import get_current_settings

        url = get_current_settings().api.url
        if url:
            return str(url)
    return _profile_api_url()


def _profile_api_url() -> str | None:
    prefect_home = Path(os.environ.get("PREFECT_HOME") or Path.home() / ".prefect")
    path = Path(os.environ.get("PREFECT_PROFILES_PATH") or prefect_home / "profiles.toml")
    try:
        profiles = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    active = os.environ.get("PREFECT_PROFILE") or profiles.get("active") or "ephemeral"
    return (profiles.get("profiles", {}).get(active) or {}).get("PREFECT_API_URL") or None


def use_background_server(meanwhile: Callable[[], None] | None = None) -> str | None:
    """Point this process (and its children) at the background server, started if needed.
    `meanwhile()` runs while a server being started boots, with PREFECT_API_URL already
    pointing at it (its address is known before it answers): importing Prefect there overlaps
    the seconds a server takes to start, the first command after a reboot.

    Returns its API URL, or None when the user's API or the temporary mode applies."""
    if users_api_url() or mode() == "temporary":
        return None

    def point(url: str) -> None:
        os.environ["PREFECT_API_URL"] = url
        if meanwhile is not None:
            meanwhile()

    url = ensure_server(home(), idle_minutes(), lease=True, meanwhile=point)
    os.environ["PREFECT_API_URL"] = url
    return url


@contextlib.contextmanager
def prefect_api(meanwhile: Callable[[], None] | None = None) -> Iterator[bool]:
    """The API a `run` talks to within the block: the user's, else the background server,
    else (CPTS_FACTS_PREFECT_SERVER=temporary) a temporary one that ends with the command
    (flows/run/temporary_server.py; Prefect's own outlives a command killed by a signal).
    `meanwhile`: see `use_background_server` (not run in the other cases).

    Yields whether the API is ours (background or temporary) rather than the user's."""
    if use_background_server(meanwhile) is not None:
        yield True
        return
    if users_api_url():
        yield False
        return
    from flows.run.temporary_server import temporary_server

    with temporary_server(private=False):
        yield True


def _prefect_version() -> str:
    from importlib.metadata import version

    return version("prefect")


def read_state(where: Path) -> dict | None:
    try:
        return json.loads((where / STATE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def healthy(url: str, timeout: float = 2.0) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/health", timeout=timeout) as response:
            return response.status == 200
    except (OSError, ValueError):
        return False


@contextlib.contextmanager
def _locked(where: Path) -> Iterator[None]:
    """One command at a time checks, starts or stops the server of `where`."""
    where.mkdir(parents=True, exist_ok=True)
    with open(where / "lock", "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _reusable(state: dict | None) -> bool:
    # Another Python or Prefect (the venv was rebuilt) may not speak the same API.
    return (state is not None and state.get("python") == sys.executable
            and state.get("prefect") == _prefect_version() and alive(int(state["pid"]))
            and healthy(state["url"]))


def ensure_server(where: Path, idle: float, lease: bool = False,
                  meanwhile: Callable[[str], None] | None = None) -> str:
    """The URL of a healthy server for `where`, reused when one answers, else started now.

    `lease`: hold the server for this process's lifetime (see USERS), taken under the same
    lock the server takes to stop, so it cannot stop between the check and the lease.
    `meanwhile(url)`: run while a server started here boots (never for one reused)."""
    with _locked(where):
        state = read_state(where)
        if _reusable(state):
            url = state["url"]
        else:
            if state is not None:
                _stop_pid(int(state["pid"]))
                (where / STATE).unlink(missing_ok=True)
            url = _start(where, idle, meanwhile)
        if lease:
            _take_lease(where)
        return url


def _take_lease(where: Path) -> None:
    global _lease
    if _lease is not None:
        _lease.close()
    _lease = open(where / USERS, "a")  # held open until the process ends
    fcntl.flock(_lease, fcntl.LOCK_SH)


def _has_users(where: Path) -> bool:
    with open(where / USERS, "a") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return True
        fcntl.flock(handle, fcntl.LOCK_UN)
        return False


def _start(where: Path, idle: float, meanwhile: Callable[[str], None] | None = None) -> str:
    root = str(Path(__file__).resolve().parents[2])  # the project this module runs from
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(
        p for p in (root, os.environ.get("PYTHONPATH")) if p)}
    env.pop("PREFECT_API_URL", None)
    # The socket is bound here and handed to the server: its address is known at once, so
    # `meanwhile` can use it while the server imports and starts (seconds).
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))  # loopback only; the port is chosen by the system
        url = _url(sock)
        with open(where / "server.log", "ab") as log:
            process = subprocess.Popen(
                [sys.executable, "-m", "flows.run.api_server", str(where), str(idle),
                 str(sock.fileno())],
                stdin=subprocess.DEVNULL, stdout=log, stderr=log, env=env, cwd=where,
                pass_fds=(sock.fileno(),),
                start_new_session=True,  # Ctrl-C on the command must not stop the shared server
            )
    if meanwhile is not None:
        meanwhile(url)
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            tail = (where / "server.log").read_text(errors="replace")[-800:]
            raise CptsFactsError(f"the background Prefect server did not start "
                                 f"(exit {process.returncode}); set {MODE_ENV}=temporary to "
                                 f"do without it. Its log ends with: {tail}")
        state = read_state(where)
        if state is not None and state.get("pid") == process.pid and healthy(url):
            return url
        time.sleep(0.1)
    _stop_pid(process.pid)
    raise CptsFactsError(f"the background Prefect server did not answer within "
                         f"{START_TIMEOUT:.0f} s; set {MODE_ENV}=temporary to do without it")


def _stop_pid(pid: int, timeout: float = 10.0) -> None:
    if not alive(pid):
        return
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + timeout
    while alive(pid) and time.monotonic() < deadline:
        with contextlib.suppress(ChildProcessError):
            os.waitpid(pid, os.WNOHANG)  # reap it when it is our own child
        time.sleep(0.05)


def stop_server(where: Path | None = None) -> bool:
    """Stop the background server of `where` (default `home()`); True if one was running."""
    where = where or home()
    with _locked(where):
        state = read_state(where)
        if state is None:
            return False
        _stop_pid(int(state["pid"]))
        (where / STATE).unlink(missing_ok=True)
        return True


# --- the server process ---------------------------------------------------------------------

class _Activity:
    """ASGI middleware noting when the last request ended and how many are in flight."""

    def __init__(self, app) -> None:
        self.app, self.last, self.busy = app, time.monotonic(), 0

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        self.busy += 1
        try:
            await self.app(scope, receive, send)
        finally:
            self.busy -= 1
            self.last = time.monotonic()


def _url(sock: socket.socket) -> str:
    return f"http://127.0.0.1:{sock.getsockname()[1]}/api"


def serve(where: Path, idle: float, fd: int | None = None) -> None:
    """The server itself, on the socket `fd` its starter bound (a socket of its own when
    None)."""
    os.environ.update({
        "PREFECT_API_DATABASE_CONNECTION_URL": f"sqlite+aiosqlite:///{where}/prefect.db",
        "PREFECT_UI_ENABLED": "false",
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        "DO_NOT_TRACK": "1",
    })
    os.environ.pop("PREFECT_API_URL", None)
    import uvicorn
    from prefect.server.api.server import create_app

    # ephemeral: no background services (the runs come from this CLI; an idle server stays
    # idle), the same app Prefect's temporary server runs.
    app = _Activity(create_app(ephemeral=True, final=True))
    if fd is None:
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.bind(("127.0.0.1", 0))  # loopback only; the port is chosen by the system
    else:
        sock = socket.socket(fileno=fd)
    url = _url(sock)
    server = uvicorn.Server(uvicorn.Config(app, log_level="error", lifespan="on"))
    state = {"pid": os.getpid(), "url": url, "python": sys.executable,
             "prefect": _prefect_version(), "idle_minutes": idle}

    def watch() -> None:
        while not server.started and not server.should_exit:
            time.sleep(0.05)
        tmp = where / f"{STATE}.{os.getpid()}"
        tmp.write_text(json.dumps(state), encoding="utf-8")
        tmp.replace(where / STATE)
        while not server.should_exit:
            time.sleep(min(5.0, idle * 30))
            if app.busy or time.monotonic() - app.last < idle * 60:
                continue
            with _locked(where):  # no command is checking health right now
                if app.busy or time.monotonic() - app.last < idle * 60 or _has_users(where):
                    continue
                if (read_state(where) or {}).get("pid") == os.getpid():
                    (where / STATE).unlink(missing_ok=True)
                server.should_exit = True

    threading.Thread(target=watch, name="idle-watch", daemon=True).start()
    try:
        server.run(sockets=[sock])
    finally:
        if (read_state(where) or {}).get("pid") == os.getpid():
            (where / STATE).unlink(missing_ok=True)


if __name__ == "__main__":
    serve(Path(sys.argv[1]), float(sys.argv[2]), int(sys.argv[3]) if len(sys.argv) > 3 else None)
