"""``bench export``: a result in a format other tools read (Bencher, github-action-benchmark,
pytest-benchmark)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from harness.atomic import write_atomic
from harness.baselines import resolve
from harness.cli.options import baselines_dir_option, output_option
from harness.export import FORMATS, ExportOptions, export
from harness.export.gab import TOOL
from harness.records import Direction


@click.command("export")
@click.argument("result")
@click.option("--format", "fmt", type=click.Choice(FORMATS), required=True, help="The format.")
@click.option(
    "--direction",
    type=click.Choice([d.value for d in Direction]),
    default=Direction.LOWER.value,
    show_default=True,
    help=(
        "gab: export the metrics where this direction is better (lower: the action's "
        "customSmallerIsBetter tool; higher: customBiggerIsBetter)."
    ),
)
@output_option
@baselines_dir_option
def export_command(
    result: str, fmt: str, direction: str, output: Path | None, baselines_dir: Path
) -> None:
    """Write RESULT (a result file or baseline name) as FORMAT.

    \b
      bmf               Bencher Metric Format (bencher run --adapter json --file FILE)
      gab               github-action-benchmark, tool customSmallerIsBetter (or, with
                        --direction higher, customBiggerIsBetter)
      pytest-benchmark  pytest-benchmark's JSON (pytest-benchmark compare FILE)
    """
    run = resolve(result, baselines_dir)
    chosen = Direction(direction)
    text = export(fmt, run, ExportOptions(chosen))
    if output is None:
        sys.stdout.write(text)
    else:
        write_atomic(output, text)
        click.echo(f"{fmt}: {output}", err=True)
    if fmt == "gab":
        other = Direction.HIGHER if chosen is Direction.LOWER else Direction.LOWER
        left = sum(1 for b in run.benchmarks for m in b.metrics if m.direction is other)
        if left:
            click.echo(
                f"gab: {left} metric(s) where {other.value} is better are in another file: "
                f"--direction {other.value} (tool: {TOOL[other]})",
                err=True,
            )
