"""The versioned result file: migration of older versions, validation, atomic saving, loading.

Format history (bump FORMAT_VERSION and add a step to MIGRATIONS on every change):
  1 — first version: run metadata, benchmarks with metrics, samples and summaries.
  2 — benchmarks gain ``memory_timeline`` (memory-profiler's RSS timeline of peakmem cases).
  3 — metrics gain ``processes``: how many of the samples each worker process took, in order.
  4 — a metric holds ``runs``, one record per worker process (samples, round, side, timing);
      its ``summary`` is derived on writing and never read back; benchmarks gain ``version``.

Every file read goes through :func:`load`: size-bounded, regular files only, migrated, checked
against the JSON Schema of the current version, then decoded field by field. Whatever is wrong
with a file is an ``InputError`` naming the file and the field.
"""

from __future__ import annotations

import json
import os
import stat
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

from harness import codec
from harness.atomic import write_atomic
from harness.errors import InputError
from harness.records import RunResult

FORMAT_VERSION = 4
FORMAT_NAME = "bench-result"
SCHEMA_PATH = Path(__file__).parent / "schema" / f"result-v{FORMAT_VERSION}.schema.json"
# The largest result file read: a full run of every suite is about 2 MB; a file past this is
# not one bench wrote (or a device such as /dev/zero behind a symlink).
MAX_FILE_BYTES = 256 * 2**20


def _v1_to_v2(data: dict[str, Any]) -> dict[str, Any]:
    """Version 1 recorded no memory timelines: every benchmark gets an empty one."""
    benchmarks = [{**b, "memory_timeline": []} for b in data["benchmarks"]]
    return {**data, "format_version": 2, "benchmarks": benchmarks}


def _v2_to_v3(data: dict[str, Any]) -> dict[str, Any]:
    """Version 2 measured every benchmark in one worker process: one group of samples."""
    benchmarks = [
        {**b, "metrics": [{**m, "processes": [len(m["samples"])]} for m in b["metrics"]]}
        for b in data["benchmarks"]
    ]
    return {**data, "format_version": 3, "benchmarks": benchmarks}


def _v3_to_v4(data: dict[str, Any]) -> dict[str, Any]:
    """Version 3 kept a flat sample list and the count per process: cut it into runs. Process k
    was round k; the side is the file's role; the processes were not timed."""
    side = "base" if data["meta"].get("role") == "base" else "current"

    def runs(metric: dict[str, Any]) -> list[dict[str, Any]]:
        samples, counts = metric["samples"], metric["processes"] or [len(metric["samples"])]
        cut, start = [], 0
        for k, count in enumerate(counts):
            cut.append({"samples": samples[start : start + count], "round": k, "side": side})
            start += count
        return [run for run in cut if run["samples"]]

    def metric_v4(metric: dict[str, Any]) -> dict[str, Any]:
        kept = {k: v for k, v in metric.items() if k not in ("samples", "processes", "summary")}
        return {**kept, "runs": runs(metric)}

    benchmarks = [
        {**b, "metrics": [metric_v4(m) for m in b["metrics"]]} for b in data["benchmarks"]
    ]
    return {**data, "format_version": 4, "benchmarks": benchmarks}


# Steps from version N to N+1, applied in order to older files.
MIGRATIONS: dict[int, Callable[[dict[str, Any]], dict[str, Any]]] = {
    1: _v1_to_v2,
    2: _v2_to_v3,
    3: _v3_to_v4,
}


def to_dict(run: RunResult) -> dict[str, Any]:
    return {"format": FORMAT_NAME, "format_version": FORMAT_VERSION, **codec.encode_run(run)}


def from_dict(data: Any, source: str = "<memory>") -> RunResult:
    """A result from parsed JSON of any supported version; bad data is an ``InputError``."""
    migrated = _migrate(data, source)
    problem = _schema_problem(migrated)
    if problem:
        raise InputError(f"{source}: not a valid bench result: {problem}")
    try:
        return codec.decode_run(migrated)
    except codec.DecodeError as exc:
        raise InputError(f"{source}: not a valid bench result: {exc}") from None


def _migrate(data: Any, source: str) -> dict[str, Any]:
    if not isinstance(data, dict) or data.get("format") != FORMAT_NAME:
        raise InputError(f"{source}: not a bench result file")
    version = data.get("format_version")
    if isinstance(version, bool) or not isinstance(version, int):
        raise InputError(f"{source}: format_version must be an integer, not {version!r}")
    if version > FORMAT_VERSION or version < 1:
        raise InputError(
            f"{source}: result format version {version!r} is not supported by this bench "
            f"(it reads versions 1 to {FORMAT_VERSION}); upgrade bench to read it"
        )
    migrated: dict[str, Any] = data
    try:
        while version < FORMAT_VERSION:
            migrated = MIGRATIONS[version](migrated)
            version += 1
    except (KeyError, TypeError, AttributeError) as exc:
        raise InputError(
            f"{source}: not a valid bench result of format version {data['format_version']} "
            f"(cannot migrate it: {type(exc).__name__} {exc})"
        ) from None
    return migrated


@cache
def _validator() -> Any:
    import jsonschema  # ~60 ms to import: only commands that read result files pay for it

    schema = json.loads(SCHEMA_PATH.read_text())
    return jsonschema.Draft202012Validator(schema)


def _schema_problem(data: dict[str, Any]) -> str | None:
    """The first place where ``data`` breaks the schema, as ``path: message``, or None."""
    error = next(iter(_validator().iter_errors(data)), None)
    if error is None:
        return None
    where = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in error.absolute_path)
    return f"{where.lstrip('.') or 'top level'}: {error.message[:200]}"


def dumps(run: RunResult) -> str:
    return json.dumps(to_dict(run), indent=1, allow_nan=False) + "\n"


def save(run: RunResult, path: Path) -> Path:
    """Write ``run`` to ``path`` atomically: readers never see a partial file."""
    write_atomic(path, dumps(run))
    return path


def read_bounded(path: Path, what: str, limit: int = MAX_FILE_BYTES) -> str:
    """The text of a regular file of at most ``limit`` bytes; anything else is an InputError."""
    try:
        with path.open("rb") as handle:
            info = os.fstat(handle.fileno())
            if not stat.S_ISREG(info.st_mode):
                raise InputError(f"{path}: not a regular file, cannot be a {what}")
            data = handle.read(limit + 1)
    except FileNotFoundError:
        raise InputError(f"{path}: no such {what}") from None
    except IsADirectoryError:
        raise InputError(f"{path}: is a directory, not a {what}") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot read {what} ({exc.strerror or exc})") from None
    if len(data) > limit:
        raise InputError(f"{path}: larger than {limit // 2**20} MiB, not a {what}")
    try:
        return data.decode()
    except UnicodeDecodeError:
        raise InputError(f"{path}: not UTF-8 text, not a {what}") from None


def parse_json(text: str, source: str) -> Any:
    try:
        return json.loads(text)
    except ValueError as exc:  # JSONDecodeError, or an integer of too many digits
        raise InputError(f"{source}: not valid JSON ({exc})") from None
    except RecursionError:
        raise InputError(f"{source}: JSON nested too deeply") from None


def load(path: Path) -> RunResult:
    """Read a result file; a missing, corrupt, wrong-shaped or unknown-version file raises
    ``InputError`` with the file's name and what is wrong."""
    text = read_bounded(path, "result file")
    return from_dict(parse_json(text, str(path)), str(path))
