"""The worker process: measures one job and writes back one ``BenchmarkResult`` per case.

``python -m harness.worker - FD``: the task (``harness.job.Task``) on stdin, the reply
written to file descriptor FD. The parent only orchestrates; everything that
is measured happens here, in a fresh interpreter per job. The reply holds the same records the
parent stores (``harness.codec``): each metric with the one ``ProcessRun`` this process took.
Two more entry points serve planning: ``--plan ROOT OPTIONS`` (the cases of another revision's
suites) and ``--collect-micro ROOT`` (the micro cases, collected by pytest); ``--zygote ROOT``
is the counting zygote (``harness.zygote``), which forks a worker per instruction-counting job.
"""

from __future__ import annotations

import importlib
import json
import math
import os
import sys
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from harness import codec
from harness.errors import BenchError
from harness.fixtures import RunFixture, load_fixtures
from harness.job import Task
from harness.lifetime import stop_group_on_term
from harness.measure import SampleSettings, mem_size, peak_rss_of, time_samples
from harness.records import BenchmarkResult, Direction, Kind, Metric, ProcessRun, Status
from harness.suite import BenchKind, CaseRef, import_suites, param_grid


@dataclass
class Bound:
    """A benchmark resolved to callables with its parameters applied."""

    func: Callable[[], Any]
    setup: Callable[[], None]
    teardown: Callable[[], None]
    counters: Callable[[], dict[str, float]]
    sampled: Callable[[], dict[str, float]]


def _noop() -> None:
    return None


def bind(case: CaseRef, suites_root: Path) -> Bound:
    """Import the benchmark of ``case`` and apply its parameters (asv's calling rules)."""
    import_suites(suites_root)
    module = importlib.import_module(case.module)
    owner: Any = getattr(module, case.class_name)() if case.class_name else None
    func = getattr(owner if owner is not None else module, case.method)
    _, grid = param_grid(owner if owner is not None else func)
    args = [grid[axis][i] for axis, i in enumerate(case.param_index)]
    setup_cache = getattr(owner, "setup_cache", None)
    if setup_cache is not None:
        args.insert(0, setup_cache())
    setup = getattr(owner, "setup", None) or getattr(func, "setup", None)
    teardown = getattr(owner, "teardown", None) or getattr(func, "teardown", None)
    return Bound(
        func=lambda: func(*args),
        setup=(lambda: setup(*args)) if setup else _noop,
        teardown=(lambda: teardown(*args)) if teardown else _noop,
        counters=getattr(owner, "counters", None) or dict,
        sampled=getattr(owner, "sampled_metrics", None) or dict,
    )


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


def case_settings(case: CaseRef, settings: SampleSettings) -> SampleSettings:
    """The run's settings with the case's asv attributes applied: ``repeat`` (never more
    samples than the run's own, so ``--quick`` stays quick), ``warmup_time``, ``sample_time``."""
    attrs = case.attrs
    if attrs.warmup_s is not None:
        settings = replace(settings, warmup_s=attrs.warmup_s)
    if attrs.sample_s is not None:
        settings = replace(settings, min_sample_s=attrs.sample_s)
    if len(attrs.repeat) == 3:
        low, high, max_time = attrs.repeat
        high = min(int(high), settings.samples)
        return replace(settings, samples=high, min_samples=min(int(low), high), max_time_s=max_time)
    if attrs.repeat:
        count = max(1, min(int(attrs.repeat[0]), settings.samples))
        return replace(settings, samples=count, min_samples=min(settings.min_samples, count))
    return settings


@dataclass(frozen=True)
class Measured:
    """What one case produced in this process: (name, unit, direction, kind, samples) rows."""

    metrics: list[tuple[str, str, Direction, Kind, list[float]]]
    memory_timeline: tuple[float, ...] = ()


def measure(case: CaseRef, task: Task) -> Measured:
    """Run ``case`` as its kind says; its metrics' samples and, for peakmem, the timeline."""
    bound = bind(case, Path(task.suites_root))
    if task.job.instructions:
        return _counted(case, bound)
    gather = SampleCounters(bound, load_fixtures(task.package), dict(os.environ))
    settings = case_settings(case, task.settings)
    if case.kind is BenchKind.TIME:
        return _timed(case, bound, gather, settings)
    return _valued(case, bound, gather, settings)


