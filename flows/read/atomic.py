"""`atomic_write`: the one way this project writes a file someone may be reading.

The bytes go to a hidden temporary file beside the target, which is then renamed over it: a
reader (or a crash) sees the previous file or the new one, never half of one. Its name starts
with "." so that discovery never lists a half-written file (flows/read/discover.py). It lives
here, at the ground of `flows/`, because the read step writes the fetch's sidecars; the fetch,
the output folder and the derived files use it too.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable
from pathlib import Path

# The mode `open()` gives a new file, before the umask: the temporary file gets what any other
# file the run writes gets (0644 under the usual umask 022, 0600 under 077). mkstemp's 0600
# made the registry and datapackage.json unreadable to the others who read the dataset.
MODE = 0o666
# The end of a temporary file's name: what a killed writer leaves behind (flows/fetch/state.py
# sweeps them from an inbox).
PARTIAL_SUFFIX = ".part"


def atomic_write(target: Path, data: bytes | str | Callable[[Path], None]) -> Path:
    """Write `data` to `target` atomically: bytes, text (UTF-8), or a function that writes
    the file at the path it is given (a Parquet or CSV writer). Returns `target`."""
    target = Path(target)
    fd, tmp = _create(target)
    try:
        with os.fdopen(fd, "wb") as handle:
            if isinstance(data, str):
                handle.write(data.encode("utf-8"))
            elif isinstance(data, bytes):
                handle.write(data)
        if callable(data):
            data(tmp)
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return target


def _create(target: Path) -> tuple[int, Path]:
    """A new hidden file beside `target`, made as mkstemp does but with the umask's mode."""
    while True:
        tmp = target.with_name(f".{target.name}.{secrets.token_hex(4)}{PARTIAL_SUFFIX}")
        try:
            return os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, MODE), tmp
        except FileExistsError:
            continue
