"""`atomic_write`: the one way this project writes a file someone may be reading.

The bytes go to a hidden temporary file beside the target, which is then renamed over it: a
reader (or a crash) sees the previous file or the new one, never half of one. Its name starts
with "." so that discovery never lists a half-written file (flows/read/discover.py). It lives
here, at the ground of `flows/`, because the read step writes the fetch's sidecars; the fetch,
the output folder and the derived files use it too.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path

# mkstemp makes a file only its owner may read; a dataset or an inbox is for others to read.
MODE = 0o644
# The end of a temporary file's name: what a killed writer leaves behind (flows/fetch/state.py
# sweeps them from an inbox).
PARTIAL_SUFFIX = ".part"


def atomic_write(target: Path, data: bytes | str | Callable[[Path], None]) -> Path:
    """Write `data` to `target` atomically: bytes, text (UTF-8), or a function that writes
    the file at the path it is given (a Parquet or CSV writer). Returns `target`."""
    target = Path(target)
    fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=PARTIAL_SUFFIX,
                                dir=target.parent)
    tmp = Path(name)
    try:
        with os.fdopen(fd, "wb") as handle:
            if isinstance(data, str):
                handle.write(data.encode("utf-8"))
            elif isinstance(data, bytes):
                handle.write(data)
        if callable(data):
            data(tmp)
        os.chmod(tmp, MODE)
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return target
