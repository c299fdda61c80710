"""GitHub Actions annotations: one ``::error`` workflow command per regressed or failed benchmark.

Printed to a step's log, each becomes an annotation on the run's page, titled by the benchmark,
its message the metric, the change and the CI. Values are escaped as the Actions toolkit
escapes them (``%``, CR and LF in the message; also ``:`` and ``,`` in the title), so text from a
result can neither break the line nor start another command.
"""

from __future__ import annotations

from harness.compare import Comparison, Status, Verdict
from harness.report.context import ReportContext
from harness.report.rows import row


def escape_data(value: str) -> str:
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(value: str) -> str:
    return escape_data(value).replace(":", "%3A").replace(",", "%2C")


def _moved(v: Verdict) -> str:
    """``time +57.1% (10.2 ms → 16 ms), ratio 1.57, CI [1.52, 1.65], p<0.0001``."""
    r = row(v)
    head = f"{r.metric} {r.change}".strip()
    if r.baseline or r.current:
        head += f" ({r.baseline} → {r.current})"
    ratio, _, ci = r.ratio.partition(" ")
    p = r.p_value if r.p_value.startswith("<") else f"={r.p_value}"
    parts = [head, f"ratio {ratio}" if ratio else "", f"CI {ci}" if ci else ""]
    parts.append(f"p{p}" if r.p_value else "")
    return ", ".join(part for part in parts if part)


def _message(comparison: Comparison, bench_id: str) -> str:
    verdicts = [v for v in comparison.sorted_verdicts() if v.benchmark == bench_id]
    if comparison.benchmark_status(bench_id) is Status.FAILED:
        return f"failed: {verdicts[0].reason}"
    return "; ".join(_moved(v) for v in verdicts if v.status is Status.REGRESSED)


def render(comparison: Comparison, context: ReportContext) -> str:
    """One line per benchmark that regressed or failed; empty when none did."""
    bad = (Status.FAILED, Status.REGRESSED)
    lines = [
        f"::error title={escape_property(bench_id)}::{escape_data(_message(comparison, bench_id))}"
        for bench_id in comparison.benchmark_ids()
        if comparison.benchmark_status(bench_id) in bad
    ]
    return "".join(f"{line}\n" for line in sorted(lines))
