"""Markdown report: for a pull-request comment or ``$GITHUB_STEP_SUMMARY``.

Plots are referenced by the paths in ``plots`` (make them relative to where the Markdown file
will live with ``PlotSet.relative_to``); nothing is embedded.
"""

from __future__ import annotations

from harness.compare import Comparison, Status
from harness.plots import PlotSet
from harness.report.rows import STATUS_MARK, Row, counts_line, policy_line, rows, title

HEADER = ("", "benchmark", "metric", "baseline", "current", "change", "ratio [CI]", "p", "note")
NOTABLE = (Status.FAILED, Status.REGRESSED, Status.UNCERTAIN, Status.MISSING, Status.NEW)


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _line(cells: tuple[str, ...]) -> str:
    return "| " + " | ".join(_cell(c) for c in cells) + " |"


def _table(found: list[Row]) -> list[str]:
    lines = [_line(HEADER), "|" + "|".join(["---"] * 3 + ["--:"] * 5 + ["---"]) + "|"]
    for r in found:
        mark = f"{STATUS_MARK[r.status]} **{r.status.value}**"
        cells = (r.benchmark, r.metric, r.baseline, r.current, r.change, r.ratio, r.p_value)
        lines.append(
            _line((mark, *(f"`{c}`" if i == 0 else c for i, c in enumerate(cells)), r.note))
        )
    return lines


def _plots(comparison: Comparison, plots: PlotSet) -> list[str]:
    lines = []
    if plots.summary:
        lines += ["", f"![summary of ratios]({plots.summary.as_posix()})"]
    shown = [b for b in comparison.benchmark_ids() if b in plots.benchmarks]
    notable = [b for b in shown if comparison.benchmark_status(b) in NOTABLE]
    if plots.sweeps or shown:
        lines += ["", "<details><summary>Plots</summary>", ""]
        lines += [f"![{k}]({v.as_posix()})" for k, v in plots.sweeps.items()]
        lines += [f"![{b}]({plots.benchmarks[b].as_posix()})" for b in notable or shown]
        lines += ["", "</details>"]
    return lines


def render(comparison: Comparison, plots: PlotSet | None = None) -> str:
    """Notable verdicts in one table, the unchanged and improved ones folded away."""
    found = rows(comparison)
    head = [r for r in found if r.status in NOTABLE]
    rest = [r for r in found if r.status not in NOTABLE]
    lines = [
        f"## Benchmarks: {title(comparison)}",
        "",
        f"**{counts_line(comparison)}** ({policy_line(comparison)})",
    ]
    lines += ["", *(f"> ⚠️ {w}" for w in comparison.warnings)] if comparison.warnings else []
    if head:
        lines += ["", *_table(head)]
    if rest:
        lines += ["", f"<details><summary>{len(rest)} improved or unchanged</summary>", ""]
        lines += [*_table(rest), "", "</details>"]
    if plots:
        lines += _plots(comparison, plots)
    return "\n".join(lines) + "\n"
