"""The JSON report: the versioned dict form of the result (``format_version`` first)."""

from __future__ import annotations

import json

from analyzer.records import AnalysisResult, result_to_dict


def format_json(result: AnalysisResult) -> str:
    """Pretty, stable JSON of ``result`` ending with a newline."""
    return json.dumps(result_to_dict(result), indent=2) + "\n"
