"""JSON report: the verdicts and the policy, in a versioned format.

Format history (bump FORMAT_VERSION on every change):
  1 — first version: runs, policy, warnings, confirmation, verdicts, exit codes.
  2 — verdicts gain ``level`` ("samples" or "processes": what the statistics were computed on);
      the policy gains ``run_noise``, ``min_processes`` and ``process_statistic``.
  3 — verdicts gain ``capped`` (why measuring again cannot settle it, or null) and
      ``judged_by`` (the metric that judges it instead, or null), and ``settled_elsewhere``
      (true for an uncertain verdict that its ``judged_by`` metric settles).
"""

from __future__ import annotations

import json
import math
from dataclasses import asdict
from typing import Any

from harness.compare import Comparison, Verdict
from harness.compare.model import FailOn
from harness.plots import PlotSet
from harness.records import RunResult
from harness.report.context import ReportContext

FORMAT_NAME = "bench-comparison"
FORMAT_VERSION = 3


def _finite(value: Any) -> Any:
    """JSON has no infinity: a non-finite number becomes null."""
    return None if isinstance(value, float) and not math.isfinite(value) else value


def _verdict(v: Verdict, comparison: Comparison) -> dict[str, Any]:
    fields = {k: _finite(val) for k, val in asdict(v).items()}
    return fields | {"status": v.status.value, "settled_elsewhere": comparison.settled_elsewhere(v)}


def _run(run: RunResult) -> dict[str, Any]:
    meta = run.meta
    return {
        "run_id": run.run_id,
        "complete": run.complete,
        "start_time": meta.start_time,
        "git": asdict(meta.git),
        "machine": asdict(meta.machine),
        "python": asdict(meta.python),
    }


def to_dict(comparison: Comparison, plots: PlotSet | None = None) -> dict[str, Any]:
    policy = comparison.policy
    return {
        "format": FORMAT_NAME,
        "format_version": FORMAT_VERSION,
        "baseline": _run(comparison.baseline),
        "current": _run(comparison.current),
        "policy": {
            "threshold": policy.threshold,
            "alpha": policy.alpha,
            "confidence": policy.confidence,
            "benchmark_thresholds": {k: dict(v) for k, v in policy.benchmark_thresholds.items()},
            "metric_thresholds": dict(policy.metric_thresholds),
            "allow_env_mismatch": policy.allow_env_mismatch,
            "run_noise": policy.run_noise,
            "min_processes": policy.min_processes,
            "process_statistic": policy.process_statistic,
        },
        "counts": {s.value: n for s, n in comparison.counts().items()},
        "exit_code": {
            "regression": comparison.exit_code(FailOn.REGRESSION),
            "missing": comparison.exit_code(FailOn.MISSING),
            "uncertain": comparison.exit_code(FailOn.UNCERTAIN),
        },
        "warnings": list(comparison.warnings),
        "rounds": comparison.rounds,
        "remeasured": list(comparison.remeasured),
        "verdicts": [_verdict(v, comparison) for v in comparison.sorted_verdicts()],
        "plots": [p.as_posix() for p in plots.all()] if plots else [],
    }


def render(comparison: Comparison, context: ReportContext) -> str:
    return json.dumps(to_dict(comparison, context.plots), indent=1, ensure_ascii=False) + "\n"
