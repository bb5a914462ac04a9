"""Discovery over real folders: order, sources, hidden files, links and unlistable folders."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from flows.errors import CptsFactsError
from flows.read.discover import Entry, discover
from flows.read.ingest import ingest_entry
from tests.fixtures_files import write_torture_files


def _tree(root: Path, names: list[str]) -> Path:
    for name in names:
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(name)
    return root


def _sources(entries: list[Entry]) -> list[str]:
    return [e.source for e in entries]


@pytest.mark.parametrize(
    ("names", "expected"),
    [
        pytest.param(["b.txt", "a.pdf", "c/z.html", "c/a.txt"], ["a.pdf", "b.txt", "c/a.txt",
                     "c/z.html"], id="sorted-recursive-relative"),
        pytest.param(["a.txt", ".hidden.txt", ".git/x.txt", "d/.DS_Store"], ["a.txt"],
                     id="hidden-files-and-folders-skipped"),
        pytest.param(["cp.pdf", "cp2.pdf.part", "cp3.html.crdownload", "cp4.txt.tmp",
                      "~$cp5.docx", "CP6.PDF.PART", "d/cp7.pdf.partial", "cp8.pdf.download",
                      "part.txt", "tmp/a.txt"], ["cp.pdf", "part.txt", "tmp/a.txt"],
                     id="downloads-in-progress-skipped-until-renamed"),
        pytest.param(["a10.txt", "a2.txt", "a/b.txt", "a-b.txt"], ["a/b.txt", "a-b.txt",
                     "a10.txt", "a2.txt"], id="folder-parts-sort-before-siblings"),
        pytest.param([], [], id="empty-folder"),
    ],
)
def test_folder_listing(tmp_path, names, expected):
    root = _tree(tmp_path / "in", names)
    root.mkdir(exist_ok=True)
    entries = discover([root])
    assert _sources(entries) == expected
    assert all(e.error is None for e in entries)


def test_file_argument_keeps_its_name_and_inputs_keep_their_order(tmp_path):
    _tree(tmp_path, ["z.txt", "in/b.txt", "in/a.txt"])
    entries = discover([tmp_path / "z.txt", tmp_path / "in"])
    assert _sources(entries) == ["z.txt", "a.txt", "b.txt"]


def test_a_file_reached_twice_is_listed_once(tmp_path):
    _tree(tmp_path, ["in/a.txt"])
    assert _sources(discover([tmp_path / "in", tmp_path / "in" / "a.txt"])) == ["a.txt"]


def test_missing_input_is_a_one_line_project_error(tmp_path):
    with pytest.raises(CptsFactsError, match=r"^input not found: .*nope$"):
        discover([tmp_path / "nope"])


@pytest.mark.parametrize(
    ("make", "source", "error"),
    [
        pytest.param(lambda d: os.symlink("missing.txt", d / "dangling.txt"), "dangling.txt",
                     "broken symbolic link: No such file or directory", id="dangling-link"),
        pytest.param(lambda d: os.symlink("loop.txt", d / "loop.txt"), "loop.txt",
                     "broken symbolic link: Too many levels of symbolic links", id="self-link"),
        pytest.param(lambda d: os.mkfifo(d / "pipe.txt"), "pipe.txt",
                     "not a regular file (pipe, socket or device)", id="named-pipe"),
    ],
)
def test_odd_entries_become_error_entries(tmp_path, make, source, error):
    make(tmp_path)
    [entry] = discover([tmp_path])
    assert (entry.source, entry.error) == (source, error)
    row = ingest_entry(entry)
    assert (row.status, row.message) == ("unreadable", error)


def test_symlink_loop_to_a_parent_terminates(tmp_path):
    _tree(tmp_path, ["a/x.txt"])
    os.symlink("..", tmp_path / "a" / "up")
    os.symlink(tmp_path / "a", tmp_path / "alias")
    assert _sources(discover([tmp_path])) == ["a/x.txt"]


@pytest.mark.skipif(os.geteuid() == 0, reason="root lists a chmod 000 folder anyway")
def test_unlistable_folder_becomes_an_error_entry(tmp_path):
    _tree(tmp_path, ["ok.txt", "locked/secret.txt"])
    (tmp_path / "locked").chmod(0)
    try:
        entries = discover([tmp_path])
    finally:
        (tmp_path / "locked").chmod(0o755)
    assert [(e.source, e.error) for e in entries] == [
        ("locked", "cannot list folder: Permission denied"),
        ("ok.txt", None),
    ]


def test_torture_folder_lists_exactly_the_expected_sources(tmp_path):
    expected = write_torture_files(tmp_path)
    rows = [ingest_entry(e) for e in discover([tmp_path])]
    assert sorted(r.source for r in rows) == sorted(expected)
    originals = [r for r in rows if expected[r.source] != "duplicate"]  # same bytes, same id
    assert len({r.doc_id for r in originals}) == len(originals), "doc_id must stay unique"


def test_ignore_file_keeps_annotations_out_of_the_inputs(tmp_path):
    (tmp_path / "gold").mkdir()
    (tmp_path / "gold" / "a.json").write_text("{}", encoding="utf-8")
    (tmp_path / "notes.md").write_text("x", encoding="utf-8")
    (tmp_path / "cp.txt").write_text("CPTS", encoding="utf-8")
    (tmp_path / ".cpts-facts-ignore").write_text("# not releases\ngold/\n*.md\n", encoding="utf-8")
    assert [e.source for e in discover([tmp_path])] == ["cp.txt"]


OUTSIDE = "refused: symbolic link leading outside the input folders"
SYSTEM = "refused: a system path (/proc, /sys or /dev), not a release"


@pytest.mark.parametrize(
    ("make", "source", "error"),
    [
        pytest.param(lambda d, out: os.symlink("/etc/passwd", d / "passwd.txt"), "passwd.txt",
                     OUTSIDE, id="file-link-to-etc"),
        pytest.param(lambda d, out: os.symlink(out, d / "elsewhere"), "elsewhere", OUTSIDE,
                     id="folder-link-out-of-the-inbox"),
        pytest.param(lambda d, out: os.symlink(out / "secret.txt", d / "s.txt"), "s.txt",
                     OUTSIDE, id="file-link-to-a-sibling-folder"),
        pytest.param(lambda d, out: os.symlink("/proc/self/environ", d / "env.txt"), "env.txt",
                     SYSTEM, id="link-into-proc"),
        pytest.param(lambda d, out: os.symlink("/dev/zero", d / "zero.txt"), "zero.txt",
                     SYSTEM, id="link-to-a-device"),
    ],
)
def test_links_out_of_the_inputs_are_refused_rows(tmp_path, make, source, error):
    inbox, outside = tmp_path / "inbox", tmp_path / "private"
    _tree(tmp_path, ["inbox/ok.txt", "private/secret.txt"])
    make(inbox, outside)
    entries = {e.source: e for e in discover([inbox])}
    assert entries[source].error == error
    assert entries["ok.txt"].error is None
    row = ingest_entry(entries[source])
    assert (row.status, row.message, row.raw_text) == ("unreadable", error, "")


def test_links_that_stay_inside_the_inputs_are_followed(tmp_path):
    _tree(tmp_path, ["inbox/a/x.txt", "other/y.txt"])
    os.symlink("a/x.txt", tmp_path / "inbox" / "link.txt")
    os.symlink(tmp_path / "other" / "y.txt", tmp_path / "inbox" / "y.txt")
    # a second input folder counts as inside: the user named it
    entries = discover([tmp_path / "inbox", tmp_path / "other"])
    assert [(e.source, e.error) for e in entries] == [("a/x.txt", None), ("y.txt", None)]


def test_a_system_path_named_on_the_command_line_is_refused(tmp_path):
    [entry] = discover([Path("/proc/self/environ")])
    assert entry.error == SYSTEM


@pytest.mark.parametrize("raw", [b"\xe9t\xe9.txt", b"caf\xe9/menu.txt", b"\xff\xfe.txt"])
def test_a_name_that_is_not_utf8_is_read_and_shown_escaped(tmp_path, raw):
    path = os.path.join(os.fsencode(tmp_path), raw)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as handle:
        handle.write("La CPTS du Lac réunit 12 communes.".encode())
    [entry] = discover([tmp_path])
    assert entry.source == raw.decode("utf-8", "backslashreplace")
    entry.source.encode("utf-8")  # every writer (Parquet, JSON, terminal) accepts it
    row = ingest_entry(entry)
    assert row.status == "ok" and "12 communes" in row.raw_text
