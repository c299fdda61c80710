"""``bench report BASE CURRENT``: a report of a comparison, without gating on it."""

from __future__ import annotations

from pathlib import Path

import click

from harness.baselines import resolve
from harness.cli.compare import ReportOptions, emit, policy_options
from harness.cli.options import (
    artifact_url_option,
    baselines_dir_option,
    output_option,
    results_dir_option,
)
from harness.compare import Policy, judge
from harness.compare.overrides import with_suite_overrides
from harness.errors import EXIT_OK
from harness.report import FORMATS


@click.command("report")
@click.argument("base")
@click.argument("current")
@policy_options
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="html", show_default=True)
@output_option
@click.option("--plots/--no-plots", default=None, help="[default: for markdown and html]")
@artifact_url_option
@baselines_dir_option
@results_dir_option
@click.option(
    "--suites-dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Read per-benchmark thresholds and noise floors from this suites package, as bench "
    "run does from its own (without it, neither applies).",
)
def report_command(
    base: str,
    current: str,
    policy: Policy,
    fmt: str,
    output: Path | None,
    plots: bool | None,
    artifact_url: str | None,
    baselines_dir: Path,
    results_dir: Path,
    suites_dir: Path | None,
) -> int:
    """Report CURRENT against BASE in any format; exits 0 whatever the verdicts."""
    if suites_dir:
        policy = with_suite_overrides(policy, suites_dir)
    comparison = judge(resolve(base, baselines_dir), resolve(current, baselines_dir), policy)
    emit(
        comparison,
        ReportOptions(
            fmt=fmt, output=output, plots=plots, results_dir=results_dir, artifact_url=artifact_url
        ),
    )
    return EXIT_OK
