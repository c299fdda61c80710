"""``bench compare BASE CURRENT``: judge two stored results and report the verdicts.

``emit`` is shared with ``bench run --compare``: it writes plots and the report and returns
the exit code, so both commands report alike.
"""

from __future__ import annotations

import functools
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import click
from rich.console import Console

from harness.atomic import write_atomic
from harness.baselines import resolve
from harness.cli.options import (
    artifact_url_option,
    baselines_dir_option,
    fail_on_option,
    output_option,
    results_dir_option,
    writable_dir,
)
from harness.cli.output import on_terminal
from harness.compare import DEFAULT_ALPHA, DEFAULT_THRESHOLD, Comparison, Policy, judge
from harness.compare.model import FailOn, Status
from harness.compare.overrides import with_suite_overrides
from harness.plots import PlotSet, plots_dir, write_plots
from harness.report import EXPORTERS, FORMATS, ReportContext, console, render


# click 8.2+ makes ParamType generic, older releases cannot subscript it at run time.
class FractionType(click.ParamType):  # type: ignore[type-arg]
    """A fraction written as ``20%`` or ``0.2``."""

    name = "fraction"

    def convert(
        self, value: Any, param: click.Parameter | None, ctx: click.Context | None
    ) -> float:
        if isinstance(value, float):
            return value
        text = str(value).strip()
        try:
            number = float(text[:-1]) / 100.0 if text.endswith("%") else float(text)
        except ValueError:
            self.fail(f"{value!r} is not a fraction: write it as 20% or 0.2", param, ctx)
        if not 0.0 < number <= 10.0:
            self.fail(f"{value!r} must be above 0 (e.g. 20% or 0.2)", param, ctx)
        return number


FRACTION = FractionType()


@dataclass(frozen=True, kw_only=True)
class ReportOptions:
    """Where and how a comparison is reported."""

    fmt: str = "console"
    output: Path | None = None
    plots: bool | None = None  # None: only for formats that show plots
    results_dir: Path = Path("results")
    fail_on: FailOn = FailOn.MISSING
    artifact_url: str | None = None


def emit(comparison: Comparison, options: ReportOptions) -> int:
    """Write plots and the report (to ``output`` or stdout); return the exit code."""
    exporter = EXPORTERS[options.fmt]
    ReportContext(artifact_url=options.artifact_url)  # a bad URL is refused before plots
    wanted = exporter.wants_plots if options.plots is None else options.plots
    if wanted:
        writable_dir(options.results_dir, "--results-dir")
    plots = (
        write_plots(comparison, plots_dir(options.results_dir, comparison.current.run_id))
        if wanted
        else None
    )
    for warning in comparison.warnings:
        click.echo(f"warning: {warning}", err=True)
    if options.output is not None:
        linked = _linked(plots, options.output) if plots and options.fmt == "markdown" else plots
        write_atomic(options.output, render(options.fmt, comparison, linked, options.artifact_url))
        click.echo(f"{options.fmt} report: {options.output}", err=True)
    elif options.fmt == "console" and on_terminal():
        terminal = Console()
        terminal.print(console.renderable(comparison, terminal.width))
    else:
        sys.stdout.write(render(options.fmt, comparison, plots, options.artifact_url))
    if plots:
        click.echo(f"plots: {plots_dir(options.results_dir, comparison.current.run_id)}", err=True)
    if options.fail_on.includes(FailOn.MISSING):
        _say_missing(comparison)
    return comparison.exit_code(options.fail_on)


def _say_missing(comparison: Comparison) -> None:
    missing = [v for v in comparison.verdicts if v.status is Status.MISSING]
    if missing:
        shown = ", ".join(f"{v.benchmark}{f' {v.metric}' if v.metric else ''}" for v in missing[:3])
        more = f" and {len(missing) - 3} more" if len(missing) > 3 else ""
        click.echo(
            f"{len(missing)} expected result(s) missing, not judged: {shown}{more} "
            f"({missing[0].reason}; --fail-on regression passes anyway)",
            err=True,
        )


def _linked(plots: PlotSet, output: Path) -> PlotSet:
    return plots.relative_to(output.resolve().parent) if plots else plots


def policy_options(func: Any) -> Any:
    """The options every judging command shares, handed to it as one ``policy: Policy``."""

    @functools.wraps(func)
    def with_policy(*args: Any, **kwargs: Any) -> Any:
        policy = Policy(
            threshold=kwargs.pop("threshold"),
            alpha=kwargs.pop("alpha"),
            allow_env_mismatch=kwargs.pop("allow_env_mismatch"),
            run_noise=kwargs.pop("run_noise"),
        )
        return func(*args, policy=policy, **kwargs)

    for option in reversed(
        [
            click.option(
                "--threshold",
                type=FRACTION,
                default=DEFAULT_THRESHOLD,
                show_default="20%",
                help="Worse than this (e.g. 20% or 0.2) can regress.",
            ),
            click.option(
                "--alpha",
                type=click.FloatRange(0.0, 0.5, min_open=True, max_open=True),
                default=DEFAULT_ALPHA,
                show_default=True,
                help="Significance level.",
            ),
            click.option(
                "--run-noise",
                type=click.FloatRange(0.0, 2.0),
                default=0.0,
                show_default=True,
                help="Run-to-run noise of a median on this machine (log SD, from bench calibrate).",
            ),
            click.option(
                "--allow-env-mismatch",
                is_flag=True,
                help="Judge time metrics across machines or Pythons anyway.",
            ),
        ]
    ):
        with_policy = option(with_policy)
    return with_policy


@click.command("compare")
@click.argument("base")
@click.argument("current")
@policy_options
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="console", show_default=True)
@output_option
@click.option(
    "--plots/--no-plots", default=None, help="Write PNG plots [default: for markdown and html]."
)
@fail_on_option
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
def compare_command(
    base: str,
    current: str,
    policy: Policy,
    fmt: str,
    output: Path | None,
    plots: bool | None,
    fail_on: FailOn,
    artifact_url: str | None,
    baselines_dir: Path,
    results_dir: Path,
    suites_dir: Path | None,
) -> int:
    """Judge CURRENT against BASE (result files or baseline names).

    Exit codes: 0 nothing regressed, 1 regressed (or uncertain with --fail-on uncertain),
    2 bad input, 3 a benchmark failed.
    """
    if suites_dir:
        policy = with_suite_overrides(policy, suites_dir)
    comparison = judge(resolve(base, baselines_dir), resolve(current, baselines_dir), policy)
    report = ReportOptions(
        fmt=fmt,
        output=output,
        plots=plots,
        results_dir=results_dir,
        fail_on=fail_on,
        artifact_url=artifact_url,
    )
    return emit(comparison, report)
