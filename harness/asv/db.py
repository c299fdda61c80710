"""bench's history in asv's own results database, and asv's HTML site made from it.

Owns the asv directory (``.asv``, where ``asv.conf.json`` points), written through asv's API:

  results/<machine>/machine.json           the machine (``asv.machine.Machine``)
  results/<machine>/<commit8>-bench.json   one ``asv.results.Results`` per commit and machine,
                                           environment ``bench``; a later run of the same
                                           commit replaces the values it measured again
  results/benchmarks.json                  asv's benchmark list, generated from the registry
                                           (asv writes it by discovery; bench by recording)
  bench-series.json                        bench's registry: every series ever recorded (so
                                           ``asv run`` rewriting benchmarks.json loses none)
                                           and the run ids already recorded
  html/                                    ``asv publish``'s site (``harness.asv.publish``)

Series names, types and units: ``harness.asv.series``.
"""

from __future__ import annotations

import itertools
import json
import os
import re
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from harness.asv.series import Point, Series, merge_entries, series_of
from harness.atomic import write_atomic
from harness.errors import BenchError, HarnessFailure, InputError
from harness.git import try_git
from harness.meta import MachineInfo
from harness.records import RunResult
from harness.results import load

DEFAULT_ASV_DIR = Path(".asv")
ENV_NAME = "bench"
MACHINE_ENV = "BENCH_ASV_MACHINE"  # one machine name for hosts that change (CI runners)
REGISTRY = "bench-series.json"
REGISTRY_FORMAT = "bench-asv-series"
REGISTRY_VERSION = 1
COMMIT = re.compile(r"[0-9a-f]{7,64}")  # SHA-1 or SHA-256, abbreviated or not


class NotRecordable(InputError):
    """A run that cannot stand for a commit in the history (no commit, or a dirty tree)."""


class HistoryError(HarnessFailure):
    """asv's database or ``asv publish`` failed."""


def record(
    run: RunResult,
    asv_dir: Path = DEFAULT_ASV_DIR,
    *,
    machine: str | None = None,
    repo: Path | None = None,
    allow_dirty: bool = False,
) -> Path:
    """Write ``run`` into asv's results database; returns the asv results file.

    The commit is ``meta.git.commit``; the machine is ``machine``, else $BENCH_ASV_MACHINE,
    else the run's hostname. ``repo`` (default: the current directory) dates the commit.
    """
    from asv.results import Results, get_filename

    commit = _commit_of(run, allow_dirty)
    results_dir = asv_dir / "results"
    params = _save_machine(results_dir, run.meta.machine, machine)
    python = _python_of(run)
    date = _commit_date(repo or Path.cwd(), commit) or _js_time(run.meta.start_time)
    results = Results({**params, "python": python}, {}, commit, date, python, ENV_NAME, {})
    results.load_data(str(results_dir))
    series = series_of(run)
    started = _parse_time(run.meta.start_time)
    for one in series:
        one = _with_earlier(results, one)
        results.add_result(
            _asv_benchmark(one), _asv_result(one), started_at=started, record_samples=True
        )
    results.save(str(results_dir))
    path: Path = results_dir / get_filename(params["machine"], commit, ENV_NAME)
    _update_registry(asv_dir, series, run.run_id, path)
    write_benchmarks_json(asv_dir)
    return path


def try_record(run: RunResult, asv_dir: Path = DEFAULT_ASV_DIR) -> str | None:
    """:func:`record` for the end of ``bench run``: never raises; returns a warning or None."""
    try:
        record(run, asv_dir)
    except BenchError as exc:
        return f"asv history: {exc}"
    except Exception as exc:  # the history must never fail a run that measured fine
        return f"asv history: not recorded ({type(exc).__name__}: {exc})"
    return None


def machine_name(meta_machine: MachineInfo, override: str | None = None) -> str:
    """The history's name for a machine: ``override``, else $BENCH_ASV_MACHINE, else its host."""
    return _machine_name(meta_machine, override)


