"""Reports of an :class:`~analyzer.records.AnalysisResult`: console, JSON and Markdown.

Each formatter takes a result and returns text; where the text goes is the caller's business.
"""

from __future__ import annotations

from collections.abc import Callable

from analyzer.errors import ConfigError
from analyzer.output.console import format_console
from analyzer.output.json_report import format_json
from analyzer.output.markdown import format_markdown
from analyzer.records import AnalysisResult

FORMATTERS: dict[str, Callable[[AnalysisResult], str]] = {
    "console": format_console,
    "json": format_json,
    "markdown": format_markdown,
}


def render(result: AnalysisResult, output_format: str) -> str:
    """``result`` as text in ``output_format`` (console, json or markdown)."""
    try:
        formatter = FORMATTERS[output_format]
    except KeyError:
        raise ConfigError(
            f"OUTPUT_FORMAT must be one of {', '.join(FORMATTERS)}, got {output_format!r}"
        ) from None
    return formatter(result)


__all__ = ["FORMATTERS", "format_console", "format_json", "format_markdown", "render"]
