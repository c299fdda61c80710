"""One benchmark's metric across the stored results of a directory, with change points.

Change-point rule (simple and documented in docs/verdicts.md): between runs i-1 and i, pool
the samples of the ``window`` runs before and the ``window`` runs from i on. A step is a
candidate when the medians differ by more than the threshold and a two-sided Mann–Whitney U
test of the two pools is significant at α; of adjacent candidates only the largest step is
marked, so one real change is one mark.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from scipy.stats import mannwhitneyu

from harness.errors import InputError
from harness.records import RunResult
from harness.results import load

COLUMNS = ["run_id", "start_time", "commit", "status", "n", "median", "ci_low", "ci_high"]


def load_runs(results_dir: Path) -> list[RunResult]:
    """Every result file directly in ``results_dir``, oldest first (run ids sort by time)."""
    if not results_dir.is_dir():
        raise InputError(f"{results_dir}: no such results directory")
    return [load(path) for path in sorted(results_dir.glob("*.json"))]


def _row(
    run: RunResult, benchmark_id: str, metric: str
) -> tuple[dict[str, Any], tuple[float, ...]] | None:
    bench = next((b for b in run.benchmarks if b.id == benchmark_id), None)
    if bench is None:
        return None
    found = bench.metric(metric)
    samples = found.samples if found is not None and bench.ok else ()
    summary = found.summary if found is not None else {}
    row = {
        "run_id": run.run_id,
        "start_time": run.meta.start_time or None,
        "commit": (run.meta.commit or "")[:12],
        "status": bench.status if found is not None or not bench.ok else "no metric",
        "n": len(samples),
        "median": float(np.median(samples)) if samples else math.nan,
        "ci_low": summary.get("ci_low", math.nan) if samples else math.nan,
        "ci_high": summary.get("ci_high", math.nan) if samples else math.nan,
    }
    return row, samples


def metric_history(
    benchmark_id: str,
    runs: list[RunResult],
    metric: str = "time",
    threshold: float = 0.2,
    alpha: float = 0.01,
    window: int = 3,
) -> pd.DataFrame:
    """One row per run that has ``benchmark_id``; ``shift`` and ``change`` mark the steps."""
    found = [r for r in (_row(run, benchmark_id, metric) for run in runs) if r is not None]
    if not found:
        known = sorted({b.id for run in runs for b in run.benchmarks})
        hint = f"; known: {', '.join(known[:10])}" + (" …" if len(known) > 10 else "")
        raise InputError(f"no stored result has benchmark {benchmark_id!r}{hint if known else ''}")
    frame = pd.DataFrame([row for row, _ in found], columns=COLUMNS)
    shifts, changes = change_points([s for _, s in found], threshold, alpha, window)
    return frame.assign(shift=shifts, change=changes)


def change_points(
    samples: list[tuple[float, ...]], threshold: float, alpha: float, window: int
) -> tuple[list[float], list[bool]]:
    """Per run: the step ratio to the runs before it, and whether that step is a change point."""
    shifts = [math.nan] * len(samples)
    candidate = [False] * len(samples)
    for i in range(1, len(samples)):
        left = [x for s in samples[max(0, i - window) : i] for x in s]
        right = [x for s in samples[i : i + window] for x in s]
        if not left or not right or not samples[i]:
            continue
        shifts[i] = float(np.median(right) / np.median(left)) if np.median(left) else math.nan
        big = abs(math.log(shifts[i])) > math.log1p(threshold) if shifts[i] > 0 else False
        candidate[i] = big and _significant(left, right, alpha)
    return shifts, _local_maxima(shifts, candidate)


def _significant(left: list[float], right: list[float], alpha: float) -> bool:
    if len(set(left) | set(right)) < 2:
        return False
    return bool(mannwhitneyu(left, right, alternative="two-sided").pvalue < alpha)


def _local_maxima(shifts: list[float], candidate: list[bool]) -> list[bool]:
    """Of each run of adjacent candidates, keep the one with the largest step."""
    marked = [False] * len(shifts)
    i = 0
    while i < len(shifts):
        if not candidate[i]:
            i += 1
            continue
        j = i
        while j + 1 < len(shifts) and candidate[j + 1]:
            j += 1
        best = max(range(i, j + 1), key=lambda k: abs(math.log(shifts[k])))
        marked[best] = True
        i = j + 1
    return marked
