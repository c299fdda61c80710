"""A pandas view of results: one row per (benchmark, metric, sample)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from harness.records import RunResult

if TYPE_CHECKING:
    import pandas as pd

COLUMNS = (
    "run_id", "commit", "benchmark", "name", "metric", "unit", "direction", "kind", "status",
    "sample", "value",
)  # fmt: skip


def to_dataframe(runs: RunResult | Iterable[RunResult]) -> pd.DataFrame:
    """Long-format DataFrame of every sample; failed benchmarks appear once with no value."""
    import pandas as pd

    runs = [runs] if isinstance(runs, RunResult) else list(runs)
    rows: list[tuple[Any, ...]] = []
    for run in runs:
        commit = run.meta.commit
        for bench in run.benchmarks:
            base = (run.run_id, commit, bench.id, bench.name)
            if not bench.ok:
                rows.append((*base, None, None, None, None, bench.status, None, None))
            for m in bench.metrics:
                for i, value in enumerate(m.samples):
                    rows.append(
                        (*base, m.name, m.unit, m.direction, m.kind, bench.status, i, value)
                    )
    return pd.DataFrame(rows, columns=list(COLUMNS))
