"""The worker process: runs one benchmark case and writes its metrics as JSON.

``python -m harness.worker JOB.json OUT.json``. The parent only orchestrates; everything that
is measured happens here, in a fresh interpreter per case.
"""

from __future__ import annotations

import importlib
import json
import os
import sys
import traceback
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from harness.fixtures import RunFixture, load_fixtures
from harness.measure import SampleSettings, deep_size, peak_rss_of, time_samples
from harness.shard import parse_shard, select_shard
from harness.suite import CaseRef, discover, import_suites, select


@dataclass
class Bound:
    """A benchmark resolved to callables with its parameters applied."""

    func: Callable[[], Any]
    setup: Callable[[], None]
    teardown: Callable[[], None]
    counters: Callable[[], dict[str, int]]
    sampled: Callable[[], dict[str, float]]
    owner: Any


def _noop() -> None:
    return None


def bind(job: dict[str, Any]) -> Bound:
    """Import the benchmark named by ``job`` and apply its parameters (asv's calling rules)."""
    import_suites(Path(job["suites_root"]))
    module = importlib.import_module(job["module"])
    owner: Any = module
    if job["class_name"]:
        owner = getattr(module, job["class_name"])()
    func = getattr(owner, job["method"])
    args = list(_param_values(owner if job["class_name"] else func, job["param_index"]))
    setup_cache = getattr(owner, "setup_cache", None) if job["class_name"] else None
    if setup_cache is not None:
        args.insert(0, setup_cache())
    setup = getattr(owner, "setup", None) or getattr(func, "setup", None)
    teardown = getattr(owner, "teardown", None) or getattr(func, "teardown", None)
    counters = getattr(owner, "counters", None) if job["class_name"] else None
    sampled = getattr(owner, "sampled_metrics", None) if job["class_name"] else None
    return Bound(
        func=lambda: func(*args),
        setup=(lambda: setup(*args)) if setup else _noop,
        teardown=(lambda: teardown(*args)) if teardown else _noop,
        counters=counters or dict,
        sampled=sampled or dict,
        owner=owner,
    )


def _param_values(source: Any, index: list[int]) -> list[Any]:
    params = getattr(source, "params", None) or []
    if params and not isinstance(params[0], list | tuple):
        params = [params]
    return [params[axis][i] for axis, i in enumerate(index)]


def _attr(bound: Bound, job: dict[str, Any], name: str, default: Any) -> Any:
    func = getattr(bound.owner, job["method"])
    return getattr(func, name, getattr(bound.owner, name, default))


def _metric(
    name: str, unit: str, direction: str, kind: str, samples: list[float]
) -> dict[str, Any]:
    return {"name": name, "unit": unit, "direction": direction, "kind": kind, "samples": samples}


class SampleCounters:
    """Gathers the benchmark's and the fixtures' observations around each sample.

    Exact counters come from ``counters()`` and the fixtures; noisy values (a latency
    percentile, a throughput) from ``sampled_metrics()``, whose names are remembered so they
    are recorded as sampled metrics.
    """

    def __init__(self, bound: Bound, fixtures: list[RunFixture], env: dict[str, str]):
        self.bound, self.fixtures, self.env = bound, fixtures, env
        self.sampled_names: set[str] = set()

    def before(self) -> None:
        self.bound.setup()
        self.prepare()

    def prepare(self) -> None:
        for fixture in self.fixtures:
            fixture.before_sample(self.env)

    def after(self) -> dict[str, float]:
        counts: dict[str, float] = dict(self.bound.counters())
        values = self.bound.sampled()
        self.sampled_names.update(values)
        counts.update(values)
        for fixture in self.fixtures:
            for key, value in fixture.sample_counters(self.env).items():
                counts[f"{fixture.name}.{key}"] = value
        return counts


