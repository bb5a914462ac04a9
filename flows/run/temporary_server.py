"""Prefect's temporary local server, started here so that it ends with the command.

Prefect starts the same server itself when a command has no API, and stops it at exit; a command
killed (SIGKILL, SIGTERM) left it running for good. Started here, it runs under a lifeline
(flows/run/lifeline.py): it ends within a few seconds of the command (after the command's flow
runs), however the command ends. `run` uses it with CPTS_FACTS_PREFECT_SERVER=temporary, on
Prefect's own database like Prefect's; `serve` with a private SQLite database of its own (the
default one is shared with every other Prefect process of the user, and SQLite locks under
concurrency).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager

from flows.run import interrupt, lifeline


@contextmanager
def temporary_server(*, private: bool) -> Iterator[str]:
    """A temporary local Prefect API for as long as the block lasts; this process and its
    children talk to it (PREFECT_API_URL). `private`: with a database of its own."""
    import prefect
    from prefect.server.api.server import SubprocessASGIServer
    from prefect.settings import PREFECT_API_URL, get_current_settings, temporary_settings

    home = tempfile.mkdtemp(prefix="cpts-facts-prefect-") if private else None

    class Server(SubprocessASGIServer):
        # Prefect's command for its temporary server, under a lifeline.
        def _run_uvicorn_command(self) -> subprocess.Popen:
            argv, env = lifeline.command(
                "uvicorn", "--app-dir", str(prefect.__module_path__.parent),
                "--factory", "prefect.server.api.server:create_app", "--host", "127.0.0.1",
                "--port", str(self.port), "--log-level", "error", "--lifespan", "on")
            env = {
                **os.environ,
                **get_current_settings().to_environment_variables(exclude_unset=True),
                **env,
                "PREFECT_UI_ENABLED": "0",
                "PREFECT__SERVER_EPHEMERAL": "1",
                "PREFECT__SERVER_FINAL": "1",
            }
            env.pop("PREFECT_API_URL", None)
            if home is not None:
                env.update({
                    # Runs come from flows/run/ticker.py; this service only logs an error.
                    "PREFECT_SERVER_SERVICES_SCHEDULER_ENABLED": "false",
                    "PREFECT_API_DATABASE_CONNECTION_URL":
                        f"sqlite+aiosqlite:///{home}/prefect.db",
                })
            # A group of its own: Ctrl-C is for the command, which ends it (a server still
            # importing would print a KeyboardInterrupt traceback).
            return subprocess.Popen(argv, env=env, process_group=0)

    server = Server()
    remove = (lambda: shutil.rmtree(home, ignore_errors=True)) if home else (lambda: None)

    def stopped() -> None:  # on a signal: the server goes at once, then its database
        if server.server_process is not None:
            server.server_process.kill()
        remove()
    before = os.environ.get("PREFECT_API_URL")
    try:
        with interrupt.undo(stopped):
            server.start()
            # The flow runs `serve` starts are subprocesses: they find the server by this.
            os.environ["PREFECT_API_URL"] = server.api_url
            with temporary_settings({PREFECT_API_URL: server.api_url}):
                yield server.api_url
    finally:
        if before is None:
            os.environ.pop("PREFECT_API_URL", None)
        else:
            os.environ["PREFECT_API_URL"] = before
        server.stop()
        remove()
