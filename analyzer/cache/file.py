"""The file backend: one private file per key in a private directory, atomic writes.

Readers take no lock: every write is a temporary file renamed into place, so a reader opens
either the old or the new file. `cleanup` and `clear` take a `filelock` so two processes do
not sweep the same directory at once. A damaged entry (bad JSON, wrong shape, truncated) is a
miss: it is removed and counted as ``corrupt`` and ``errors``.
"""

from __future__ import annotations

import errno
import logging
import os
import time
from pathlib import Path
from typing import Any

from filelock import FileLock

from analyzer.cache import codec
from analyzer.cache.atomic import TEMP_SUFFIX, write_private_atomic
from analyzer.cache.base import CacheEntry
from analyzer.cache.counters import CacheCounters
from analyzer.cache.errors import CacheUnavailable
from analyzer.cache.keys import check_key

log = logging.getLogger(__name__)

ENTRY_SUFFIX = ".entry"
LOCK_NAME = ".cleanup.lock"
# A temporary file older than this belongs to a writer that died; younger ones may be in use.
ORPHAN_TEMP_AGE_S = 3600.0
_HEADER_LIMIT = 64 * 1024


class FileBackend:
    """Entries as files ``<directory>/<key>.entry`` (0600) in a 0700 directory."""

    def __init__(
        self, directory: Path | str, counters: CacheCounters | None = None, fsync: bool = False
    ) -> None:
        self.directory = Path(directory)
        self.counters = counters if counters is not None else CacheCounters()
        self.fsync = fsync
        self._warned = False
        make_private_dir(self.directory)
        self._prefix = os.fspath(self.directory) + os.sep
        self._lock = FileLock(self._prefix + LOCK_NAME, mode=0o600)

    def path(self, key: str) -> str:
        """Where ``key`` is stored."""
        return self._prefix + check_key(key) + ENTRY_SUFFIX

    def get(self, key: str) -> CacheEntry | None:
        path = self.path(key)
        try:
            data = _read(path)
        except FileNotFoundError:
            return None
        except OSError as exc:
            self._failed("read", exc)
            return None
        try:
            return codec.decode_file(data)
        except codec.CorruptEntry as exc:
            self._corrupt(path, exc)
            return None

    def put(self, key: str, entry: CacheEntry, retain_s: float) -> None:
        data = codec.encode_file(entry, entry.stored_at + retain_s)
        path = self.path(key)
        try:
            try:
                write_private_atomic(path, data, self.fsync)
            except FileNotFoundError:
                # The directory was removed under us: make it again (0700) and retry once.
                make_private_dir(self.directory)
                write_private_atomic(path, data, self.fsync)
        except (OSError, CacheUnavailable) as exc:
            self._failed("write", exc)

    def delete(self, key: str) -> None:
        try:
            os.unlink(self.path(key))
        except FileNotFoundError:
            pass
        except OSError as exc:
            self._failed("delete", exc)

    def clear(self) -> None:
        try:
            make_private_dir(self.directory)  # else filelock would make it with the umask's mode
            with self._lock:
                for name in self._entry_names():
                    _unlink_quietly(self._prefix + name)
        except (OSError, CacheUnavailable) as exc:
            self._failed("clear", exc)

    def cleanup(self, now: float) -> int:
        try:
            make_private_dir(self.directory)
            with self._lock:
                removed = sum(self._sweep_one(name, now) for name in self._entry_names())
                self._sweep_orphan_temps()
        except (OSError, CacheUnavailable) as exc:
            self._failed("cleanup", exc)
            return 0
        if removed:
            self.counters.add("evictions", removed)
        return removed

    def close(self) -> None:
        # Nothing is held open between calls; the lock file is only held inside cleanup/clear.
        pass

    def _sweep_one(self, name: str, now: float) -> int:
        path = self._prefix + name
        try:
            header = _read_header(path)
        except FileNotFoundError:
            return 0
        except OSError as exc:
            self._failed("read", exc)
            return 0
        except codec.CorruptEntry as exc:
            self._corrupt(path, exc)
            return 0
        if header["retain_until"] >= now:
            return 0
        # A writer may replace the file between our read and this unlink; then a fresh entry
        # is lost (a later miss), which is harmless: nothing is ever read torn.
        _unlink_quietly(path)
        return 1

    def _sweep_orphan_temps(self) -> None:
        # Temp files are judged by the real clock: they have nothing to do with the cache's.
        limit = time.time() - ORPHAN_TEMP_AGE_S
        with os.scandir(self.directory) as it:
            for item in it:
                if item.name.endswith(TEMP_SUFFIX) and _mtime(item) < limit:
                    _unlink_quietly(item.path)

    def _entry_names(self) -> list[str]:
        with os.scandir(self.directory) as it:
            return [item.name for item in it if item.name.endswith(ENTRY_SUFFIX)]

    def _corrupt(self, path: str, exc: Exception) -> None:
        log.warning("cache entry %s is damaged (%s); removed", os.path.basename(path), exc)
        _unlink_quietly(path)
        self.counters.add("corrupt")
        self.counters.add("errors")

    def _failed(self, what: str, exc: OSError | CacheUnavailable) -> None:
        self.counters.add("errors")
        # Warn once; a directory removed under us would otherwise log every request.
        level = logging.DEBUG if self._warned else logging.WARNING
        self._warned = True
        reason = (exc.strerror if isinstance(exc, OSError) else None) or type(exc).__name__
        log.log(
            level,
            "file cache %s failed in %s (%s); treated as a miss",
            what,
            self.directory,
            reason,
        )


def make_private_dir(directory: Path) -> None:
    """Create ``directory`` and its missing parents as 0700; make ``directory`` 0700 if not."""
    try:
        missing = [p for p in (directory, *directory.parents) if not p.exists()]
        for parent in reversed(missing):
            # mkdir(parents=True) would give the parents the umask's mode, not ours.
            parent.mkdir(mode=0o700, exist_ok=True)
        if directory.stat().st_mode & 0o777 != 0o700:
            os.chmod(directory, 0o700)
    except OSError as exc:
        raise CacheUnavailable(
            f"cache directory {directory} is not usable: {exc.strerror or exc}"
        ) from None


def _read(path: str) -> bytes:
    # os-level calls: no buffered file object, well under half the time of open().read().
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_CLOEXEC", 0))
    try:
        # Files are replaced, never rewritten in place, so the size of the open file is final.
        size = os.fstat(fd).st_size
        data = os.read(fd, size)
        while len(data) < size:
            chunk = os.read(fd, size - len(data))
            if not chunk:
                break
            data += chunk
        return data
    finally:
        os.close(fd)


def _read_header(path: str) -> dict[str, Any]:
    with open(path, "rb") as handle:
        line = handle.readline(_HEADER_LIMIT)
    if not line.endswith(b"\n"):
        raise codec.CorruptEntry("no complete header line")
    return codec.decode_header(line[:-1])


def _mtime(item: os.DirEntry[str]) -> float:
    try:
        return item.stat(follow_symlinks=False).st_mtime
    except OSError:
        return float("inf")


def _unlink_quietly(path: str) -> None:
    try:
        os.unlink(path)
    except OSError as exc:
        if exc.errno != errno.ENOENT:
            log.debug("could not remove %s: %s", path, exc)
