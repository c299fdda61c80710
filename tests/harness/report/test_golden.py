"""Golden files lock the console, Markdown and JUnit output.

Regenerate after an intended change, then review the diff:
    BENCH_UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/harness/report/test_golden.py
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from harness.compare import Comparison, Status
from harness.report import FORMATS, render
from tests.golden import check_golden

GOLDEN = Path(__file__).parent / "golden"


@pytest.mark.parametrize(
    ("fmt", "name"), [("console", "console.txt"), ("markdown", "report.md"), ("junit", "junit.xml")]
)
def test_output_matches_golden(fmt: str, name: str, comparison: Comparison) -> None:
    check_golden(GOLDEN / name, render(fmt, comparison))


def test_the_sample_covers_every_status(comparison: Comparison) -> None:
    assert {v.status for v in comparison.verdicts} == set(Status)


def test_console_is_sorted_by_severity(comparison: Comparison) -> None:
    lines = [line for line in render("console", comparison).splitlines() if "│" in line]
    order = [s.value for s in Status]
    seen = [
        next(s for s in order if f" {s} " in line)
        for line in lines
        if any(f" {s} " in line for s in order)
    ]
    assert seen == sorted(seen, key=order.index)


def test_console_has_one_line_per_verdict_whatever_the_width(comparison: Comparison) -> None:
    rows = [line for line in render("console", comparison).splitlines() if line.startswith("│")]
    assert len(rows) == len(comparison.verdicts)
    assert any(
        line.rstrip("│ ").endswith("bench run --against 9b8e7d6c5b4a") for line in rows
    )  # uncut


def test_junit_has_one_case_per_benchmark_and_regressions_fail(comparison: Comparison) -> None:
    root = ET.fromstring(render("junit", comparison))
    suite = root.find("testsuite")
    cases = {c.get("name"): c for c in suite.iter("testcase")}
    assert sorted(cases) == sorted(comparison.benchmark_ids())
    assert cases["cache.Get.time_get(backend='file')"].find("failure") is not None
    assert cases["flaky.Crash.time_crash"].find("error") is not None
    assert cases["cache.Get.time_get(backend='redis')"].find("failure") is None
    assert suite.get("failures") == "2" and suite.get("errors") == "1"


def test_json_is_versioned_and_complete(comparison: Comparison) -> None:
    document = json.loads(render("json", comparison))
    assert (document["format"], document["format_version"]) == ("bench-comparison", 3)
    assert len(document["verdicts"]) == len(comparison.verdicts)
    assert document["exit_code"]["regression"] == 3


def test_every_format_renders(comparison: Comparison) -> None:
    for fmt in FORMATS:
        assert render(fmt, comparison).strip()
