"""Judging a current run against a baseline run: one verdict per benchmark metric."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import replace

import numpy as np

from harness.compare.environment import env_mismatches
from harness.compare.model import Comparison, Status, Verdict
from harness.compare.policy import Policy
from harness.compare.processes import DEFAULT_MIN_PROCESSES, Level
from harness.compare.rules import CPU_BOUND, Context, judge_metric, within_floor
from harness.micro import PREFIX as MICRO_PREFIX
from harness.records import BenchmarkResult, Kind, Metric, RunResult
from harness.records import Status as ResultStatus

GUARDED_STATUSES = (Status.REGRESSED, Status.IMPROVED, Status.WORSE, Status.BETTER)


def judge(
    baseline: RunResult,
    current: RunResult,
    policy: Policy | None = None,
    pooled: Mapping[str, tuple[int, int]] | None = None,
) -> Comparison:
    """Compare every benchmark of ``current`` with the same id in ``baseline``.

    ``pooled`` says, per benchmark id, how many runs were pooled into the baseline and the
    current samples (one each when absent); ``confirm`` keeps it up to date.
    """
    policy = policy or Policy()
    pooled = dict(pooled or {})
    warnings = env_mismatches(baseline, current)
    guard = bool(warnings) and not policy.allow_env_mismatch
    if warnings:
        tail = "time verdicts are uncertain" if guard else "compared anyway (--allow-env-mismatch)"
        warnings = [f"environment: {w}; {tail}" for w in warnings]
    warnings += [
        f"{name} run {r.run_id} is incomplete" for name, r in _incomplete(baseline, current)
    ]
    verdicts = list(_all_verdicts(baseline, current, policy, pooled))
    warnings += _single_process_warning(verdicts, policy, interleaved(baseline, current))
    warnings += _unselected_warning(baseline, current)
    warnings += _uncounted_warning(baseline, current) + _failed_baseline_warning(baseline)
    if guard:
        verdicts = [_guarded(v) for v in verdicts]
    return Comparison(
        baseline, current, policy, tuple(verdicts), tuple(warnings), pooled_runs=pooled
    )


def interleaved(baseline: RunResult, current: RunResult) -> bool:
    """Whether the two runs were measured together, alternating (``--against``), rather than the
    baseline being a stored result of another run."""
    return baseline.meta.role == "base" and current.meta.against is not None


def _single_process_warning(
    verdicts: list[Verdict], policy: Policy, interleaved: bool
) -> list[str]:
    """Sampled metrics judged on raw samples: the noise between worker processes is unseen."""
    count = sum(1 for v in verdicts if v.kind is Kind.SAMPLED and v.level is Level.SAMPLES)
    if not count:
        return []
    n = policy.min_processes
    remedy = (
        f"--processes {n} measures {n} per side from the start"
        if interleaved
        else f"a baseline saved with --processes {n} (as --save-baseline does), or --against, "
        "can judge them"
    )
    return [
        f"{count} sampled metric(s) measured in fewer than {n} worker processes per side: the "
        "noise between processes is unseen, so they are never judged regressed (uncertain at "
        f"most); {remedy} (docs/verdicts.md)"
    ]


def _uncounted_warning(baseline: RunResult, current: RunResult) -> list[str]:
    counted = [
        b.id for b in baseline.benchmarks if any(m.kind is Kind.DETERMINISTIC for m in b.metrics)
    ]
    after = {b.id: b for b in current.benchmarks}
    lost = [
        i for i in counted if i in after and after[i].ok and after[i].metric("instructions") is None
    ]
    if not lost:
        return []
    return [
        f"{len(lost)} benchmark(s) with instruction counts in the baseline were not counted in "
        "this run (valgrind not installed, or --no-instructions): their CPU work is not judged"
    ]


def _incomplete(baseline: RunResult, current: RunResult) -> list[tuple[str, RunResult]]:
    return [(n, r) for n, r in (("baseline", baseline), ("current", current)) if not r.complete]


def _all_verdicts(
    baseline: RunResult,
    current: RunResult,
    policy: Policy,
    pooled: Mapping[str, tuple[int, int]],
) -> Iterator[Verdict]:
    before = {b.id: b for b in baseline.benchmarks}
    after = {b.id: b for b in current.benchmarks}
    for bench_id, cur in after.items():
        runs = pooled.get(bench_id, (1, 1))
        context = _context(baseline, current, cur, before.get(bench_id))
        yield from _benchmark_verdicts(before.get(bench_id), cur, policy, runs, context)
    planned = set(current.meta.planned_ids)
    for bench_id in current.meta.planned_ids:
        if bench_id not in after:  # the run was interrupted, or a worker never answered
            why = "was interrupted" if current.meta.interrupted else "did not finish"
            yield Verdict(bench_id, None, Status.MISSING, f"planned but not run (the run {why})")
    for bench_id in before:
        if bench_id not in after and not planned:  # a file without its plan
            yield Verdict(bench_id, None, Status.MISSING, "not in the current run")


def _failed_baseline_warning(baseline: RunResult) -> list[str]:
    """Benchmarks that failed on the baseline's side are reported new, and so not judged: one
    line says how many and why the first failed (``--against`` an old revision whose suites
    cannot run here fails every benchmark on its side)."""
    failed = [b for b in baseline.benchmarks if b.status is ResultStatus.FAILED]
    if not failed:
        return []
    return [
        f"{len(failed)} benchmark(s) failed in the baseline run {baseline.run_id}: not judged "
        f"(first: {failed[0].id}: {failed[0].error})"
    ]


def _unselected_warning(baseline: RunResult, current: RunResult) -> list[str]:
    """Benchmarks of the baseline the current run did not plan (``-b``, suites, shards, or
    gone from the code) are not judged, and not missing: one line says how many."""
    planned = set(current.meta.planned_ids)
    if not planned:
        return []  # a file without its plan: every benchmark of the baseline was expected
    left = [b.id for b in baseline.benchmarks if b.id not in planned]
    if not left:
        return []
    return [f"{len(left)} benchmark(s) of the baseline not selected in this run: not judged"]


def _context(
    baseline: RunResult,
    current: RunResult,
    bench: BenchmarkResult,
    before: BenchmarkResult | None,
) -> Context:
    """How this benchmark's two sides were measured, and what would settle a doubt."""
    together = interleaved(baseline, current)
    cpu_bound = any(is_cpu_bound(side) for side in (bench, before) if side is not None)
    if together:
        settle = f"measure more worker processes per side (--processes {DEFAULT_MIN_PROCESSES})"
    else:
        commit = (baseline.meta.commit or "")[:12] or "<the baseline's revision>"
        settle = f"bench run --against {commit}"
    counted = bench.metric("instructions") is not None and _counted(baseline, bench.id)
    return Context(interleaved=together, cpu_bound=cpu_bound, counted=counted, settle=settle)


