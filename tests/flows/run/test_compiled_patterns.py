"""Compiled patterns kept on disk: what comes back from the cache is the pattern `re` builds."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from flows.run import compiled_patterns

ROOT = Path(__file__).resolve().parents[3]
WORDS = "|".join(f"mot{i}[éèêe]s?" for i in range(60))

# (pattern, flags, a text it must read as a fresh compile does)
CASES = [
    (rf"(?<![\w'’-])(?P<mot>{WORDS})(?![\w-])", re.IGNORECASE, "Les MOT12ÉS et le mot7e."),
    (rf"^(?:{WORDS})\s+(?P<n>\d+)\s+(?P<unite>habitants?|communes?)$", re.M,
     "mot3e 49 communes\nmot40ê 90000 habitants"),
    (rf"(?:{WORDS})(?:\s+(?:de|du|des)\s+(\w+))?", 0, "mot1e de Vienne, mot59és du Nord"),
    (rf"(?x) (?P<a>{WORDS}) \s* (?(a) , | ;)", 0, "mot2e, mot5è;"),
    (rf"[^\W\d_]+(?:{WORDS})", re.ASCII, "abcmot9e xyzmot10es"),
]
SHORT = r"(?P<x>\d+)\s*€"


def _hits(pattern: re.Pattern, text: str) -> list:
    return [(m.span(), m.groups(), m.groupdict()) for m in pattern.finditer(text)]


@pytest.fixture
def cache(tmp_path, monkeypatch):
    """The cache installed in this process, in a folder of its own; re's own memo emptied."""
    monkeypatch.setenv(compiled_patterns.ENV, str(tmp_path / "patterns"))
    compiled_patterns.uninstall()
    assert compiled_patterns.install()
    re.purge()
    yield compiled_patterns.folder()
    compiled_patterns.uninstall()
    re.purge()


def _fresh(pattern: str, flags: int) -> re.Pattern:
    """What `re` compiles without the cache."""
    compiled_patterns.uninstall()
    re.purge()
    try:
        return re.compile(pattern, flags)
    finally:
        compiled_patterns.install()
        re.purge()


@pytest.mark.parametrize(("pattern", "flags", "text"), CASES)
def test_a_stored_pattern_is_the_pattern_re_compiles(cache, pattern, flags, text):
    written = re.compile(pattern, flags)  # a miss: compiled, then stored
    assert len(list(cache.glob("*.sre"))) == 1
    re.purge()
    read = re.compile(pattern, flags)  # a hit
    fresh = _fresh(pattern, flags)
    assert read == fresh == written  # same pattern, flags and program
    assert read.groupindex == fresh.groupindex and read.groups == fresh.groups
    assert _hits(read, text) == _hits(fresh, text) and _hits(fresh, text)


def test_a_hit_neither_parses_nor_generates_code(cache, monkeypatch):
    pattern, flags, _text = CASES[0]
    re.compile(pattern, flags)
    re.purge()

    def never(*_args, **_kwargs):
        raise AssertionError("compiled again")

    monkeypatch.setattr(re._parser, "parse", never)
    assert re.compile(pattern, flags).pattern == pattern


