"""`cpts-facts serve`: a long-running Prefect deployment that processes an inbox's new files.

With `--sources`, each run first fetches the publishers' new releases into the inbox
(flows/run/fetch_flow.py: `cpts-facts-follow` = the fetch flow, then the extract flow).

Each run is `extract_flow` with the settings `cpts-facts serve` was given, always incremental
and waiting for the output folder's lock: files already in the dataset are skipped
(flows/dataset/state.py), so a tick costs a hash of the inbox when nothing arrived. The runs are
created by flows/run/ticker.py and executed by Prefect's Runner (`flow.serve`), so they show in
the Prefect UI and `prefect deployment run 'cpts-facts-extract/inbox'` triggers one by hand.

With PREFECT_API_URL set, that server is used. Without it, `serve` starts a temporary local
server with a private SQLite database (flows/run/temporary_server.py), which ends with it.

SIGINT or SIGTERM stops serving at once (flows/run/interrupt.py; exit 130 or 143): a run in
progress ends with it and leaves the dataset of the last complete run.
"""

from __future__ import annotations

import contextlib
import contextvars
import multiprocessing
import os
import sys
import threading
import time
from multiprocessing.connection import wait
from pathlib import Path

from flows.errors import CptsFactsError
from flows.run import interrupt, lifeline
from flows.settings import RunSettings

DEPLOYMENT = "inbox"
FOLLOW_DEPLOYMENT = "follow"  # serve --sources: fetch, then extract
# How long a stop waits for the flow runs in progress to end by themselves (0.1–0.25 s here).
FLOW_RUN_GRACE_S = 3.0


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
    # Stopped by a signal only (interrupt.py); the flow runs the Runner starts end with this
    # process (lifeline.py), and a run stopped halfway leaves the last complete dataset.
    interrupt.now(f"serving stopped; {settings.out_dir} holds the dataset of the last "
                  "complete run")
    os.environ[lifeline.FOLLOW_ENV] = str(os.getpid())
    # Registered before the temporary server's own undo, so a stop runs it first.
    with interrupt.undo(end_flow_runs):
        if os.environ.get("PREFECT_API_URL"):
            _serve(parameters, cron, interval)
            return
        print("cpts-facts: starting a temporary Prefect server (set PREFECT_API_URL to use "
              "yours)", file=sys.stderr, flush=True)
        from flows.run.temporary_server import temporary_server

        with temporary_server(private=True):
            _serve(parameters, cron, interval)


def end_flow_runs(grace: float = FLOW_RUN_GRACE_S) -> None:
    """On a stop, before the Prefect server goes: the flow runs Prefect's Runner started (the
    multiprocessing children of this process, and its only ones) get SIGTERM, which each
    answers with its own quiet stop (flows/run/pipeline.py `served_run`: its snapshot removed,
    its workers ended, its semaphores released), and SIGKILL after `grace` seconds.

    Left to their lifelines, they outlived the server by up to half a second, and one still
    running then printed Prefect's websockets tracebacks (its observers lost the API) after
    the stop's line."""
    runs = multiprocessing.active_children()
    for run in runs:
        with contextlib.suppress(OSError):
            run.terminate()
    deadline = time.monotonic() + grace
    waiting = {run.sentinel: run for run in runs}
    while waiting and time.monotonic() < deadline:
        for sentinel in wait(list(waiting), max(0.0, deadline - time.monotonic())):
            waiting.pop(sentinel, None)
    for run in waiting.values():
        with contextlib.suppress(OSError):
            run.kill()


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
    failed: list[BaseException] = []

    def runner() -> None:
        try:
            served.serve(name=name, parameters=parameters, print_starting_message=False,
                         entrypoint_type=EntrypointType.MODULE_PATH, limit=1)
        except BaseException as exc:  # raised again in the main thread
            failed.append(exc)

    # The Runner serves from a thread of its own: in the main thread it would take SIGTERM
    # for itself and stop by unwinding its runs; here the main thread only waits, and a
    # signal stops everything at once (interrupt.py).
    with temporary_settings({PREFECT_RUNNER_POLL_FREQUENCY: poll}):
        # Prefect's settings live in context variables, which a new thread does not inherit.
        context = contextvars.copy_context()
        thread = threading.Thread(target=context.run, args=(runner,),
                                  name="cpts-facts-runner", daemon=True)
        thread.start()
        while thread.is_alive():
            thread.join(0.5)
    ticker.stop()
    if failed:
        raise failed[0]
    print("cpts-facts: serving stopped", file=sys.stderr, flush=True)