def _counted(run: RunResult, bench_id: str) -> bool:
    found = run.benchmark(bench_id)
    return found is not None and found.metric("instructions") is not None


def is_cpu_bound(bench: BenchmarkResult) -> bool:
    """CPU time at least ``CPU_BOUND`` of the wall time. Either side decides: on a machine busy
    with other work a CPU-bound benchmark waits for a core, and its CPU time falls to half its
    wall time or less (a networkx call of 160 µs CPU measured 290–600 µs wall while a
    calibration ran beside it, and was judged as if it waited on I/O)."""
    if bench.id.startswith(f"{MICRO_PREFIX}."):  # pytest-benchmark's time of a pure function
        return True
    time, cpu = bench.metric("time"), bench.metric("cpu_time")
    return time is not None and cpu is not None and _median(cpu) >= CPU_BOUND * _median(time)


def _median(metric: Metric) -> float:
    return float(np.median(metric.samples)) if metric.samples else 0.0


def _benchmark_verdicts(
    base: BenchmarkResult | None,
    cur: BenchmarkResult,
    policy: Policy,
    runs: tuple[int, int],
    context: Context,
) -> Iterator[Verdict]:
    if not cur.ok:
        yield Verdict(cur.id, None, Status.FAILED, cur.error or "failed")
    elif base is None:
        yield Verdict(cur.id, None, Status.NEW, "not in the baseline")
    elif not base.ok:
        yield Verdict(cur.id, None, Status.NEW, f"failed in the baseline: {base.error}")
    elif base.version != cur.version:  # asv's rule: another version is another benchmark
        why = f"benchmark version changed ({base.version!r} → {cur.version!r})"
        yield Verdict(cur.id, None, Status.NEW, why)
    else:
        yield from _metric_verdicts(base, cur, policy, runs, context)


def _metric_verdicts(
    base: BenchmarkResult,
    cur: BenchmarkResult,
    policy: Policy,
    runs: tuple[int, int],
    context: Context,
) -> Iterator[Verdict]:
    for metric in cur.metrics:
        old = base.metric(metric.name)
        if old is None or not old.samples:
            yield Verdict(cur.id, metric.name, Status.NEW, "not in the baseline", metric.kind)
        elif not metric.samples:
            yield Verdict(cur.id, metric.name, Status.MISSING, "no samples", metric.kind)
        else:
            exact = metric.kind is Kind.EXACT
            threshold = policy.threshold_for(cur.id, cur.name, metric.name, exact)
            verdict = judge_metric(cur.id, old, metric, threshold, policy, runs, context)
            yield within_floor(verdict, policy.floor_for(cur.name, metric.name))
    for old in base.metrics:
        # Instructions are counted only where valgrind is: a run without them is not missing
        # anything it measured (the comparison warns once).
        if cur.metric(old.name) is None and old.kind is not Kind.DETERMINISTIC:
            yield Verdict(cur.id, old.name, Status.MISSING, "not in the current run", old.kind)


def _guarded(verdict: Verdict) -> Verdict:
    """Noisy verdicts across environments become uncertain; exact counters stay as they are."""
    if verdict.kind is not Kind.SAMPLED or verdict.status not in GUARDED_STATUSES:
        return verdict
    return replace(
        verdict,
        status=Status.UNCERTAIN,
        reason=f"{verdict.status.value} but environments differ",
        env_guarded=True,
    )
