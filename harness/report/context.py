"""What a report may point at besides the comparison: its plots, and where CI uploaded them."""

from __future__ import annotations

import re
from dataclasses import dataclass

from harness.errors import InputError
from harness.plots import PlotSet

_URL = re.compile(r"https?://[^\s<>()\"'`\\]+")


@dataclass(frozen=True)
class ReportContext:
    """``plots`` written for this comparison (paths as the report should show them), and
    ``artifact_url``: the page of the CI artifact holding the results, plots and reports."""

    plots: PlotSet | None = None
    artifact_url: str | None = None

    def __post_init__(self) -> None:
        if self.artifact_url is not None and not _URL.fullmatch(self.artifact_url):
            raise InputError(
                f"--artifact-url: expected an http(s) URL without spaces or brackets, "
                f"got {self.artifact_url!r}"
            )
