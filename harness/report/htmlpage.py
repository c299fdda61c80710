"""HTML report: one self-contained page, plots embedded as base64 PNG data URIs."""

from __future__ import annotations

import base64
from html import escape
from pathlib import Path

from harness.compare import Comparison
from harness.plots import PlotSet
from harness.report.context import ReportContext
from harness.report.rows import STATUS_MARK, counts_line, policy_line, rows, title

STYLE = """
body{font-family:system-ui,sans-serif;margin:2em;color:#222}
table{border-collapse:collapse;font-size:13px}
th,td{border-bottom:1px solid #ddd;padding:4px 8px;text-align:right;white-space:nowrap}
th{background:#f4f4f4}td.l,th.l{text-align:left;white-space:normal}
.failed,.regressed{color:#c62828;font-weight:bold}.uncertain,.worse{color:#e65100}
.improved,.better{color:#2e7d32}.new{color:#00838f}.missing{color:#6a1b9a}.unchanged{color:#777}
.warn{background:#fff3e0;border-left:4px solid #e65100;padding:4px 8px;margin:4px 0}
figure{display:inline-block;margin:8px}img{max-width:100%}
"""
COLUMNS = (
    "status",
    "benchmark",
    "metric",
    "baseline",
    "current",
    "change",
    "ratio [CI]",
    "p",
    "note",
)


def data_uri(path: Path) -> str:
    """The PNG at ``path`` as a data URI, so the page needs no other file."""
    return "data:image/png;base64," + base64.b64encode(path.read_bytes()).decode("ascii")


def _table(comparison: Comparison) -> str:
    left = ("status", "benchmark", "metric", "note")
    head = "".join(f'<th class="{"l" if c in left else ""}">{c}</th>' for c in COLUMNS)
    body = []
    for r in rows(comparison):
        status = f'<td class="l {r.status.value}">{STATUS_MARK[r.status]} {r.status.value}</td>'
        cells = (r.baseline, r.current, r.change, r.ratio, r.p_value)
        body.append(
            f'<tr>{status}<td class="l">{escape(r.benchmark)}</td>'
            f'<td class="l">{escape(r.metric)}</td>'
            + "".join(f"<td>{escape(c)}</td>" for c in cells)
            + f'<td class="l">{escape(r.note)}</td></tr>'
        )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


def _figures(plots: PlotSet) -> str:
    named = ([("summary of ratios", plots.summary)] if plots.summary else []) + [
        *plots.sweeps.items(),
        *plots.benchmarks.items(),
    ]
    return "".join(
        f'<figure><img alt="{escape(name)}" src="{data_uri(path)}">'
        f"<figcaption>{escape(name)}</figcaption></figure>"
        for name, path in named
    )


def render(comparison: Comparison, context: ReportContext) -> str:
    plots = context.plots
    warnings = "".join(f'<div class="warn">{escape(w)}</div>' for w in comparison.warnings)
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f"<title>bench: {escape(title(comparison))}</title><style>{STYLE}</style></head><body>"
        f"<h1>Benchmarks: {escape(title(comparison))}</h1>"
        f"<p><b>{escape(counts_line(comparison))}</b> ({escape(policy_line(comparison))})</p>"
        f"{warnings}{_table(comparison)}"
        f"{'<h2>Plots</h2>' + _figures(plots) if plots else ''}"
        "</body></html>\n"
    )