@pytest.mark.parametrize("damage", [
    lambda b: b[: len(b) // 2],  # truncated
    lambda b: b"{not json\n" + b,
    lambda b: b.replace(b'"groups"', b'"groupz"'),
    lambda b: b[:-8] + b"\xff\xff\xff\xff\xff\xff\xff\xff",  # a program the checksum refuses
    lambda b: b"",
])
def test_a_damaged_file_is_a_miss_and_is_written_again(cache, damage):
    pattern, flags, _text = CASES[1]
    re.compile(pattern, flags)
    (stored,) = cache.glob("*.sre")
    good = stored.read_bytes()
    stored.write_bytes(damage(good))
    re.purge()
    again = re.compile(pattern, flags)
    assert again == _fresh(pattern, flags)
    assert stored.read_bytes() == good


def test_a_program_the_engine_refuses_is_compiled_anew(cache):
    pattern, flags, _text = CASES[0]
    re.compile(pattern, flags)
    (stored,) = cache.glob("*.sre")
    head, _, body = stored.read_bytes().partition(b"\n")
    import hashlib
    import json

    bad = b"\x00" * len(body)  # a checksum that matches a program _sre rejects
    meta = json.loads(head)
    meta["sha256"] = hashlib.sha256(bad).hexdigest()
    stored.write_bytes(json.dumps(meta).encode() + b"\n" + bad)
    re.purge()
    assert re.compile(pattern, flags) == _fresh(pattern, flags)


def test_errors_in_a_pattern_surface_as_re_error(cache):
    with pytest.raises(re.error):
        re.compile(f"(?P<a>{WORDS}", 0)
    assert not list(cache.glob("*.sre"))


def test_short_patterns_and_parsed_ones_are_not_stored(cache):
    re.compile(SHORT)
    assert not list(cache.glob("*.sre"))


def test_another_python_build_has_its_own_folder(monkeypatch, tmp_path):
    monkeypatch.setenv(compiled_patterns.ENV, str(tmp_path))
    mine = compiled_patterns.folder()
    monkeypatch.setattr(sys, "version", sys.version + " (another build)")
    assert compiled_patterns.folder() != mine
    assert compiled_patterns.folder().parent == mine.parent == tmp_path


@pytest.mark.parametrize("value", ["off", "0", "false", "no", "OFF"])
def test_the_setting_turns_it_off(monkeypatch, value):
    monkeypatch.setenv(compiled_patterns.ENV, value)
    compiled_patterns.uninstall()
    assert compiled_patterns.folder() is None
    assert not compiled_patterns.install()
    assert re._compiler.compile is not compiled_patterns._compile


def test_no_home_directory_means_no_cache(monkeypatch):
    def nowhere():
        raise RuntimeError("Could not determine home directory.")

    monkeypatch.delenv(compiled_patterns.ENV, raising=False)
    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    monkeypatch.setattr(Path, "home", nowhere)
    compiled_patterns.uninstall()
    assert compiled_patterns.folder() is None and not compiled_patterns.install()


def test_a_folder_that_cannot_be_written_only_means_no_cache(monkeypatch, tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    monkeypatch.setenv(compiled_patterns.ENV, str(blocker / "patterns"))
    compiled_patterns.uninstall()
    try:
        assert compiled_patterns.install()
        re.purge()
        pattern, flags, text = CASES[0]
        assert _hits(re.compile(pattern, flags), text) == _hits(_fresh(pattern, flags), text)
    finally:
        compiled_patterns.uninstall()
        re.purge()


def test_past_the_limit_the_oldest_half_goes(monkeypatch, tmp_path):
    monkeypatch.setattr(compiled_patterns, "MAX_FILES", 10)
    monkeypatch.setenv(compiled_patterns.ENV, str(tmp_path))
    where = compiled_patterns.folder()
    where.mkdir(parents=True)
    for i in range(11):
        (where / f"{i:02}.sre").write_bytes(b"")
        os.utime(where / f"{i:02}.sre", (1_000_000 + i, 1_000_000 + i))
    compiled_patterns.uninstall()
    try:
        compiled_patterns.install()
    finally:
        compiled_patterns.uninstall()
    assert sorted(p.name for p in where.glob("*.sre")) == [f"{i:02}.sre" for i in range(6, 11)]


def _stored_by(seed: str, folder: Path) -> set[str]:
    """The files a process with this hash seed stores when it imports every extractor."""
    code = ("from flows.run import compiled_patterns; compiled_patterns.install()\n"
            "import extractors; extractors.EXTRACTORS\n")
    env = {**os.environ, "PYTHONHASHSEED": seed, compiled_patterns.ENV: str(folder),
           "PYTHONPATH": str(ROOT)}
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, check=True, timeout=300)
    return {p.name for p in folder.rglob("*.sre")}


def test_the_extractors_build_the_same_patterns_in_every_process(tmp_path):
    """A pattern built from a set in hash order would miss in every new process (and add a
    file each time): event_clauses sorted its words by length only, once."""
    first = _stored_by("1", tmp_path / "a")
    assert len(first) > 30
    assert _stored_by("2", tmp_path / "b") == first