WARM_CALLS = 2  # calls before the counted one, as the timed path warms up before sampling


def _counted(case: CaseRef, bound: Bound) -> Measured:
    """One call of a time benchmark with callgrind counting (this worker runs under it); the
    parent reads the count. Set up as for timing: with ``number = 1`` the call is cold (setup
    right before it), otherwise it follows warm-up calls."""
    from harness.instructions import counted

    bound.setup()
    if case.attrs.number != 1:
        for _ in range(WARM_CALLS):
            bound.func()
    counted(bound.func)
    bound.teardown()
    return Measured([])


def _timed(
    case: CaseRef, bound: Bound, gather: SampleCounters, settings: SampleSettings
) -> Measured:
    number = case.attrs.number or None
    if number != 1:
        bound.setup()
    # Counting starts afresh before each sample; with number == 1 setup runs there too.
    before = gather.before if number == 1 else gather.prepare
    samples = time_samples(bound.func, settings, number, before, gather.after)
    bound.teardown()
    lower, sampled = Direction.LOWER, Kind.SAMPLED
    rows = [
        ("time", "s", lower, sampled, [s.wall_s for s in samples]),
        ("cpu_time", "s", lower, sampled, [s.cpu_s for s in samples]),
    ]
    return Measured(rows + _observed(case, [s.counters for s in samples], gather))


def _valued(
    case: CaseRef, bound: Bound, gather: SampleCounters, settings: SampleSettings
) -> Measured:
    """A value benchmark (peakmem, mem, track) is often a whole scenario: by default it
    takes the run's minimum of samples."""
    values: list[float] = []
    timeline: list[float] = []
    counts: list[dict[str, float]] = []
    for _ in range(settings.samples if case.attrs.repeat else settings.min_samples):
        gather.before()
        value, seen = _single(case.kind, bound)
        values.append(value)
        timeline = timeline or seen  # the first sample's: later ones reuse freed memory
        counts.append(gather.after())
        bound.teardown()
    unit = "bytes" if case.kind in (BenchKind.PEAKMEM, BenchKind.MEM) else case.attrs.unit
    exact = case.kind is BenchKind.TRACK and case.attrs.exact
    kind = Kind.EXACT if exact else Kind.SAMPLED
    main = (case.kind.value, unit, case.attrs.direction, kind, values)
    return Measured([main, *_observed(case, counts, gather)], tuple(timeline))


def _single(kind: BenchKind, bound: Bound) -> tuple[float, list[float]]:
    """One value of a non-time benchmark, and for ``peakmem`` the memory timeline of it."""
    if kind is BenchKind.PEAKMEM:
        peak, timeline = peak_rss_of(bound.func)
        return float(peak), timeline
    if kind is BenchKind.MEM:
        return float(mem_size(bound.func())), []
    value = bound.func()
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise TypeError(f"track benchmark returned {type(value).__name__}, not a number")
    return float(value), []


def _observed(
    case: CaseRef, per_sample: list[dict[str, float]], gather: SampleCounters
) -> list[tuple[str, str, Direction, Kind, list[float]]]:
    """Metrics of the per-sample observations; units and directions from the suite's tables."""
    names = sorted({name for counts in per_sample for name in counts})
    rows = []
    for name in names:
        kind = Kind.SAMPLED if name in gather.sampled_names else Kind.EXACT
        unit = case.attrs.metric_units.get(name, "count" if kind is Kind.EXACT else "unit")
        direction = case.attrs.metric_directions.get(name, Direction.LOWER)
        rows.append((name, unit, direction, kind, [float(c.get(name, 0)) for c in per_sample]))
    return rows


