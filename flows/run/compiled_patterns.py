"""Regular expressions compiled once per machine, not once per process.

A worker spends seconds compiling patterns before its first document: some 400 of the
extractors' own when the forkserver imports them (~0.85 s here), then the French tokenizer's
TOKEN_MATCH when the spaCy model loads (1.45 MB, ~1.4 s even with each character class
optimised once: extractors/text/shared_charsets.py). A small rerun waits for exactly that, so
the compiled form of each pattern is kept on disk, as Python keeps a module's bytecode in a
.pyc: the next process hands the stored code to `_sre.compile`, which checks it, and skips the
parsing and code generation written in Python.

What is stored is what `re` would build: the pattern's program (its list of opcodes), its
flags and its group names, under a key made of the pattern, its flags and the engine's version
(`_sre.MAGIC`), in a folder of the exact Python build, so another interpreter never reads
another's code.
Patterns compare equal by pattern, flags and program (tests/flows/run/
test_compiled_patterns.py checks a stored pattern equals a fresh one). A file that is missing,
truncated or unreadable is a miss: the pattern is compiled as usual and the file written again
(atomically, so processes compiling at once never see half a file). A folder that cannot be
written only means no cache.

This hooks `re._compiler.compile`, a private function of the standard library (3.11–3.13):
where it or its helpers are missing, `install` changes nothing. Only the command line and the
worker processes install it; the extractors themselves never write anything.
`CPTS_FACTS_PATTERN_CACHE=off` turns it off; `=DIR` puts it in DIR.
"""

from __future__ import annotations

import array
import hashlib
import json
import os
import sys
import tempfile
from pathlib import Path

try:
    import _sre
    from re import _compiler, _parser
except ImportError:  # not CPython: nothing to hook
    _sre = _compiler = _parser = None

ENV = "CPTS_FACTS_PATTERN_CACHE"
OFF = ("off", "0", "false", "no")
# Shorter patterns compile in tens of microseconds, about what reading a file costs; the ~100
# longer ones of a worker hold 95 % of its compile time.
MIN_LENGTH = 300
# A pattern built anew by each process (a library's, from a set in hash order) would add a
# file per process: past this many files the oldest half goes.
MAX_FILES = 2000
# The program is a list of unsigned code words of this size (4 bytes on every CPython here).
CODE = "I" if array.array("I").itemsize == getattr(_sre, "CODESIZE", 0) else "L"

_original = None  # re._compiler.compile before install()
_folder: Path | None = None


def folder() -> Path | None:
    """Where the compiled patterns of this Python build live, or None when turned off."""
    value = os.environ.get(ENV, "").strip()
    if value.lower() in OFF:
        return None
    if value:
        base = Path(value)
    else:
        try:
            cache = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
        except RuntimeError:  # no home directory to be found: no cache
            return None
        base = Path(cache) / "cpts-facts" / "patterns"
    build = hashlib.sha256(f"{sys.version}|{sys.executable}".encode()).hexdigest()[:12]
    return base / f"{sys.implementation.cache_tag}-{build}"


def install() -> bool:
    """From now on in this process, `re` takes compiled patterns from the cache folder.
    True when installed (or already); False when turned off or this Python has no hook."""
    global _original, _folder
    if _original is not None:
        return True
    where = folder()
    needed = ("compile", "_code", "isstring")
    if where is None or _compiler is None or not all(hasattr(_compiler, n) for n in needed) \
            or not hasattr(_parser, "parse") or not hasattr(_sre, "MAGIC"):
        return False
    _folder = where
    _prune(where)
    _original = _compiler.compile
    _compiler.compile = _compile
    return True


def uninstall() -> None:
    global _original, _folder
    if _original is not None:
        _compiler.compile = _original
    _original = _folder = None


def _key(pattern: str | bytes, flags: int) -> str:
    # The Python build is the folder's name (`folder`): the key need not repeat it.
    kind = b"s" if isinstance(pattern, str) else b"b"
    raw = pattern.encode("utf-8", "surrogatepass") if isinstance(pattern, str) else pattern
    head = f"{flags}|{_sre.MAGIC}|".encode()
    return hashlib.sha256(kind + head + raw).hexdigest()


def _compile(p, flags=0):
    """`re._compiler.compile`, through the cache for a pattern given as text."""
    folder_now = _folder
    if folder_now is None or not _compiler.isstring(p) or len(p) < MIN_LENGTH \
            or flags & _compiler.SRE_FLAG_DEBUG:
        return _original(p, flags)
    path = folder_now / f"{_key(p, flags)}.sre"
    stored = _read(path)
    if stored is not None:
        try:
            return _sre.compile(p, *stored)
        except (RuntimeError, TypeError, ValueError, OverflowError):
            pass  # a program the engine refuses: compiled anew below, and the file replaced
    parsed = _parser.parse(p, flags)  # errors (re.error) surface here, as they would
    code = _compiler._code(parsed, flags)
    groupindex = parsed.state.groupdict
    indexgroup = [None] * parsed.state.groups
    for name, index in groupindex.items():
        indexgroup[index] = name
    args = (flags | parsed.state.flags, code, parsed.state.groups - 1, groupindex,
            tuple(indexgroup))
    compiled = _sre.compile(p, *args)
    _write(path, args)
    return compiled


def _prune(where: Path) -> None:
    try:
        with os.scandir(where) as entries:
            files = [e for e in entries if e.name.endswith(".sre")]
        if len(files) <= MAX_FILES:
            return
        files.sort(key=lambda e: e.stat().st_mtime)
        for entry in files[: len(files) - MAX_FILES // 2]:
            Path(entry.path).unlink(missing_ok=True)
    except OSError:
        pass  # a folder not there yet, or another process pruning at the same time


def _read(path: Path):
    """(flags, code, groups, groupindex, indexgroup) from `path`, or None for a miss."""
    try:
        data = path.read_bytes()
    except OSError:
        return None
    try:
        head, _, body = data.partition(b"\n")
        meta = json.loads(head)
        if hashlib.sha256(body).hexdigest() != meta["sha256"]:
            return None
        code = array.array(CODE)
        code.frombytes(body)
        groupindex = {str(k): int(v) for k, v in meta["groupindex"].items()}
        indexgroup = tuple(None if g is None else str(g) for g in meta["indexgroup"])
        return int(meta["flags"]), code.tolist(), int(meta["groups"]), groupindex, indexgroup
    except (ValueError, KeyError, TypeError, AttributeError):
        return None


def _write(path: Path, args) -> None:
    flags, code, groups, groupindex, indexgroup = args
    try:
        body = array.array(CODE, code).tobytes()
    except (OverflowError, TypeError):
        return
    meta = {"flags": flags, "groups": groups, "groupindex": dict(groupindex),
            "indexgroup": list(indexgroup), "sha256": hashlib.sha256(body).hexdigest()}
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as out:
                out.write(json.dumps(meta).encode() + b"\n" + body)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    except OSError:
        pass  # no cache where nothing can be written: the pattern is compiled all the same
