"""Markdown report: for ``$GITHUB_STEP_SUMMARY`` or a pull-request comment.

It reads on GitHub as it is: the two commits by short hash and subject, regressions first,
uncertain verdicts next with one line on why (those another metric settles folded), the rest
folded away. It links no images (a job
summary cannot reach files on the runner): plots are named by folder, or reached through the
CI artifact's page when its URL is known (``ReportContext.artifact_url``).

Everything taken from results (ids, reasons, commit subjects) is escaped, so an id such as
``x<script>`` is shown as text and never becomes markup.
"""

from __future__ import annotations

import re

from harness.compare import Comparison, Status
from harness.records import RunResult
from harness.report.context import ReportContext
from harness.report.rows import STATUS_MARK, Row, counts_line, policy_line, row

SHORT_SHA = 7  # as GitHub abbreviates commits
SUBJECT_CHARS = 72  # a commit subject's conventional width; longer ones are cut with …
TABLE_HEADER = ("benchmark", "metric", "base", "head", "change", "ratio [CI]", "p")
TABLE_ALIGN = "|" + "|".join(["---"] * 2 + ["--:"] * 5) + "|"
OTHER = (Status.MISSING, Status.NEW)
FOLDED = (Status.IMPROVED, Status.BETTER, Status.UNCHANGED)
# Characters with a meaning in GitHub's Markdown (and raw HTML) outside code spans.
_ACTIVE = re.compile(r"([\\`*_\[\]<>|&~$])")


def text(value: str) -> str:
    """``value`` as inert Markdown text on one line: every active character escaped."""
    return _ACTIVE.sub(r"\\\1", " ".join(value.split()))


def code(value: str) -> str:
    """``value`` as an inline code span on one line (a table cell may hold it: ``|`` escaped).

    The fence is one backtick longer than the longest run inside, as CommonMark wants, and
    padded when the value starts or ends with a backtick.
    """
    flat = " ".join(value.split()).replace("|", "\\|")
    longest = max((len(run) for run in re.findall(r"`+", flat)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if flat.startswith("`") or flat.endswith("`") else ""
    return f"{fence}{pad}{flat}{pad}{fence}"


def _line(cells: tuple[str, ...]) -> str:
    return "| " + " | ".join(cells) + " |"


def _table(found: list[Row], marked: bool = False) -> list[str]:
    header = ("", *TABLE_HEADER) if marked else TABLE_HEADER
    align = "|---" + TABLE_ALIGN if marked else TABLE_ALIGN
    lines = [_line(header), align]
    for r in found:
        values = (r.metric, r.baseline, r.current, r.change, r.ratio, r.p_value)
        cells = (code(r.benchmark), *map(text, values))
        mark = (f"{STATUS_MARK[r.status]} {r.status.value}",) if marked else ()
        lines.append(_line(mark + cells))
    return lines


def _why(r: Row) -> str:
    """One bullet: the benchmark, what moved, and the verdict's reason."""
    moved = ", ".join(p for p in (r.change, f"ratio {r.ratio}" if r.ratio else "") if p)
    head = f"{code(r.benchmark)} {text(r.metric)}".rstrip()
    return f"- {head}" + (f" {text(moved)}" if moved else "") + f": {text(r.note)}"


def _section(title: str, lines: list[str]) -> list[str]:
    return ["", f"### {title}", "", *lines] if lines else []


def _commit(run: RunResult) -> str:
    """``abc1234`` and the subject; the run id where the run knows no commit."""
    git = run.meta.git
    if not git.commit:
        return f"run {code(run.run_id)} (no git commit recorded)"
    label = code(git.commit[:SHORT_SHA])
    subject = git.subject or ""
    if subject:
        cut = subject if len(subject) <= SUBJECT_CHARS else subject[: SUBJECT_CHARS - 1] + "…"
        label += f" {text(cut)}"
    return label + (" (with uncommitted changes)" if git.dirty else "")


def _short(run: RunResult) -> str:
    commit = run.meta.git.commit
    return code(commit[:SHORT_SHA]) if commit else code(run.run_id)


def _header(comparison: Comparison) -> list[str]:
    head, base = comparison.current, comparison.baseline
    return [
        f"## Benchmarks: head {_short(head)} vs base {_short(base)}",
        "",
        f"- **head** {_commit(head)}",
        f"- **base** {_commit(base)}",
        "",
        f"**{counts_line(comparison)}** ({text(policy_line(comparison))})",
    ]


def _footer(comparison: Comparison, context: ReportContext) -> list[str]:
    parts = [
        f"runs: head {code(comparison.current.run_id)}, base {code(comparison.baseline.run_id)}"
    ]
    if context.artifact_url:
        parts.append(f"plots, HTML report and results: [artifact](<{context.artifact_url}>)")
    elif context.plots and context.plots.all():
        plots = context.plots.all()
        parts.append(f"plots: {len(plots)} PNG files in {code(plots[0].parent.as_posix())}")
    return ["", "---", "", " · ".join(parts)]


def render(comparison: Comparison, context: ReportContext) -> str:
    """Regressions, then uncertain verdicts with why, then failures and the rest."""
    verdicts = comparison.sorted_verdicts()
    found = [row(v) for v in verdicts]

    def having(*statuses: Status) -> list[Row]:
        return [r for r in found if r.status in statuses]

    def bullet(r: Row) -> str:
        return f"- **{r.status.value}** {code(r.benchmark)}: {text(r.note)}"

    regressed = having(Status.REGRESSED)
    lines = _header(comparison)
    for i, warning in enumerate(comparison.warnings):
        lines += ["", f"> ⚠️ {text(warning)}"] if i == 0 else [">", f"> ⚠️ {text(warning)}"]
    lines += _section("▲ Regressed", _table(regressed) if regressed else [])
    uncertain = [v for v in verdicts if v.status is Status.UNCERTAIN]
    settled = [row(v) for v in uncertain if comparison.settled_elsewhere(v)]
    lines += _section(
        "? Uncertain", [_why(row(v)) for v in uncertain if not comparison.settled_elsewhere(v)]
    )
    if settled:
        summary = f"{len(settled)} uncertain CPU-bound times, judged by their instruction counts"
        lines += ["", f"<details><summary>{summary}</summary>", ""]
        lines += [*_table(settled), "", "</details>"]
    worse = having(Status.WORSE)
    lines += _section("△ Worse, by less than the threshold", _table(worse) if worse else [])
    lines += _section("✖ Failed", [bullet(r) for r in having(Status.FAILED)])
    lines += _section("Missing or new", [bullet(r) for r in having(*OTHER)])
    rest = having(*FOLDED)
    if rest:
        lines += ["", f"<details><summary>{len(rest)} improved, better or unchanged</summary>", ""]
        lines += [*_table(rest, marked=True), "", "</details>"]
    lines += _footer(comparison, context)
    return "\n".join(lines) + "\n"