def recorded_commits(asv_dir: Path, machine: str) -> set[str]:
    """Commits that bench recorded for ``machine`` in ``asv_dir`` (full hashes)."""
    found = set()
    for path in (asv_dir / "results" / machine).glob(f"*-{ENV_NAME}.json"):
        try:
            data = json.loads(path.read_text())
        except (OSError, ValueError) as exc:
            raise HistoryError(f"{path}: cannot read asv's results file ({exc})") from None
        if isinstance(data, dict) and isinstance(data.get("commit_hash"), str):
            found.add(data["commit_hash"])
    return found


def recorded_runs(asv_dir: Path = DEFAULT_ASV_DIR) -> set[str]:
    """Run ids already recorded into ``asv_dir``."""
    return set(_load_registry(asv_dir)["recorded"])


def write_benchmarks_json(asv_dir: Path) -> Path:
    """asv's ``benchmarks.json``: its own discovered entries, plus every bench series.

    An entry asv discovered (it has a code version) wins over bench's of the same name: bench's
    values carry no version, so asv shows them on its own benchmark either way.
    """
    from asv import util

    path = asv_dir / "results" / "benchmarks.json"
    current: dict[str, Any] = {}
    if path.is_file():
        try:
            current = util.load_json(str(path), api_version=2)
        except util.UserError:
            current = {}  # an unreadable or old list is regenerated from the registry
    for name, entry in _load_registry(asv_dir)["series"].items():
        if current.get(name, {}).get("version") is None:
            current[name] = entry
    util.write_json(str(path), current, api_version=2)
    return path


# -- recording ---------------------------------------------------------------------------------


def _commit_of(run: RunResult, allow_dirty: bool) -> str:
    git = run.meta.git
    commit = git.commit
    if not commit:
        raise NotRecordable(f"run {run.run_id} has no git commit: not recorded")
    if not COMMIT.fullmatch(commit):  # asv names its results file after it
        raise NotRecordable(f"run {run.run_id}: git commit {commit!r} is not a hash: not recorded")
    if git.dirty and not allow_dirty:
        raise NotRecordable(
            f"run {run.run_id} ran on a working tree with uncommitted changes: not recorded "
            "(bench publish --include-dirty records it anyway)"
        )
    return str(commit)


def _machine_name(meta_machine: MachineInfo, override: str | None) -> str:
    name = override or os.environ.get(MACHINE_ENV) or meta_machine.hostname or ""
    name = re.sub(r"[^A-Za-z0-9._-]", "-", name).strip(".-")
    if not name:
        raise NotRecordable("no machine name: the run has no hostname; pass a machine name")
    return name


def _save_machine(
    results_dir: Path, meta_machine: MachineInfo, override: str | None
) -> dict[str, str]:
    """The machine's asv parameters; a machine's first description sticks, as in asv."""
    from asv import util
    from asv.machine import Machine

    name = _machine_name(meta_machine, override)
    path = results_dir / name / "machine.json"
    if path.is_file():
        try:
            known = util.load_json(str(path), api_version=Machine.api_version)
            return {k: str(v) for k, v in known.items()}
        except util.UserError:
            pass  # rewritten below
    machine = Machine()
    machine.__dict__.update(
        machine=name,
        os=meta_machine.os or "",
        arch=meta_machine.arch or "",
        cpu=meta_machine.cpu_model or "",
        num_cpu=str(meta_machine.cores or ""),
        ram=str(meta_machine.memory_bytes or ""),
    )
    machine.save(str(results_dir))
    return dict(machine.__dict__)


def _python_of(run: RunResult) -> str:
    # major.minor, as asv names an environment's Python: a patch release keeps the same graph
    version = run.meta.python.version or ""
    return ".".join(version.split(".")[:2]) or "unknown"


def _commit_date(repo: Path, commit: str) -> int | None:
    """The commit's date as a JavaScript timestamp (asv's unit), or None if git cannot tell."""
    text = try_git(repo, "show", "-s", "--format=%ct", commit) or ""
    return int(text) * 1000 if text.isdigit() else None


def _parse_time(text: Any) -> datetime:
    try:
        return datetime.fromisoformat(str(text).replace("Z", "+00:00"))
    except ValueError:
        return datetime.now(UTC)


def _js_time(text: Any) -> int:
    return int(_parse_time(text).timestamp() * 1000)


