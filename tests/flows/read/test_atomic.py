"""flows.read.atomic.atomic_write: the old file or the new one, never half of one."""

from __future__ import annotations

import os
import stat

import pytest

from flows.read.atomic import PARTIAL_SUFFIX, atomic_write

CASES = [
    pytest.param(b"\x00bytes\r\n", b"\x00bytes\r\n", id="bytes"),
    pytest.param("Drôme\r\n", "Drôme\r\n".encode(), id="text-as-utf-8-newlines-kept"),
    pytest.param(lambda tmp: tmp.write_bytes(b"by a writer"), b"by a writer", id="a-writer"),
]


@pytest.mark.parametrize(("data", "expected"), CASES)
def test_the_target_holds_the_new_bytes_readable_by_all(tmp_path, data, expected):
    target = tmp_path / "file.csv"
    target.write_bytes(b"old")
    assert atomic_write(target, data) == target
    assert target.read_bytes() == expected
    assert stat.S_IMODE(target.stat().st_mode) == 0o644
    assert [p.name for p in tmp_path.iterdir()] == ["file.csv"]


# (umask, mode of every new file): the same as a file any other writer of the run opens.
UMASK_CASES = [
    pytest.param(0o022, 0o644, id="usual-022"),
    pytest.param(0o077, 0o600, id="private-077"),
    pytest.param(0o002, 0o664, id="group-writable-002"),
]


@pytest.mark.parametrize(("umask", "mode"), UMASK_CASES)
@pytest.mark.parametrize(("data", "expected"), CASES)
def test_the_mode_is_the_umasks_as_for_any_other_file(tmp_path, umask, mode, data, expected):
    before = os.umask(umask)
    try:
        atomic_write(tmp_path / "atomic.csv", data)
        (tmp_path / "plain.csv").write_bytes(b"opened by anyone else")
    finally:
        os.umask(before)
    modes = {stat.S_IMODE((tmp_path / name).stat().st_mode) for name in ("atomic.csv",
                                                                         "plain.csv")}
    assert modes == {mode}


def test_a_failed_write_leaves_the_old_file_and_no_partial_one(tmp_path):
    target = tmp_path / "file.csv"
    target.write_bytes(b"old")

    def half(tmp):
        tmp.write_bytes(b"half")
        raise OSError("disk full")

    with pytest.raises(OSError, match="disk full"):
        atomic_write(target, half)
    assert target.read_bytes() == b"old"
    assert not list(tmp_path.glob(f".*{PARTIAL_SUFFIX}"))
