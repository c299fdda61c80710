"""Exporters of a comparison: one small module per format behind one interface.

Each format's ``render(comparison, context) -> str`` returns the whole document; where it goes
(stdout, a file, a PR comment) is the caller's business. The context holds what a report may
point at: the plots written for it and the CI artifact they were uploaded in.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from harness.compare import Comparison
from harness.plots import PlotSet
from harness.report import console, github, htmlpage, jsondoc, junit, markdown
from harness.report.context import ReportContext


@dataclass(frozen=True)
class Exporter:
    """A report format: its name, the usual file suffix, and its renderer."""

    name: str
    suffix: str
    render: Callable[[Comparison, ReportContext], str]
    wants_plots: bool = False


EXPORTERS: dict[str, Exporter] = {
    "console": Exporter("console", ".txt", console.render),
    "markdown": Exporter("markdown", ".md", markdown.render, wants_plots=True),
    "json": Exporter("json", ".json", jsondoc.render),
    "junit": Exporter("junit", ".xml", junit.render),
    "html": Exporter("html", ".html", htmlpage.render, wants_plots=True),
    "github": Exporter("github", ".txt", github.render),
}
FORMATS = tuple(EXPORTERS)


def render(
    fmt: str,
    comparison: Comparison,
    plots: PlotSet | None = None,
    artifact_url: str | None = None,
) -> str:
    """The report of ``comparison`` in format ``fmt`` (one of ``FORMATS``)."""
    return EXPORTERS[fmt].render(comparison, ReportContext(plots, artifact_url))


__all__ = ["EXPORTERS", "FORMATS", "Exporter", "ReportContext", "render"]
