"""Processes that end with the process they work for, however it ends (`kill -9` included).

A command that dies without cleaning up (SIGKILL, the kernel's out-of-memory killer, a crash)
used to leave its worker processes and its temporary Prefect server running for good: the
server, orphaned, held ~230 MB and its port until someone killed it. Three ways here, one per
kind of child:

- `end_with_parent()`, in a pool worker: Linux sends it SIGKILL the moment its parent dies
  (prctl PR_SET_PDEATHSIG), even stuck in C code. The parent is the forkserver, which follows
  the command (`follow_command`, below): multiprocessing's own "alive" pipe cannot tell it, as
  every worker holds that pipe open too. The signal is tied to the thread that forked: safe
  here because the forkserver forks from its main thread.
- `command(...)`: a child started with Popen, as `python -m flows.run.lifeline PID MODULE ...`:
  MODULE runs as `python -m MODULE` would, with a thread that ends the process once PID is no
  longer its parent. Polling, not PR_SET_PDEATHSIG: the thread that starts a Prefect server
  need not live as long as the command. It ends LINGER_S after the command, not at once: the
  command's other children (the flow runs `serve` starts) follow it too, and one that saw its
  Prefect server vanish in the middle of a request printed a websockets traceback before its
  own lifeline ended it.
- `follow_command()`: the same thread, in a process started by a library rather than by
  `command` (the forkserver of the worker pool, the flow runs that Prefect's Runner starts for
  `serve`): the command names itself in FOLLOW_ENV, and a child whose parent it is follows it.

The background Prefect server (flows/run/api_server.py) is deliberately none of these: it is
shared by the next commands and stops itself when idle.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import runpy
import signal
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

PR_SET_PDEATHSIG = 1  # linux/prctl.h
# How often a follower looks at its parent: the bound on how long it outlives it.
POLL_S = 0.5
# How long a `command` child (the temporary Prefect server) outlives the command: the other
# followers, ended within POLL_S, are gone before it.
LINGER_S = 2.0
# The pid of a command whose children started by a library end with it (`follow_command`).
FOLLOW_ENV = "CPTS_FACTS_FOLLOW_PID"
_following: threading.Thread | None = None


def end_with_parent(command_pid: int | None = None) -> None:
    """Ask the kernel to SIGKILL this process when its parent dies (Linux; elsewhere, a
    `follow` thread on the parent). `command_pid`: the command this process works for; gone
    already (it died while this process started), this process ends now."""
    if not _pdeathsig():
        follow(os.getppid())
    if command_pid is not None and not alive(command_pid):
        os._exit(1)


def _pdeathsig() -> bool:
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        return libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) == 0
    except (OSError, AttributeError):
        return False


def alive(pid: int) -> bool:
    """Whether a process `pid` exists (another user's counts: it cannot be signalled, but is)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def follow(parent: int, orphaned: Callable[[], None] | None = None) -> threading.Thread:
    """A daemon thread that ends this process as soon as `parent` is no longer its parent:
    `orphaned()` when given (it must end the process), else exit 1 at once (nobody waits
    for its work any more)."""
    global _following

    def watch() -> None:
        pause = threading.Event()
        while os.getppid() == parent:
            pause.wait(POLL_S)
        if orphaned is not None:
            orphaned()
        os._exit(1)

    if _following is None:  # one per process
        _following = threading.Thread(target=watch, name="cpts-facts-lifeline", daemon=True)
        _following.start()
    return _following


def follow_command(orphaned: Callable[[], None] | None = None) -> bool:
    """Follow the command named by FOLLOW_ENV when it is this process's parent (True then);
    its other descendants (this process's own workers) have lifelines of their own."""
    pid = os.environ.pop(FOLLOW_ENV, "")  # for this process only, not for its own children
    if not pid.isdigit() or int(pid) != os.getppid():
        return False
    follow(int(pid), orphaned)
    return True


def command(module: str, *args: str) -> tuple[list[str], dict[str, str]]:
    """(argv, environment) that run `python -m module *args` as a child of this process that
    ends with it. The environment lets the child import this project from where it runs."""
    root = str(Path(__file__).resolve().parents[2])
    path = os.pathsep.join(p for p in (root, os.environ.get("PYTHONPATH")) if p)
    argv = [sys.executable, "-m", "flows.run.lifeline", str(os.getpid()), module, *args]
    return argv, {"PYTHONPATH": path}


def _main(argv: list[str]) -> None:
    parent, module, *args = argv
    if os.getppid() != int(parent):
        sys.exit(1)  # the command died before its child got here
    follow(int(parent), lambda: time.sleep(LINGER_S))
    sys.argv = [module, *args]
    runpy.run_module(module, run_name="__main__", alter_sys=True)


if __name__ == "__main__":
    _main(sys.argv[1:])