def measure(job: dict[str, Any]) -> dict[str, Any]:
    """Run the case described by ``job``; return its metrics (and a memory timeline)."""
    bound = bind(job)
    fixtures = load_fixtures(job["suites_package"])
    gather = SampleCounters(bound, fixtures, dict(os.environ))
    repeat = _attr(bound, job, "repeat", None)
    settings = with_repeat(SampleSettings(**job["settings"]), repeat)
    kind = job["kind"]
    direction = _attr(bound, job, "direction", "lower")
    if kind == "time":
        number = _attr(bound, job, "number", 0) or None
        if number != 1:
            bound.setup()
        # Counting starts afresh before each sample; with number == 1 setup runs there too.
        before = gather.before if number == 1 else gather.prepare
        samples = time_samples(bound.func, settings, number, before, gather.after)
        bound.teardown()
        metrics = [
            _metric("time", "s", "lower", "sampled", [s.wall_s for s in samples]),
            _metric("cpu_time", "s", "lower", "sampled", [s.cpu_s for s in samples]),
        ]
        return {"metrics": metrics + _observed([s.counters for s in samples], gather, bound)}
    values: list[float] = []
    timeline: list[float] = []
    counts: list[dict[str, float]] = []
    # A value benchmark is often a whole scenario: by default it gets the minimum of samples.
    for _ in range(settings.samples if repeat is not None else settings.min_samples):
        gather.before()
        value, seen = _single(kind, bound)
        values.append(value)
        timeline = timeline or seen  # the first sample's: later ones reuse freed memory
        counts.append(gather.after())
        bound.teardown()
    unit = {"peakmem": "bytes", "mem": "bytes"}.get(kind) or _attr(bound, job, "unit", "unit")
    exact = kind == "track" and bool(_attr(bound, job, "exact", False))
    main = _metric(kind, unit, direction, "exact" if exact else "sampled", values)
    return {"metrics": [main] + _observed(counts, gather, bound), "memory_timeline": timeline}


def with_repeat(settings: SampleSettings, repeat: Any) -> SampleSettings:
    """Apply a benchmark's ``repeat`` (asv: a count, or ``(min, max, max_time)``), never
    exceeding the run's own sample count (so ``--quick`` stays quick)."""
    if repeat is None:
        return settings
    if isinstance(repeat, tuple | list):
        low, high, max_time = repeat
        high = min(int(high), settings.samples)
        return replace(settings, samples=high, min_samples=min(int(low), high), max_time_s=max_time)
    count = max(1, min(int(repeat), settings.samples))
    return replace(settings, samples=count, min_samples=min(settings.min_samples, count))


def _single(kind: str, bound: Bound) -> tuple[float, list[float]]:
    """One value of a non-time benchmark, and for ``peakmem`` the memory timeline of it."""
    if kind == "peakmem":
        peak, timeline = peak_rss_of(bound.func)
        return float(peak), timeline
    if kind == "mem":
        return float(deep_size(bound.func())), []
    value = bound.func()
    if not isinstance(value, int | float):
        raise TypeError(f"track benchmark returned {type(value).__name__}, not a number")
    return float(value), []


def _observed(
    per_sample: list[dict[str, float]], gather: SampleCounters, bound: Bound
) -> list[dict[str, Any]]:
    """Metrics of the per-sample observations; units and directions from the suite's tables."""
    units = getattr(bound.owner, "metric_units", {}) or {}
    directions = getattr(bound.owner, "metric_directions", {}) or {}
    names = sorted({name for counts in per_sample for name in counts})
    metrics = []
    for name in names:
        kind = "sampled" if name in gather.sampled_names else "exact"
        unit = units.get(name, "count" if kind == "exact" else "unit")
        values = [float(c.get(name, 0)) for c in per_sample]
        metrics.append(_metric(name, unit, directions.get(name, "lower"), kind, values))
    return metrics


def print_plan(root: str, options_json: str) -> int:
    """``--plan ROOT OPTIONS``: print the cases of the suites at ROOT as JSON (for ``--against``,
    whose other revision's suites cannot be imported into the parent process)."""
    options = json.loads(options_json)
    cases = select(discover(Path(root)), options["suites"], options["pattern"], options["quick"])
    if options.get("shard"):
        cases = select_shard(cases, parse_shard(options["shard"]))
    ids = set(options.get("ids") or ())
    refs = [CaseRef.of(case) for case in cases if not ids or case.id in ids]
    print(json.dumps([ref.to_dict() for ref in refs]))
    return 0


def main(argv: list[str]) -> int:
    if argv and argv[0] == "--plan":
        return print_plan(argv[1], argv[2])
    job_path, out_path = Path(argv[0]), Path(argv[1])
    job = json.loads(job_path.read_text())
    try:
        outcome: dict[str, Any] = {"status": "ok", **measure(job)}
    except NotImplementedError as exc:
        # asv's convention: a setup that raises NotImplementedError skips the case.
        outcome = {"status": "skipped", "error": str(exc) or "skipped by its setup"}
    except BaseException as exc:  # noqa: BLE001 - every failure is reported, not raised
        last = traceback.extract_tb(exc.__traceback__)[-1:] or None
        where = f" at {Path(last[0].filename).name}:{last[0].lineno}" if last else ""
        outcome = {"status": "failed", "error": f"{type(exc).__name__}: {exc}{where}"}
    out_path.write_text(json.dumps(outcome))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