def run_case(case: CaseRef, task: Task) -> BenchmarkResult:
    """One asv case in this process, as the record the parent stores; failures included."""
    started, clock = time.time(), time.perf_counter()
    try:
        measured = measure(case, task)
    except NotImplementedError as exc:
        # asv's convention: a setup that raises NotImplementedError skips the case.
        error = str(exc) or "skipped by its setup"
        return _unmeasured(case, Status.SKIPPED, error, time.perf_counter() - clock)
    except BaseException as exc:  # noqa: BLE001 - every failure is reported, not raised
        return _unmeasured(case, Status.FAILED, _describe(exc), time.perf_counter() - clock)
    duration = time.perf_counter() - clock
    broken = next((row[0] for row in measured.metrics if not all(map(math.isfinite, row[4]))), None)
    if broken is not None:  # NaN or infinity is no measurement: the case failed
        error = f"metric {broken!r} has a sample that is not a finite number (NaN or infinity)"
        return _unmeasured(case, Status.FAILED, error, duration)
    run = ProcessRun((), task.job.round, task.job.side, started, duration)
    metrics = tuple(
        Metric(name, unit, direction, kind, (replace(run, samples=tuple(samples)),))
        for name, unit, direction, kind, samples in measured.metrics
    )
    return BenchmarkResult(
        case.id, case.name, case.params, Status.OK, metrics, None, duration,
        measured.memory_timeline, case.attrs.version,
    )  # fmt: skip


def _unmeasured(case: CaseRef, status: Status, error: str, duration: float) -> BenchmarkResult:
    return BenchmarkResult(
        case.id, case.name, case.params, status, error=error, duration_s=duration,
        version=case.attrs.version,
    )  # fmt: skip


def _describe(exc: BaseException) -> str:
    last = traceback.extract_tb(exc.__traceback__)[-1:] or None
    where = f" at {Path(last[0].filename).name}:{last[0].lineno}" if last else ""
    return f"{type(exc).__name__}: {exc}{where}"


def run_task(task: Task) -> list[BenchmarkResult]:
    """Every case of the task's job, in order."""
    job = task.job
    if not job.micro:
        return [run_case(case, task) for case in job.cases]
    from harness.micro import count as count_micro  # pytest: micro jobs only
    from harness.micro import measure as measure_micro

    root = Path(task.suites_root)
    import_suites(root)  # the project's packages importable, as for asv cases
    if job.instructions:
        return count_micro(job.cases, root)
    started, clock = time.time(), time.perf_counter()
    try:
        run = ProcessRun((), job.round, job.side, started, None)
        results = measure_micro(job.cases, root, task.quick, run)
    except BaseException as exc:  # noqa: BLE001 - every failure is reported, not raised
        elapsed = time.perf_counter() - clock
        return [_unmeasured(c, Status.FAILED, _describe(exc), elapsed) for c in job.cases]
    return [_timed_run(r, time.perf_counter() - clock) for r in results]


def _timed_run(result: BenchmarkResult, duration: float) -> BenchmarkResult:
    metrics = tuple(
        replace(m, runs=tuple(replace(r, duration_s=duration) for r in m.runs))
        for m in result.metrics
    )
    return replace(result, metrics=metrics)


def print_plan(root: str, options_json: str) -> int:
    """``--plan ROOT OPTIONS``: print the cases of the suites at ROOT as JSON (for ``--against``,
    whose other revision's suites cannot be imported into the parent process)."""
    from harness.runner import select_cases  # planning only: a measuring worker stays light

    options = json.loads(options_json)
    refs = select_cases(Path(root), **options)
    print(json.dumps([ref.to_dict() for ref in refs]))
    return 0


def print_micro(root: str) -> int:
    """``--collect-micro ROOT``: print the micro cases under ROOT/micro as JSON."""
    from harness.micro import collect_here

    cases = collect_here(Path(root))
    # pytest has printed its own listing above: the plan is the last line.
    print("\n" + json.dumps([case.to_dict() for case in cases]))
    return 0


def reply_to(task: Task) -> dict[str, object]:
    """The worker's reply for ``task``: its results as the parent stores them."""
    return {"results": [codec.encode_benchmark(r, with_summary=False) for r in run_task(task)]}


def main(argv: list[str]) -> int:
    if argv and argv[0] == "--zygote":
        from harness.zygote import serve

        return serve(argv[1], reply_to)
    if argv and argv[0] in ("--plan", "--collect-micro"):
        try:
            return print_plan(*argv[1:3]) if argv[0] == "--plan" else print_micro(argv[1])
        except BenchError as exc:  # bad suites: one line for the parent to show
            print(exc, file=sys.stderr)
            return exc.exit_code
    stop_group_on_term()
    reply = reply_to(Task.from_dict(json.load(sys.stdin)))
    with os.fdopen(int(argv[1]), "w") as out:
        json.dump(reply, out, allow_nan=False)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
