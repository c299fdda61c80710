"""``bench merge``: join the results of every shard of a run into one results file."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import click

from harness.results import load, save
from harness.runner import new_run_id
from harness.shard import merge


@click.command("merge")
@click.argument("shards", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Where to write the merged run (default: results/<new-run-id>.json).",
)
def merge_command(shards: tuple[Path, ...], output: Path | None) -> None:
    """Merge the result files of shards 1/N..N/N of one run into one run.

    Shards must come from the same commit, harness, Python, settings and mock configuration,
    and together hold each shard exactly once; otherwise nothing is written and the exit code
    is 2.
    """
    runs = [load(path) for path in shards]
    merged = merge(runs)
    merged = replace(merged, run_id=new_run_id())
    path = save(merged, output or Path("results") / f"{merged.run_id}.json")
    click.echo(f"merged {len(runs)} shards, {len(merged.benchmarks)} benchmarks: {path}")
