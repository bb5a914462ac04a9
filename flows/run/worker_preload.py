"""Imported once by the forkserver of `flows.run.runners.local_pool`, before it forks the workers.

It imports what a worker needs to extract, no more: a full run gives the pool its first batch
while Prefect starts (flows/run/ahead.py), so the time until the first worker exists is on
the run's critical path. Hence no pandera (the flow validates, not the workers) and no warm-up
page through trafilatura any more (0.3 s, which a worker now pays at its first HTML page only;
htmldate, whose first call made dateparser compile ~1,000 locale regexes, no longer runs:
flows/read/html.py). The spaCy model is not loaded here: a worker loads it lazily, on the
first sentence that needs it. Both the extractors' patterns and the model's tokenizer come
compiled from the machine's cache after the first run (flows/run/compiled_patterns.py).

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

from flows.run import compiled_patterns  # noqa: E402

# Before the extractors' imports compile their ~400 patterns, and the spaCy load its tokenizer's.
compiled_patterns.install()

import extractors  # noqa: E402
import flows.run.batch  # noqa: E402  (the import is the point)
import flows.run.process  # noqa: E402, F401  (imported by run_batch on its first call)

extractors.EXTRACTORS  # noqa: B018  (the registry imports every kind: their patterns compile)
