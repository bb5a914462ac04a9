"""Input paths → the ordered list of files to ingest, each with the `source` the user will see.

Listing never stops a run: a folder that cannot be read, a broken link or a named pipe becomes
an `Entry` with an `error`, which ingestion turns into an `unreadable` row. Only an input path
that does not exist at all is a usage error (`InputNotFoundError`).
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from fnmatch import fnmatch
from pathlib import Path

from flows.errors import InputNotFoundError
from flows.read.sidecar import is_sidecar

# A folder may hold files that are not releases (gold annotations beside the corpus, notes):
# names or glob patterns listed in this file, one per line, are not inputs.
IGNORE_FILE = ".cpts-facts-ignore"
# Names a file has while it is being written, until it is renamed to its own (browsers,
# curl/wget -O, download managers, editors, office lock files). Hidden names (rsync's, this
# project's atomic_write) are skipped anyway. Compared in lower case.
PARTIAL_NAMES = ("*.part", "*.partial", "*.crdownload", "*.download", "*.tmp", "~*")


@dataclass(frozen=True)
class Entry:
    path: Path
    source: str  # relative to the input folder (posix separators), or the file name
    error: str | None = None  # why this entry cannot be read; None when it looks like a file


def discover(inputs: list[Path]) -> list[Entry]:
    """Files under `inputs`, inputs in the order given, each folder's files sorted by source.

    Hidden files and folders (name starting with ".") are skipped, and so are files named as
    downloads in progress (PARTIAL_NAMES: `*.part`, `*.tmp`, `~*`...) and the provenance
    sidecars of fetched files (NAME.meta.json). Symbolic links are followed while they stay
    inside the input folders; a link that leads out of them (an archive unpacked into an inbox
    can hold one to /etc/passwd) or into a system folder such as /proc becomes an entry with an
    error, so its target is never read into the dataset. A folder already visited (a link loop,
    or the same folder given twice) is listed once.
    """
    for given in inputs:
        if not os.path.lexists(given):
            raise InputNotFoundError(given)
    entries: list[Entry] = []
    seen_files: set[tuple[int, int]] = set()
    seen_dirs: set[tuple[int, int]] = set()
    roots = [str(_resolved(Path(given))) for given in inputs]
    for given in inputs:
        path = Path(given)
        if path.is_dir():
            found = _walk(path, path, seen_dirs, roots)
        else:
            found = [_file_entry(path, display_name(path.name), roots)]
        for entry, key in sorted(found, key=lambda listed: listed[0].source.split("/")):
            if key is not None and key in seen_files:
                continue
            if key is not None:
                seen_files.add(key)
            entries.append(entry)
    return entries


def _walk(folder: Path, root: Path, seen_dirs: set[tuple[int, int]],
          roots: list[str]) -> list[tuple[Entry, tuple[int, int] | None]]:
    real_folder = str(_resolved(folder))
    outside = _outside(real_folder, roots)
    if outside:
        entry = Entry(folder, _relative(folder, root), outside)
        return [(entry, _identity(folder))]
    key = _identity(folder)
    if key is not None:
        if key in seen_dirs:
            return []  # a symlink loop or a folder reachable twice: list it once
        seen_dirs.add(key)
    try:
        with os.scandir(folder) as listing:
            children = sorted(listing, key=lambda d: d.name)
    except OSError as exc:
        source = folder.name if folder == root else _relative(folder, root)
        return [(Entry(folder, source, f"cannot list folder: {_os_reason(exc)}"), key)]
    found: list[tuple[Entry, tuple[int, int] | None]] = []
    ignored = _ignore_patterns(folder)
    prefix = _relative(folder, root) + "/" if folder != root else ""
    for child in children:
        if child.name.startswith(".") or any(fnmatch(child.name, p) for p in ignored):
            continue
        if is_partial(child.name):
            continue  # listed once renamed
        if is_sidecar(child.name):
            continue  # the provenance of the file beside it (flows/read/sidecar.py)
        path = Path(child.path)
        try:
            is_dir = child.is_dir()  # follows links; a link loop raises ELOOP here
        except OSError:
            is_dir = False
        if is_dir:
            found.extend(_walk(path, root, seen_dirs, roots))
            continue
        # A child that is no link lies where its folder really is: resolving it again, path
        # component by path component, was most of listing 10,000 files.
        real = None if _is_link(child) else os.path.join(real_folder, child.name)
        found.append(_file_entry(path, prefix + display_name(child.name), roots, real))
    return found


def is_partial(name: str) -> bool:
    """Whether `name` is that of a file still being written (PARTIAL_NAMES).

    >>> [is_partial(n) for n in ("cp.pdf.part", "CP.PDF.CRDOWNLOAD", "~$cp.docx", "cp.pdf")]
    [True, True, True, False]
    """
    folded = name.lower()
    return any(fnmatch(folded, pattern) for pattern in PARTIAL_NAMES)


def _ignore_patterns(folder: Path) -> list[str]:
    try:
        lines = (folder / IGNORE_FILE).read_text(encoding="utf-8").splitlines()
    except OSError:
        return []
    return [ln.strip().rstrip("/") for ln in lines if ln.strip() and not ln.startswith("#")]


def _file_entry(path: Path, source: str, roots: list[str],
                real: str | None = None) -> tuple[Entry, tuple[int, int] | None]:
    """The entry of one file and its identity (device, inode) when it has one; `real` is its
    resolved path when the caller knows it."""
    outside = _outside(str(_resolved(path)) if real is None else real, roots)
    if outside:
        return Entry(path, source, outside), _identity(path)
    try:
        info = os.stat(path)
    except OSError as exc:
        if os.path.islink(path):
            return Entry(path, source, f"broken symbolic link: {_os_reason(exc)}"), None
        return Entry(path, source, _os_reason(exc)), None
    if stat.S_ISDIR(info.st_mode):
        entry = Entry(path, source, "is a folder, not a file")
    elif not stat.S_ISREG(info.st_mode):
        # Opening a named pipe would block the run forever; a device is never a release.
        entry = Entry(path, source, "not a regular file (pipe, socket or device)")
    else:
        entry = Entry(path, source)
    return entry, (info.st_dev, info.st_ino)


def _is_link(child: os.DirEntry) -> bool:
    try:
        return child.is_symlink()
    except OSError:
        return True  # unknown: resolve it the long way


def _identity(path: Path) -> tuple[int, int] | None:
    try:
        info = os.stat(path)
    except OSError:
        return None
    return (info.st_dev, info.st_ino)


def _relative(path: Path, root: Path) -> str:
    return display_name(path.relative_to(root).as_posix())


def display_name(name: str) -> str:
    r"""`name` as text every writer accepts: bytes that are not UTF-8 (a Latin-1 "été" made on
    an old system) are shown as backslash escapes instead of surrogates, which Parquet, JSON
    and the terminal refuse. The file itself is still opened through its real path.

    >>> display_name(os.fsdecode(b"\xe9t\xe9.txt"))
    '\\xe9t\\xe9.txt'
    >>> display_name("été.txt")
    'été.txt'
    """
    return os.fsencode(name).decode("utf-8", errors="backslashreplace")


# Folders whose files describe the machine rather than hold documents; a link into them is
# never followed, and they are refused even when named on the command line.
SYSTEM_FOLDERS = ("/proc", "/sys", "/dev")


def _resolved(path: Path) -> Path:
    try:
        return path.resolve()
    except (OSError, RuntimeError):  # a link loop
        return path.absolute()


def _inside(real: str, folder: str) -> bool:
    """Whether the resolved path `real` is `folder` or lies under it (strings, not Paths: a
    Path's `parents` compared one by one cost more than the listing itself)."""
    return real == folder or real.startswith(folder.rstrip(os.sep) + os.sep)


def _outside(real: str, roots: list[str]) -> str | None:
    """Why the file or folder whose resolved path is `real` must not be read, when that is a
    system folder or lies outside every input folder (only a symbolic link can lead there)."""
    if any(_inside(real, system) for system in SYSTEM_FOLDERS):
        return "refused: a system path (/proc, /sys or /dev), not a release"
    if any(_inside(real, root) for root in roots):
        return None
    return "refused: symbolic link leading outside the input folders"


def _os_reason(exc: OSError) -> str:
    return exc.strerror or exc.__class__.__name__