def _with_earlier(results: Any, series: Series) -> Series:
    """``series`` plus the combinations an earlier run of this commit measured and this one did not.

    A quick run after a full one, or one shard after another, then adds to the commit's values
    instead of dropping the rest of the grid.
    """
    if series.name not in results.get_all_result_keys():
        return series
    old_params = results.get_result_params(series.name) or []
    if len(old_params) != len(series.param_names):
        return series  # the parameters changed: the new grid replaces the old one
    values = results.get_result_value(series.name, old_params)
    samples = results.get_result_samples(series.name, old_params)
    points = {
        tuple(combo): Point(value, tuple(sample) if sample else None)
        for combo, value, sample in zip(
            itertools.product(*old_params), values, samples, strict=True
        )
    }
    return replace(series, points={**points, **series.points})


def _asv_benchmark(series: Series) -> dict[str, Any]:
    return {"name": series.name, "params": series.axes, "version": None}


def _asv_result(series: Series) -> Any:
    from asv.runner import BenchmarkResult

    grid = series.grid()
    return BenchmarkResult(
        result=[p.value if p else None for p in grid],
        samples=[list(p.samples) if p and p.samples else None for p in grid],
        # A number per point makes asv compute the median and its CI from the samples.
        number=[1 if p and p.samples else None for p in grid],
        errcode=0,
        stderr="",
        profile=None,
    )


# -- the registry ------------------------------------------------------------------------------


def _registry_path(asv_dir: Path) -> Path:
    return asv_dir / REGISTRY


def _load_registry(asv_dir: Path) -> dict[str, Any]:
    path = _registry_path(asv_dir)
    empty: dict[str, Any] = {"series": {}, "recorded": {}}
    if not path.is_file():
        return empty
    try:
        data = json.loads(path.read_text())
    except (OSError, ValueError, RecursionError) as exc:
        raise HistoryError(f"{path}: cannot read bench's series registry ({exc})") from None
    if (
        not isinstance(data, dict)
        or data.get("format") != REGISTRY_FORMAT
        or data.get("format_version") != REGISTRY_VERSION
    ):
        raise HistoryError(
            f"{path}: not a version {REGISTRY_VERSION} bench series registry; "
            "upgrade bench, or delete it and record again"
        )
    return {**empty, **data}


def _update_registry(asv_dir: Path, series: list[Series], run_id: str, path: Path) -> None:
    registry = _load_registry(asv_dir)
    for one in series:
        registry["series"][one.name] = merge_entries(registry["series"].get(one.name), one)
    registry["recorded"][run_id] = str(path.relative_to(asv_dir))
    data = {"format": REGISTRY_FORMAT, "format_version": REGISTRY_VERSION, **registry}
    write_atomic(_registry_path(asv_dir), json.dumps(data, indent=1, sort_keys=True) + "\n")


# -- many files ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Recorded:
    """What :func:`record_files` did with each file."""

    recorded: tuple[tuple[Path, Path], ...] = ()  # (result file, asv results file)
    skipped: tuple[tuple[Path, str], ...] = ()  # (result file, why)


def pending_results(results_dir: Path, asv_dir: Path = DEFAULT_ASV_DIR) -> list[Path]:
    """Result files in ``results_dir`` (not its subfolders) whose run is not recorded yet."""
    done = recorded_runs(asv_dir)
    return [p for p in sorted(results_dir.glob("*.json")) if p.stem not in done]


def record_files(
    paths: list[Path],
    asv_dir: Path = DEFAULT_ASV_DIR,
    *,
    machine: str | None = None,
    repo: Path | None = None,
    allow_dirty: bool = False,
) -> Recorded:
    """Record each result file; one that cannot be read or recorded is skipped with the reason."""
    recorded: list[tuple[Path, Path]] = []
    skipped: list[tuple[Path, str]] = []
    for path in paths:
        try:
            run = load(path)
            recorded.append(
                (path, record(run, asv_dir, machine=machine, repo=repo, allow_dirty=allow_dirty))
            )
        except InputError as exc:
            skipped.append((path, str(exc)))
    return Recorded(tuple(recorded), tuple(skipped))
