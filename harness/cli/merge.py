"""``bench merge``: join the results of every shard of a run into one results file."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import click

from harness.cli.options import fail_on_option, writable_dir, writable_file
from harness.compare.model import FailOn
from harness.errors import EXIT_FAILURE, EXIT_OK, InputError
from harness.results import load, save
from harness.runner import new_run_id
from harness.shard import merge, point_at_base, role_of, unmerged


@click.command("merge")
@click.argument("shards", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False, path_type=Path),
    callback=writable_file,
    help="Where to write the merged run (default: results/<new-run-id>.json).",
)
@click.option(
    "--role",
    type=click.Choice(["base", "head"]),
    help="Of --against shards, merge only this side's files (the others given are left out).",
)
@click.option(
    "--base",
    "base_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="The merged base side: the merged head side will point at it (meta.against).",
)
@fail_on_option
def merge_command(
    shards: tuple[Path, ...],
    output: Path | None,
    role: str | None,
    base_path: Path | None,
    fail_on: FailOn,
) -> int:
    """Merge the result files of shards 1/N..N/N of one run into one run.

    Shards must come from the same commit, harness, Python, settings, selection (suites, -b)
    and mock configuration, and together hold each shard exactly once; otherwise nothing is
    written and the exit code is 2. A planned benchmark without a result in any shard (a shard
    was interrupted) leaves the merged run incomplete: written, and exit 3 unless
    --fail-on regression. An --against shard run writes two files per shard: merge the base
    side first, then the head side with --base, e.g.

    \b
      bench merge --role base results/shard/*.json -o results/base.json
      bench merge --role head --base results/base.json results/shard/*.json -o results/head.json
    """
    if output is None:
        writable_dir(Path("results"), "--output (default results/)")
    loaded = [(path, load(path)) for path in shards]
    chosen = [(path, run) for path, run in loaded if role is None or role_of(run) == role]
    if not chosen:
        raise InputError(f"merge: none of the {len(shards)} files given is of the {role} side")
    merged = merge([run for _, run in chosen], [str(path) for path, _ in chosen])
    merged = replace(merged, run_id=new_run_id())
    if base_path is not None:
        merged = point_at_base(merged, load(base_path), str(base_path))
    path = save(merged, output or Path("results") / f"{merged.run_id}.json")
    side = f" of the {role} side" if role else ""
    click.echo(f"merged {len(chosen)} shards{side}, {len(merged.benchmarks)} benchmarks: {path}")
    missing = unmerged(merged)
    if missing and fail_on.includes(FailOn.MISSING):
        click.echo(
            f"{len(missing)} planned benchmark(s) have no result in any shard, e.g. {missing[0]} "
            "(--fail-on regression passes anyway)",
            err=True,
        )
        return EXIT_FAILURE
    return EXIT_OK
