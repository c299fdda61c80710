"""The Markdown report as GitHub shows it: commits named, regressions first, no image links,
text from results inert; and the ``::error`` annotations for the job's log."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from harness.compare import Comparison, Policy, Status, Verdict, judge
from harness.meta import GitInfo
from harness.plots import PlotSet
from harness.records import Kind
from harness.report import ReportContext, render
from harness.report.github import escape_property
from harness.report.markdown import code, text
from tests.harness.compare.factory import bench, counter, run, timed

HOSTILE_ID = "evil.<script>alert(1)</script>.time_x(a='|`x`|')"
HOSTILE_ERROR = "boom <img src=x onerror=alert(2)> [link](javascript:alert(3)) **bold**"


def github_html(markdown: str) -> str:
    """Markdown to HTML as GitHub's renderer would: CommonMark, GFM tables, raw HTML allowed."""
    return (
        MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"]).render(markdown)
    )


@pytest.fixture
def hostile() -> Comparison:
    git = GitInfo("a" * 40, "x", False, "<b>bold</b> & $x$")
    base = run("base", timed(HOSTILE_ID, 1, 0.01), timed("fine.time_y", 2, 0.01), git=git)
    current = run(
        "head",
        bench(HOSTILE_ID, counter("requests", 9), status="failed", error=HOSTILE_ERROR),
        timed("fine.time_y", 3, 0.01),
        git=git,
    )
    return judge(base, current, Policy())


def test_ids_errors_and_subjects_from_results_come_out_inert(hostile: Comparison) -> None:
    page = github_html(render("markdown", hostile))
    for tag in ("<script", "<img", "<b>", "<a "):
        assert tag not in page, tag
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page  # shown as text, whole
    assert "<em>" not in page and "<strong>bold" not in page


def test_a_pipe_or_backtick_in_an_id_keeps_the_table_and_the_code_span(hostile: Comparison) -> None:
    fine = [v for v in hostile.verdicts if v.benchmark == "fine.time_y"]
    unchanged = replace(hostile, verdicts=tuple(replace(v, benchmark=HOSTILE_ID) for v in fine))
    page = github_html(render("markdown", unchanged))
    rows = re.findall(r"<tr>\s*<td>.*?</tr>", page, re.S)
    assert len(rows) == 2  # time and requests
    for row in rows:
        assert row.count("<td") == 8  # the | in the id did not add a cell
        assert "<code>evil.&lt;script&gt;alert(1)&lt;/script&gt;.time_x(a='|`x`|')</code>" in row


def test_code_and_text_escape_as_commonmark_needs() -> None:
    assert code("a`b") == "``a`b``"
    assert code("`x`") == "`` `x` ``"
    assert code("a|b\nc") == "`a\\|b c`"
    assert text("<i>*x*</i> & [y]") == "\\<i\\>\\*x\\*\\</i\\> \\& \\[y\\]"


def test_the_summary_names_both_commits_and_puts_regressions_first(
    comparison: Comparison,
) -> None:
    report = render("markdown", comparison)
    assert report.startswith("## Benchmarks: head `4f2a9c1` vs base `9b8e7d6`\n")
    assert "- **head** `4f2a9c1` Cache job pages\n- **base** `9b8e7d6` Merge #41: retries" in report
    sections = re.findall(r"^### (.+)$", report, re.M)
    assert sections == [
        "▲ Regressed", "? Uncertain", "△ Worse, by less than the threshold", "✖ Failed",
        "Missing or new",
    ]  # fmt: skip
    (why,) = [line for line in report.splitlines() if line.startswith("- `fetch.Pages")]
    assert why.endswith("settle it: bench run --against 9b8e7d6c5b4a")
    assert "runs: head `20260102T000000000000Z`, base `20260101T000000000000Z`" in report


def test_no_image_links_even_with_plots_and_the_artifact_is_linked(
    comparison: Comparison, tmp_path: Path
) -> None:
    plots = PlotSet(summary=tmp_path / "run" / "plots" / "summary.png")
    local = render("markdown", comparison, plots)
    assert "![" not in local and "plots: 1 PNG files in `" in local
    url = "https://github.com/o/r/actions/runs/1/artifacts/2"
    linked = render("markdown", comparison, plots, url)
    assert "![" not in linked
    assert f"[artifact](<{url}>)" in linked
    assert f'<a href="{url}">artifact</a>' in github_html(linked)


@pytest.mark.parametrize("url", ["javascript:alert(1)", "https://x.invalid/a b", "https://x/)"])
def test_an_artifact_url_that_is_not_a_plain_http_url_is_refused(url: str) -> None:
    with pytest.raises(Exception, match="--artifact-url"):
        ReportContext(artifact_url=url)


def test_one_error_annotation_per_regressed_or_failed_benchmark(comparison: Comparison) -> None:
    assert render("github", comparison).splitlines() == [
        "::error title=cache.Get.time_get(backend='file')::time +57.1%25 (10.2 ms → 16 ms), "
        "ratio 1.57, CI [1.52, 1.65], p<0.0001",
        "::error title=fetch.Pages.time_pages::requests +8.3%25 (12 → 13), ratio 1.08",
        "::error title=flaky.Crash.time_crash::failed: RuntimeError: worker died",
    ]


def test_annotations_cannot_be_broken_or_forged(hostile: Comparison) -> None:
    forged = replace(
        hostile,
        verdicts=tuple(replace(v, reason="x\n::error::forged, 100%") for v in hostile.verdicts),
    )
    lines = render("github", forged).splitlines()
    assert len(lines) == 1 and lines[0].startswith("::error title=evil.<script>")
    assert lines[0].endswith("failed: x%0A::error::forged, 100%25")
    assert escape_property("a:b,c%\n") == "a%3Ab%2Cc%25%0A"


def test_uncertain_times_that_their_counts_judge_are_folded_and_counted_apart() -> None:
    def time(bench_id: str, judged_by: str | None) -> Verdict:
        why = "CPU-bound: its count judges it" if judged_by else "too few processes"
        moved = {"ratio": 1.3, "baseline_median": 1.0, "current_median": 1.3}
        return Verdict(
            bench_id, "time", Status.UNCERTAIN, why, Kind.SAMPLED, "s", judged_by=judged_by, **moved
        )

    count = Verdict("a.time_cpu", "instructions", Status.UNCHANGED, "", Kind.DETERMINISTIC)
    verdicts = (time("a.time_cpu", "instructions"), count, time("b.time_wait", None))
    comparison = Comparison(run("base"), run("head"), Policy(), verdicts)
    report = render("markdown", comparison)
    assert "**2 uncertain (1 of them CPU-bound times whose instruction counts judge them)" in report
    uncertain = report.split("### ? Uncertain")[1].split("<details>")[0]
    assert "b.time_wait" in uncertain and "a.time_cpu" not in uncertain
    fold = report.split("<summary>1 uncertain CPU-bound times, judged by their instruction counts")
    assert "`a.time_cpu` | time | 1 s | 1.3 s | +30.0%" in fold[1].split("</details>")[0]
    console = [line for line in render("console", comparison).splitlines() if "uncertain" in line]
    assert ["b.time_wait" in console[0], "a.time_cpu" in console[1]] == [True, True]
