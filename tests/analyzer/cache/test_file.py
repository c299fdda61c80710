"""The file backend: private modes, atomic writes, corrupt entries, TTL cleanup, failures."""

from __future__ import annotations

import logging
import os
import shutil
import stat
import time
from pathlib import Path

import pytest

from analyzer.cache import CacheEntry, CacheLevel, CacheUnavailable, FileBackend, cache_key
from analyzer.cache.atomic import temp_name

KEY = cache_key(CacheLevel.API, "/repos/octo/app/actions/runs", {"page": 1})
OTHER = cache_key(CacheLevel.API, "/repos/octo/app/actions/runs", {"page": 2})
ENTRY = CacheEntry({"workflow_runs": [{"id": 7, "name": "CI"}]}, 1000.0, 'W/"e1"', None)


def mode(path: Path | str) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def test_roundtrip_and_persistence_across_instances(tmp_path: Path) -> None:
    FileBackend(tmp_path / "c").put(KEY, ENTRY, 60)
    assert FileBackend(tmp_path / "c").get(KEY) == ENTRY


def test_directory_and_files_are_private(tmp_path: Path) -> None:
    backend = FileBackend(tmp_path / "a" / "b")
    backend.put(KEY, ENTRY, 60)
    assert mode(tmp_path / "a") == 0o700  # missing parents too, not the umask's mode
    assert mode(tmp_path / "a" / "b") == 0o700
    assert mode(backend.path(KEY)) == 0o600


def test_existing_open_directory_is_made_private(tmp_path: Path) -> None:
    directory = tmp_path / "c"
    directory.mkdir(mode=0o755)
    os.chmod(directory, 0o755)
    FileBackend(directory)
    assert mode(directory) == 0o700


def test_unusable_directory_is_a_clear_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    with pytest.raises(CacheUnavailable, match="cache directory .* is not usable"):
        FileBackend(blocker / "cache")


def test_writes_leave_no_temporary_files(tmp_path: Path) -> None:
    backend = FileBackend(tmp_path / "c")
    for i in range(20):
        backend.put(KEY, CacheEntry(i, 1000.0), 60)
    names = sorted(os.listdir(backend.directory))
    assert names == [f"{KEY}.entry"]
    assert backend.get(KEY) == CacheEntry(19, 1000.0)


def damaged_files(good: bytes) -> dict[str, bytes]:
    header, _, body = good.partition(b"\n")
    return {
        "empty": b"",
        "not json": b"Invalid JSON\n{",
        "no header line": header,
        "truncated value": good[:-3],
        "extra bytes": good + b" ",
        "bad value json": header + b"\n" + b"{" * len(body),
        "header not an object": b"[1,2]\n" + body,
        "wrong version": header.replace(b'"v":1', b'"v":9') + b"\n" + body,
        "stored_at a string": header.replace(b'"stored_at":1000.0', b'"stored_at":"x"')
        + b"\n"
        + body,
        "etag a number": header.replace(b'"etag":"W/\\"e1\\""', b'"etag":5') + b"\n" + body,
        "no size": header.replace(b',"size"', b',"sighs"') + b"\n" + body,
    }


@pytest.mark.parametrize("damage", sorted(damaged_files(b"h\nb")))
def test_damaged_entry_is_a_miss_removed_and_counted(tmp_path: Path, damage: str) -> None:
    backend = FileBackend(tmp_path / "c")
    backend.put(KEY, ENTRY, 60)
    path = Path(backend.path(KEY))
    path.write_bytes(damaged_files(path.read_bytes())[damage])
    assert backend.get(KEY) is None
    assert not path.exists()
    assert backend.counters.snapshot() == {
        "hits": 0,
        "misses": 0,
        "stale": 0,
        "revalidated": 0,
        "evictions": 0,
        "errors": 1,
        "corrupt": 1,
    }
    backend.put(KEY, ENTRY, 60)  # and the key works again
    assert backend.get(KEY) == ENTRY


