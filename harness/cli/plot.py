"""``bench plot BASE CURRENT``: the PNG plots of a comparison, under RESULTS_DIR/<run-id>/plots/."""

from __future__ import annotations

from pathlib import Path

import click

from harness.baselines import resolve
from harness.cli.compare import policy_options
from harness.cli.options import baselines_dir_option, results_dir_option, writable_dir
from harness.compare import Policy, judge
from harness.errors import EXIT_OK
from harness.plots import plots_dir, write_plots


@click.command("plot")
@click.argument("base")
@click.argument("current")
@policy_options
@baselines_dir_option
@results_dir_option
def plot_command(
    base: str,
    current: str,
    policy: Policy,
    baselines_dir: Path,
    results_dir: Path,
) -> int:
    """Write the plots of CURRENT against BASE and print their paths."""
    comparison = judge(resolve(base, baselines_dir), resolve(current, baselines_dir), policy)
    writable_dir(results_dir, "--results-dir")
    plots = write_plots(comparison, plots_dir(results_dir, comparison.current.run_id))
    for path in plots.all():
        click.echo(str(path))
    return EXIT_OK
