"""`cpts-facts serve`: a long-running Prefect deployment that processes an inbox's new files.

With `--sources`, each run first fetches the publishers' new releases into the inbox
(flows/run/fetch_flow.py: `cpts-facts-follow` = the fetch flow, then the extract flow).

Each run is `extract_flow` with the settings `cpts-facts serve` was given, always incremental
and waiting for the output folder's lock: files already in the dataset are skipped
(flows/dataset/state.py), so a tick costs a hash of the inbox when nothing arrived. The runs are
created by flows/run/ticker.py and executed by Prefect's Runner (`flow.serve`), so they show in
the Prefect UI and `prefect deployment run 'cpts-facts-extract/inbox'` triggers one by hand.

With PREFECT_API_URL set, that server is used. Without it, `serve` starts a temporary local
server with a private SQLite database (the default one is shared with every other Prefect
process of the user, and SQLite locks under concurrency), and stops it with serving.
"""

from __future__ import annotations

import asyncio
import logging
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import warnings
from contextlib import contextmanager
from pathlib import Path

from flows.errors import CptsFactsError
from flows.settings import RunSettings

DEPLOYMENT = "inbox"
FOLLOW_DEPLOYMENT = "follow"  # serve --sources: fetch, then extract


@contextmanager
def local_server():
    """A temporary local Prefect API, for as long as the block lasts."""
    import prefect
    from prefect.server.api.server import SubprocessASGIServer
    from prefect.settings import get_current_settings

    home = tempfile.mkdtemp(prefix="cpts-facts-prefect-")

    class PrivateServer(SubprocessASGIServer):
        # Prefect's temporary server, with its own database instead of ~/.prefect/prefect.db.
        def _run_uvicorn_command(self) -> subprocess.Popen:
            env = {
                **os.environ,
                **get_current_settings().to_environment_variables(exclude_unset=True),
                "PREFECT_UI_ENABLED": "0",
                "PREFECT__SERVER_EPHEMERAL": "1",
                # Runs come from flows/run/ticker.py; this service only logs a SQLAlchemy error.
                "PREFECT_SERVER_SERVICES_SCHEDULER_ENABLED": "false",
                "PREFECT_API_DATABASE_CONNECTION_URL": f"sqlite+aiosqlite:///{home}/prefect.db",
            }
            env.pop("PREFECT_API_URL", None)
            return subprocess.Popen([
                sys.executable, "-m", "uvicorn", "--app-dir", str(prefect.__module_path__.parent),
                "--factory", "prefect.server.api.server:create_app", "--host", "127.0.0.1",
                "--port", str(self.port), "--log-level", "error", "--lifespan", "on",
            ], env=env)

    server = PrivateServer()
    try:
        server.start()
        yield server.api_url
    finally:
        server.stop()
        shutil.rmtree(home, ignore_errors=True)


class _DropCancelledCallbacks(logging.Filter):
    """Prefect's Runner exits from inside its event loop on SIGTERM; asyncio then logs the
    cancelled control-channel reader as "Exception in callback" with a traceback. Nothing
    failed, so that one record is dropped; every other asyncio error still shows."""

    def filter(self, record: logging.LogRecord) -> bool:
        error = record.exc_info[1] if record.exc_info else None
        return not isinstance(error, asyncio.CancelledError)


def _terminate(signum, frame):  # SIGTERM ends serving like Ctrl-C does
    raise KeyboardInterrupt


def serve(settings: RunSettings, *, cron: str | None, interval: float | None,
          sources: Path | None = None) -> None:
    """Serve the extract flow (with `sources`, the follow flow) for the inbox
    `settings.inputs[0]`, ticking at `cron` or every `interval` seconds, until stopped."""
    inbox = Path(settings.inputs[0])
    if sources is not None:
        inbox.mkdir(parents=True, exist_ok=True)  # fetch fills it
    if not inbox.is_dir():
        raise CptsFactsError(f"inbox folder not found: {inbox}")
    # JSON, as the Prefect API stores a deployment's parameters (the flows read it back).
    parameters: dict = {"settings": settings.as_dict()}
    if sources is not None:
        from flows.fetch.sources import load_sources

        load_sources(sources)  # a broken sources file stops here, not at each tick
        parameters["sources_file"] = str(sources.absolute())
    signal.signal(signal.SIGTERM, _terminate)
    logging.getLogger("asyncio").addFilter(_DropCancelledCallbacks())
    # Prefect's Runner stops on SIGTERM through a coroutine it never awaits: harmless noise.
    warnings.filterwarnings("ignore", message="coroutine 'Runner.astop' was never awaited")
    if os.environ.get("PREFECT_API_URL"):
        _serve(parameters, cron, interval)
        return
    print("cpts-facts: starting a temporary Prefect server (set PREFECT_API_URL to use yours)",
          file=sys.stderr, flush=True)
    with local_server() as api_url:
        # The flow runs are subprocesses of the Runner: they find the server by this variable.
        os.environ["PREFECT_API_URL"] = api_url
        from prefect.settings import PREFECT_API_URL, temporary_settings

        with temporary_settings({PREFECT_API_URL: api_url}):
            _serve(parameters, cron, interval)


def _serve(parameters: dict, cron: str, every: float | None) -> None:
    from prefect.deployments.runner import EntrypointType
    from prefect.settings import PREFECT_RUNNER_POLL_FREQUENCY, temporary_settings

    from flows.run.pipeline import extract_flow
    from flows.run.ticker import Ticker

    served, name = extract_flow, DEPLOYMENT
    if "sources_file" in parameters:
        from flows.run.fetch_flow import follow_flow

        served, name = follow_flow, FOLLOW_DEPLOYMENT
    ticker = Ticker(f"{served.name}/{name}", cron, every)
    ticker.start()
    poll = max(1, int(min(every or 10, 10)))  # the Runner looks for new runs this often
    settings = parameters["settings"]
    what = f"{parameters['sources_file']} → " if "sources_file" in parameters else ""
    print(f"cpts-facts: serving {what}{settings['inputs'][0]} → {settings['out_dir']} "
          f"({f'every {every:g} s' if every else cron})", file=sys.stderr, flush=True)
    with temporary_settings({PREFECT_RUNNER_POLL_FREQUENCY: poll}):
        try:
            served.serve(
                name=name, parameters=parameters, print_starting_message=False,
                entrypoint_type=EntrypointType.MODULE_PATH, limit=1,
            )
        except (KeyboardInterrupt, SystemExit):
            pass  # Ctrl-C, or SIGTERM (the Runner's own handler exits with 0)
        finally:
            ticker.stop()
    print("cpts-facts: serving stopped", file=sys.stderr, flush=True)
