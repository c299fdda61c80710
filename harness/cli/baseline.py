"""``bench baseline save|list|show|delete``: named results under ``baselines/``."""

from __future__ import annotations

from pathlib import Path

import click

from harness.baselines import (
    baseline_path,
    check_name,
    delete_baseline,
    latest_result,
    list_baselines,
    resolve,
    save_baseline,
)
from harness.cli.options import baselines_dir_option, results_dir_option, writable_dir
from harness.cli.output import show
from harness.format import run_table
from harness.results import load


@click.group("baseline")
def baseline_group() -> None:
    """Manage named baselines: results kept in baselines/NAME.json to compare against."""


@baseline_group.command("save")
@click.argument("name")
@click.argument("result", required=False, type=click.Path(dir_okay=False, path_type=Path))
@results_dir_option
@baselines_dir_option
@click.option("--force", is_flag=True, help="Replace baseline NAME if it exists.")
def save_command(
    name: str, result: Path | None, results_dir: Path, baselines_dir: Path, force: bool
) -> None:
    """Save RESULT (default: the latest in results/) as baseline NAME.

    An existing baseline NAME is not replaced without --force (exit 2).
    """
    check_name(name)
    writable_dir(baselines_dir, "--baselines-dir")
    source = result or latest_result(results_dir)
    path = save_baseline(baselines_dir, name, load(source), force=force)
    click.echo(f"saved baseline {name!r} from {source} to {path}")


@baseline_group.command("list")
@baselines_dir_option
def list_command(baselines_dir: Path) -> None:
    """List the baselines, one per line: name, run id, commit, benchmark count."""
    names = list_baselines(baselines_dir)
    if not names:
        click.echo(f"no baselines in {baselines_dir}/", err=True)
    for name in names:
        run = load(baseline_path(baselines_dir, name))
        commit = (run.meta.commit or "-")[:10]
        click.echo(f"{name}\t{run.run_id}\t{commit}\t{len(run.benchmarks)} benchmarks")


@baseline_group.command("show")
@click.argument("name")
@baselines_dir_option
def show_command(name: str, baselines_dir: Path) -> None:
    """Show the benchmarks of baseline NAME."""
    show(run_table(resolve(name, baselines_dir)))


@baseline_group.command("delete")
@click.argument("name")
@baselines_dir_option
def delete_command(name: str, baselines_dir: Path) -> None:
    """Delete baseline NAME."""
    delete_baseline(baselines_dir, name)
    click.echo(f"deleted baseline {name!r}")
