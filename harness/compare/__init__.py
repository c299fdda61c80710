"""Regression verdicts: judge a current run against a baseline, confirm before failing.

Entry points for callers (``bench compare``, ``bench run --compare``)::

    comparison = judge(baseline, current, Policy(threshold=0.2, alpha=0.01))
    comparison = confirm(comparison, remeasure)   # optional: remeasure(ids) -> RunResult
    code = comparison.exit_code("regression")     # 0, 1 or 3
"""

from harness.compare.confirm import Remeasure, confirm, to_confirm
from harness.compare.judge import judge
from harness.compare.model import Comparison, Status, Verdict
from harness.compare.overrides import suite_thresholds
from harness.compare.policy import DEFAULT_ALPHA, DEFAULT_THRESHOLD, Policy

__all__ = [
    "DEFAULT_ALPHA",
    "DEFAULT_THRESHOLD",
    "Comparison",
    "Policy",
    "Remeasure",
    "Status",
    "Verdict",
    "confirm",
    "judge",
    "suite_thresholds",
    "to_confirm",
]
