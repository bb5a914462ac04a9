"""flows.dataset.state: the incremental plan knows each file by the doc_id ingest will give it
(one rule, flows.read.ingest.doc_id_of), whatever the file, and each path by the document it
held: one path, one document, once the file has settled."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from flows.dataset.state import fingerprint, next_state, plan_run, settled
from flows.read.discover import discover
from flows.read.ingest import ingest_entry
from tests.fixtures_files import CASES, Case, bytes_writer, write_case

# Files with no bytes to hash take their path's hash: an empty file of any kind among them
# (two empty .docx files are two documents, not one document and its duplicate).
EMPTY_CASES = [
    Case("other/empty.docx", bytes_writer(b""), "unsupported", "unsupported", "unsupported"),
    Case("other/empty-too.docx", bytes_writer(b""), "unsupported", "unsupported", "unsupported"),
]


@pytest.mark.parametrize("case", [pytest.param(c, id=c.name) for c in [*CASES, *EMPTY_CASES]])
def test_the_plan_and_ingest_give_the_same_doc_id(tmp_path, case):
    (entry,) = discover([write_case(tmp_path, case)])
    assert fingerprint(entry, {}).doc_id == ingest_entry(entry).doc_id


def test_empty_files_are_told_apart_by_their_path(tmp_path):
    paths = [write_case(tmp_path, case) for case in EMPTY_CASES]
    ids = {ingest_entry(entry).doc_id for entry in discover(paths)}
    assert len(ids) == 2


def test_a_known_file_is_not_read_again(tmp_path):
    path = write_case(tmp_path, CASES[0])
    (entry,) = discover([path])
    seen = fingerprint(entry, {})
    cache = {str(path.absolute()): {"sha256": "f" * 64, "size": seen.size,
                                    "mtime_ns": seen.mtime_ns}}
    assert fingerprint(entry, cache).doc_id == "f" * 16


# A path's previous and current bytes → what the plan does with the document it held.
# files: name → bytes now (None: absent); before: name → bytes at the previous run.
# Expected: the previous documents dropped (`replaced`), kept while a path is still written
# (`waiting`), and the paths left for a later run.
PATH_CASES = [
    pytest.param({"a.txt": b"v2"}, {"a.txt": b"v1"}, 0, {"v1"}, set(), [],
                 id="new-bytes-at-a-path-replace-its-document"),
    pytest.param({"a.txt": b"v1"}, {"a.txt": b"v1"}, 0, set(), set(), [],
                 id="unchanged-replaces-nothing"),
    pytest.param({"a.txt": b"v2", "b.txt": b"v1"}, {"a.txt": b"v1"}, 0, set(), set(), [],
                 id="renamed-and-its-name-reused-keeps-both"),
    pytest.param({"a.txt": b"v2", "copy.txt": b"v1"}, {"a.txt": b"v1", "copy.txt": b"v1"}, 0,
                 set(), set(), [], id="a-copy-still-holds-the-old-bytes"),
    pytest.param({"a.txt": b"v2"}, {"a.txt": b""}, 0, {"empty a.txt"}, set(), [],
                 id="an-empty-file-filled"),
    pytest.param({"a.txt": b"v2"}, {"a.txt": b"v1"}, 3600, set(), {"v1"}, ["a.txt"],
                 id="still-being-written-waits-and-keeps-the-old-version"),
    pytest.param({"b.txt": b"v2"}, {"a.txt": b"v1"}, 3600, set(), set(), ["b.txt"],
                 id="a-new-file-being-written-waits"),
]


def _doc_id(path: Path, data: bytes) -> str:
    from flows.read.ingest import doc_id_of

    return doc_id_of(hashlib.sha256(data).hexdigest() if data else None, path)


@pytest.mark.parametrize(("now", "before", "settle", "replaced", "waiting", "unsettled"),
                         PATH_CASES)
def test_a_path_holds_one_document(tmp_path, now, before, settle, replaced, waiting,
                                   unsettled):
    names = {data.decode() or f"empty {name}": _doc_id(tmp_path / name, data)
             for name, data in before.items()}
    state = {"documents": {}, "files": {
        str((tmp_path / name).absolute()): {"sha256": None, "size": None, "mtime_ns": None,
                                            "doc_id": _doc_id(tmp_path / name, data)}
        for name, data in before.items()}}
    for name, data in now.items():
        (tmp_path / name).write_bytes(data)
    plan = plan_run(discover([tmp_path]), state, "1", incremental=True, settle_seconds=settle)
    assert plan.replaced == {names[n] for n in replaced}
    assert plan.waiting == {names[n] for n in waiting}
    assert [e.source for e in plan.unsettled] == unsettled
    later = next_state(state, plan, {}, set(), "1")["files"]
    # A path still being written keeps the record it had (its next version replaces that).
    assert {Path(k).name for k in later} == set(now) - (set(unsettled) - set(before))


def test_a_file_settles_once_unchanged_for_the_settle_time(tmp_path):
    path = tmp_path / "cp.txt"
    path.write_bytes(b"le communique")
    (entry,) = discover([tmp_path])
    changed = max(path.stat().st_mtime, path.stat().st_ctime)
    assert not settled(entry, 5.0, now=changed + 4.9)
    assert settled(entry, 5.0, now=changed + 5.0)
    assert settled(entry, 0.0, now=changed)


def test_a_state_without_doc_ids_still_knows_its_paths(tmp_path):
    # state.json written before files recorded their doc_id: the hash gives it.
    (tmp_path / "a.txt").write_bytes(b"v2")
    sha = hashlib.sha256(b"v1").hexdigest()
    state = {"documents": {}, "files": {str((tmp_path / "a.txt").absolute()): {
        "sha256": sha, "size": 2, "mtime_ns": 1}}}
    assert plan_run(discover([tmp_path]), state, "1", incremental=True).replaced == {sha[:16]}
