"""Imported once by the forkserver of `flows.run.runners.local_pool`, before it forks the workers.

Besides the pipeline's modules, it pays the first-use costs every worker would otherwise pay
on its own: the first page read through trafilatura. (htmldate, whose first call made
dateparser compile about a thousand locale regexes, ~1.5 s per process, no longer runs: the
page's date is not read, flows/read/html.py.) Workers inherit the warm caches. The spaCy
model is not loaded here: a worker loads it lazily, on the first sentence that needs it.
A failed warm-up costs only time, never the run.

The forkserver also follows the command that started it (flows/run/lifeline.py): its workers
hold its "alive" pipe open, so without that it would never notice the command's death, and
they (which end with it) would run on for good.
"""

from __future__ import annotations

import os
import signal

from flows.run import lifeline

if lifeline.follow_command():
    # The forkserver and its workers in a process group of their own: Ctrl-C is for the
    # command, which ends them; a worker still starting would print a KeyboardInterrupt.
    # First thing: a full run starts the forkserver while it imports Prefect itself, and a
    # Ctrl-C then must not find the forkserver still importing the pipeline in its group.
    os.setpgid(0, 0)
# The command started this process with SIGINT blocked (runners.py): a Ctrl-C sent before
# the line above is dropped here, not raised in the middle of an import. The forkserver and
# its workers ignore SIGINT from here on (multiprocessing's forkserver does, once preloaded).
signal.signal(signal.SIGINT, signal.SIG_IGN)
signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})

import extractors  # noqa: E402
import flows.run.batch  # noqa: E402  (the import is the point)
import flows.run.process  # noqa: E402, F401  (imported by run_batch on its first call)

extractors.EXTRACTORS  # noqa: B018  (the registry imports every kind: their patterns compile)

# A release whose only date lacks a year ("Ce vendredi 14 août"): it sent htmldate to
# dateparser's search over every locale, the costly first call, when htmldate still ran.
WARM_PAGE = """<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8">
<title>Communiqué</title></head><body><main><article><h1>Communiqué de presse</h1>
<h2>Offre de soins 14 août 2020</h2><p>Ce vendredi 14 août, la CPTS du Val a signé son
contrat. De nombreux défis nous attendent en 2024.</p></article></main></body></html>
""".encode()


def warm_up() -> None:
    try:
        from flows.read.html import html_text

        html_text(WARM_PAGE)
    except Exception:  # a warm-up must never stop the forkserver
        pass


warm_up()
