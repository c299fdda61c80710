"""The cells every report shows, formatted once: one row per verdict, most severe first."""

from __future__ import annotations

import math
from dataclasses import dataclass

from harness.compare import Comparison, Status, Verdict
from harness.format import UNIT_SCALES, format_value

STATUS_MARK = {
    Status.FAILED: "✖",
    Status.REGRESSED: "▲",
    Status.UNCERTAIN: "?",
    Status.WORSE: "△",
    Status.MISSING: "−",
    Status.NEW: "+",
    Status.IMPROVED: "▼",
    Status.BETTER: "▽",
    Status.UNCHANGED: "·",
}


@dataclass(frozen=True)
class Row:
    """Display strings of one verdict."""

    status: Status
    benchmark: str
    metric: str
    baseline: str
    current: str
    change: str
    ratio: str
    p_value: str
    note: str


def rows(comparison: Comparison) -> list[Row]:
    return [row(v) for v in comparison.sorted_verdicts()]


def row(v: Verdict) -> Row:
    return Row(
        status=v.status,
        benchmark=v.benchmark,
        metric=v.metric or "",
        baseline=_value(v.baseline_median, v.unit),
        current=_value(v.current_median, v.unit),
        change=change(v),
        ratio=ratio_with_ci(v),
        p_value=p_value(v.p_value),
        note=v.reason,
    )


def _value(value: float | None, unit: str) -> str:
    if value is None:
        return ""
    if unit in UNIT_SCALES or unit in ("count", "unit", ""):
        return format_value(value, unit)
    number = f"{value:,.0f}" if abs(value) >= 1e4 else f"{value:.4g}"
    return f"{number} {unit}"


def change(v: Verdict) -> str:
    """The signed relative change of the metric's median (current vs baseline)."""
    if v.baseline_median is None or v.current_median is None:
        return ""
    if v.baseline_median == 0:
        return "±0%" if v.current_median == 0 else "n/a"
    delta = v.current_median / v.baseline_median - 1.0
    return "±0%" if abs(delta) < 5e-4 else f"{delta:+.1%}"


def ratio_with_ci(v: Verdict) -> str:
    """The bad-direction ratio (above 1 is worse) and, for sampled metrics, its CI."""
    if v.ratio is None:
        return ""
    text = _ratio(v.ratio)
    if v.ci_low is not None and v.ci_high is not None:
        text += f" [{_ratio(v.ci_low)}, {_ratio(v.ci_high)}]"
    return text


def _ratio(value: float) -> str:
    return "inf" if math.isinf(value) else f"{value:.2f}"


def p_value(value: float | None) -> str:
    if value is None:
        return ""
    return "<0.0001" if value < 1e-4 else f"{value:.4f}"


def counts_line(comparison: Comparison) -> str:
    """``1 regressed · 3 unchanged`` in severity order, statuses with a zero count left out;
    how many uncertain verdicts another metric settles (``Comparison.settled_elsewhere``)."""
    counts = comparison.counts()
    settled = sum(map(comparison.settled_elsewhere, comparison.verdicts))
    note = f" ({settled} of them CPU-bound times whose instruction counts judge them)"
    parts = [
        f"{counts[s]} {s.value}" + (note if s is Status.UNCERTAIN and settled else "")
        for s in Status
        if counts[s]
    ]
    return " · ".join(parts) or "nothing compared"


def title(comparison: Comparison) -> str:
    return f"{comparison.current.run_id} vs baseline {comparison.baseline.run_id}"


def policy_line(comparison: Comparison) -> str:
    p = comparison.policy
    text = f"threshold {p.threshold:.0%}, α={p.alpha:g}, CI {p.confidence:.0%}"
    if comparison.rounds:
        text += f", {comparison.rounds} confirmation round(s) of {len(comparison.remeasured)}"
        text += " benchmark(s)"
    return text