def test_cleanup_removes_expired_entries_only(tmp_path: Path) -> None:
    backend = FileBackend(tmp_path / "c")
    backend.put(KEY, CacheEntry("old", 100.0), 50)  # kept until 150
    backend.put(OTHER, CacheEntry("new", 140.0), 50)  # kept until 190
    assert backend.cleanup(now=150.0) == 0
    assert backend.cleanup(now=151.0) == 1
    assert backend.get(KEY) is None
    assert backend.get(OTHER) == CacheEntry("new", 140.0)
    assert backend.counters.snapshot()["evictions"] == 1


def test_cleanup_removes_corrupt_files_and_orphaned_temps(tmp_path: Path) -> None:
    backend = FileBackend(tmp_path / "c")
    backend.put(KEY, ENTRY, 60)
    Path(backend.path(OTHER)).write_bytes(b"garbage")
    orphan = Path(temp_name(backend.path(OTHER)))
    orphan.write_bytes(b"half a wri")
    os.utime(orphan, (time.time() - 7200, time.time() - 7200))
    young = Path(temp_name(backend.path(OTHER)))
    young.write_bytes(b"being writ")  # a writer may still be busy with it
    assert backend.cleanup(now=0.0) == 0
    assert sorted(os.listdir(backend.directory)) == sorted(
        [f"{KEY}.entry", young.name, ".cleanup.lock"]
    )
    assert backend.counters.snapshot()["corrupt"] == 1


def test_lock_file_is_private(tmp_path: Path) -> None:
    backend = FileBackend(tmp_path / "c")
    backend.cleanup(now=0.0)
    assert mode(backend.directory / ".cleanup.lock") == 0o600


def test_clear_and_delete(tmp_path: Path) -> None:
    backend = FileBackend(tmp_path / "c")
    backend.put(KEY, ENTRY, 60)
    backend.put(OTHER, ENTRY, 60)
    backend.delete(KEY)
    backend.delete(KEY)
    assert backend.get(KEY) is None
    backend.clear()
    assert backend.get(OTHER) is None
    assert backend.counters.snapshot()["errors"] == 0


def test_removed_directory_is_made_again_private(tmp_path: Path) -> None:
    backend = FileBackend(tmp_path / "c")
    shutil.rmtree(backend.directory)  # someone removed the cache directory under us
    backend.put(KEY, ENTRY, 60)
    assert backend.get(KEY) == ENTRY
    shutil.rmtree(backend.directory)
    assert backend.cleanup(now=0.0) == 0
    assert mode(backend.directory) == 0o700  # not the umask's mode, as filelock would make it
    assert backend.counters.snapshot()["errors"] == 0


def test_write_failure_is_counted_not_raised(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    backend = FileBackend(tmp_path / "c")
    blocker = Path(backend.path(KEY))
    blocker.mkdir()  # a non-empty directory where the entry should go: the rename fails
    (blocker / "x").write_text("x")
    with caplog.at_level(logging.WARNING, logger="analyzer.cache"):
        backend.put(KEY, ENTRY, 60)
        backend.put(KEY, ENTRY, 60)
    assert backend.counters.snapshot()["errors"] == 2
    assert caplog.text.count("treated as a miss") == 1  # warned once, not per request
    assert sorted(os.listdir(backend.directory)) == [blocker.name]  # no temp file left


def test_read_failure_is_counted_not_raised(tmp_path: Path) -> None:
    backend = FileBackend(tmp_path / "c")
    os.mkdir(backend.path(KEY))  # a directory where the entry should be: EISDIR on read
    assert backend.get(KEY) is None
    assert backend.counters.snapshot()["errors"] == 1


def test_unserialisable_value_is_the_callers_error(tmp_path: Path) -> None:
    backend = FileBackend(tmp_path / "c")
    with pytest.raises(TypeError, match="JSON-serialisable"):
        backend.put(KEY, CacheEntry(object(), 1.0), 60)
    assert os.listdir(backend.directory) == []
