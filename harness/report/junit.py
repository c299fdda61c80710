"""JUnit XML report: one test case per benchmark; regressions are failures, failed benchmarks
errors, and uncertain, new or missing ones pass with the reason in their output."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from harness.compare import Comparison, Status, Verdict
from harness.records import Kind
from harness.report.context import ReportContext
from harness.report.rows import ratio_with_ci, row

SUITE = "bench"


def _describe(v: Verdict) -> str:
    r = row(v)
    parts = [f"{v.metric or 'benchmark'}: {v.status.value}"]
    if r.baseline or r.current:
        parts.append(f"{r.baseline} → {r.current} ({r.change})")
    if v.ratio is not None:
        parts.append(f"ratio {ratio_with_ci(v)}")
    if v.p_value is not None:
        parts.append(f"p={r.p_value}")
    if v.threshold is not None and v.kind is Kind.SAMPLED:
        parts.append(f"threshold {v.threshold:.0%}")
    return ", ".join(parts) + (f" — {v.reason}" if v.reason else "")


def _case(comparison: Comparison, bench_id: str) -> ET.Element:
    verdicts = [v for v in comparison.sorted_verdicts() if v.benchmark == bench_id]
    classname = bench_id.split("(", 1)[0].rsplit(".", 1)[0]
    case = ET.Element("testcase", name=bench_id, classname=classname, time="0")
    status = comparison.benchmark_status(bench_id)
    if status is Status.FAILED:
        ET.SubElement(case, "error", message=verdicts[0].reason, type="failed")
    elif status is Status.REGRESSED:
        bad = [_describe(v) for v in verdicts if v.status is Status.REGRESSED]
        failure = ET.SubElement(case, "failure", message="; ".join(bad), type="regressed")
        failure.text = "\n".join(_describe(v) for v in verdicts)
    else:
        ET.SubElement(case, "system-out").text = "\n".join(_describe(v) for v in verdicts)
    return case


def render(comparison: Comparison, context: ReportContext) -> str:
    ids = comparison.benchmark_ids()
    statuses = [comparison.benchmark_status(i) for i in ids]
    suite = ET.Element(
        "testsuite",
        name=SUITE,
        tests=str(len(ids)),
        failures=str(statuses.count(Status.REGRESSED)),
        errors=str(statuses.count(Status.FAILED)),
        skipped="0",
        timestamp=comparison.current.meta.start_time,
    )
    properties = ET.SubElement(suite, "properties")
    for name, value in (
        ("baseline", comparison.baseline.run_id),
        ("current", comparison.current.run_id),
        ("threshold", f"{comparison.policy.threshold:g}"),
        ("alpha", f"{comparison.policy.alpha:g}"),
    ):
        ET.SubElement(properties, "property", name=name, value=value)
    for bench_id in sorted(ids):
        suite.append(_case(comparison, bench_id))
    if comparison.warnings:
        ET.SubElement(suite, "system-err").text = "\n".join(comparison.warnings)
    root = ET.Element("testsuites", name=SUITE)
    root.append(suite)
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
