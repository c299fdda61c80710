"""``bench history BENCHMARK_ID``: one benchmark's metric across stored results."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import click
import pandas as pd
from rich.table import Table

from harness.atomic import write_atomic
from harness.cli.compare import FRACTION
from harness.cli.options import results_dir_option, writable_file
from harness.cli.output import show
from harness.errors import EXIT_OK
from harness.format import format_value
from harness.history import load_runs, metric_history


def _table(benchmark_id: str, metric: str, frame: pd.DataFrame, unit: str) -> Table:
    table = Table(title=f"{benchmark_id} · {metric}", title_justify="left")
    for name in ("run", "start", "commit", "n", "median", "95% CI", "step", "change"):
        table.add_column(name, justify="left" if name in ("run", "start", "commit") else "right")
    records: list[Any] = list(frame.itertuples())  # rows with the columns harness.history made
    for row in records:
        ok = not math.isnan(row.median)
        table.add_row(
            row.run_id,
            str(row.start_time or ""),
            row.commit,
            str(row.n) if ok else row.status,
            format_value(row.median, unit) if ok else "",
            f"{format_value(row.ci_low, unit)} – {format_value(row.ci_high, unit)}" if ok else "",
            "" if math.isnan(row.shift) else f"{row.shift - 1:+.1%}",
            "[bold red]◆ change[/]" if row.change else "",
        )
    return table


@click.command("history")
@click.argument("benchmark_id")
@click.option("--metric", default="time", show_default=True)
@results_dir_option
@click.option(
    "--threshold",
    type=FRACTION,
    default=0.2,
    show_default="20%",
    help="Smallest step marked as a change.",
)
@click.option(
    "--alpha",
    type=click.FloatRange(0.0, 0.5, min_open=True, max_open=True),
    default=0.01,
    show_default=True,
)
@click.option(
    "--window",
    type=click.IntRange(1, 50),
    default=3,
    show_default=True,
    help="Runs pooled on each side of a step.",
)
@click.option(
    "--csv",
    "csv_path",
    type=click.Path(dir_okay=False, path_type=Path),
    callback=writable_file,
    help="Also write the table as CSV.",
)
def history_command(
    benchmark_id: str,
    metric: str,
    results_dir: Path,
    threshold: float,
    alpha: float,
    window: int,
    csv_path: Path | None,
) -> int:
    """Show BENCHMARK_ID's METRIC in every stored result, oldest first, change points marked."""
    runs = load_runs(results_dir)
    frame = metric_history(benchmark_id, runs, metric, threshold, alpha, window)
    unit = next(
        (
            m.unit
            for r in runs
            for b in r.benchmarks
            if b.id == benchmark_id
            for m in b.metrics
            if m.name == metric
        ),
        "",
    )
    show(_table(benchmark_id, metric, frame, unit))
    if csv_path is not None:
        write_atomic(csv_path, frame.to_csv(index=False))
        click.echo(f"csv: {csv_path}", err=True)
    return EXIT_OK
