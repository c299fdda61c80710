"""``bench calibrate``: this machine's false-alarm rate and detection power, measured."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import click
from rich.console import Group
from rich.table import Table

from harness.calibrate import Calibration, Rate, calibrate, measured_run_noise
from harness.cli.compare import FRACTION, policy_options
from harness.cli.options import processes_option, suites_dir_option, writable_dir
from harness.cli.output import show
from harness.compare import Policy
from harness.compare.overrides import with_suite_overrides
from harness.errors import EXIT_OK
from harness.gate import DEFAULT_CONFIRM_ROUNDS
from harness.gates import GateRate, ModeRow, modes
from harness.history import load_runs
from harness.measure import SampleSettings
from harness.records import RunResult
from harness.runner import RunOptions, run
from harness.scratch import run_scratch


def _rate(rate: Rate, bound: str) -> str:
    """The rate, its counts, and the one-sided 95% bound that matters for it."""
    if not rate.trials:
        return "—"
    limit = f"≤{rate.upper95:.1%}" if bound == "upper" else f"≥{rate.lower95:.1%}"
    return f"{rate.value:.1%} ({rate.hits}/{rate.trials}; {limit} at 95%)"


def table(result: Calibration) -> Table:
    mode = "both sides" if result.both_sides else "current only"
    design = (
        f"{result.pairs} comparisons of process halves ({result.split} splits per run)"
        if result.split
        else f"{result.pairs} ordered pairs"
    )
    grid = Table(
        title=(
            f"calibration: {result.runs} runs, {design}, "
            f"{len(result.benchmarks)} benchmarks; slowdown {result.slowdown:.0%}; "
            f"confirm {result.rounds} round(s), re-measuring {mode}"
        ),
        title_justify="left",
    )
    grid.add_column("comparisons")
    grid.add_column("A/A false alarms (regressed)", justify="right")
    grid.add_column(f"A/B detection of +{result.slowdown:.0%}", justify="right")
    for label, aa, ab in (
        ("time metric (wall clock)", result.aa.time, result.ab.time),
        ("sampled metrics (each)", result.aa.sampled, result.ab.sampled),
        ("benchmarks (any sampled metric)", result.aa.benchmarks, result.ab.benchmarks),
        ("exact counters (non-zero)", result.aa.exact, result.ab.exact),
    ):
        grid.add_row(label, _rate(aa, "upper"), _rate(ab, "lower"))
    grid.add_row("A/A uncertain (sampled metrics)", _rate(result.aa.uncertain, "upper"), "")
    return grid


def per_benchmark(result: Calibration, noise: dict[str, float]) -> Table:
    """Each benchmark's rates beside its measured run-to-run noise."""
    grid = Table(title="per benchmark (any sampled metric)", title_justify="left")
    grid.add_column("benchmark", overflow="fold")
    grid.add_column("run-to-run noise of median time", justify="right")
    grid.add_column("A/A false alarms", justify="right")
    grid.add_column(f"A/B detection of +{result.slowdown:.0%}", justify="right")
    for bench_id in result.benchmarks:
        aa = result.aa.by_benchmark.get(bench_id, Rate())
        ab = result.ab.by_benchmark.get(bench_id, Rate())
        sd = f"±{noise[bench_id]:.1%}" if bench_id in noise else "—"
        grid.add_row(
            bench_id, sd, f"{aa.value:.1%} of {aa.trials}", f"{ab.value:.1%} of {ab.trials}"
        )
    return grid


def gates_table(rows: list[ModeRow]) -> Table:
    """Each gating mode: whole gate runs exiting 1 on the same code and on real changes."""
    changes = sorted({name for row in rows for name in row.changes})
    grid = Table(title="gating modes: gate runs that exit 1 (a regression)", title_justify="left")
    grid.add_column("mode")
    grid.add_column("same code: false alarms", justify="right")
    for name in changes:
        grid.add_column(f"{name}: caught", justify="right")
    grid.add_column("wall per run", justify="right")
    for row in rows:
        cells = [_caught(row.changes[n]) if n in row.changes else "—" for n in changes]
        wall = f"{row.wall_s:.0f} s" if row.wall_s else "—"
        grid.add_row(row.mode, _rate(row.same.fails, "upper"), *cells, wall)
    grid.caption = "caught: gate runs that exit 1 naming the benchmark the change targets"
    return grid


def _caught(rate: GateRate) -> str:
    """Runs that named the change's target (any exit 1 where it has none)."""
    return _rate(rate.on_target if rate.target is not None else rate.fails, "lower")


def named_table(rows: list[ModeRow]) -> Table:
    """Which benchmarks each mode named, and how often (false alarms included)."""
    grid = Table(title="benchmarks named regressed (times)", title_justify="left")
    grid.add_column("mode")
    grid.add_column("runs of")
    grid.add_column("named", overflow="fold")
    for row in rows:
        for label, rate in (("same code", row.same), *row.changes.items()):
            top = sorted(rate.named.items(), key=lambda kv: (-kv[1], kv[0]))[:4]  # ties by id
            named = ", ".join(f"{bench_id} ×{count}" for bench_id, count in top) or "—"
            grid.add_row(row.mode, label, named)
    return grid


def _measure(count: int, options: RunOptions) -> list[RunResult]:
    runs = []
    for index in range(count):
        click.echo(f"run {index + 1}/{count}", err=True)
        runs.append(run(options)[0])
    return runs


@click.command("calibrate")
@click.option("-b", "--bench", "pattern", metavar="REGEX", help="Only benchmarks whose id matches.")
@click.option(
    "--runs",
    type=click.IntRange(4, 200),
    default=12,
    show_default=True,
    help="Real runs to measure.",
)
@click.option(
    "--samples",
    type=click.IntRange(3, 1000),
    default=10,
    show_default=True,
    help="Samples per worker process.",
)
@processes_option
@click.option("--quick", is_flag=True, help="Each suite's quick subset of parameters.")
@suites_dir_option
@click.option(
    "--from",
    "from_dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Use the stored results in this directory instead of measuring.",
)
@click.option(
    "--keep",
    type=click.Path(file_okay=False, path_type=Path),
    help="Keep the measured runs in this directory.",
)
@click.option(
    "--slowdown", type=FRACTION, default=0.3, show_default="30%", help="Injected slowdown for A/B."
)
@click.option(
    "--rounds",
    type=click.IntRange(0, 8),
    default=DEFAULT_CONFIRM_ROUNDS,
    show_default=True,
    help="Confirmation rounds.",
)
@click.option(
    "--both-sides", is_flag=True, help="Confirmation re-measures the baseline too (--against mode)."
)
@click.option(
    "--max-pairs",
    type=click.IntRange(1, 100_000),
    default=400,
    show_default=True,
    help="At most this many ordered pairs of runs (spread evenly).",
)
@click.option(
    "--split",
    type=click.IntRange(0, 1000),
    default=0,
    show_default=True,
    help=(
        "Instead of pairs of runs, judge each run's worker processes split in two halves, "
        "this many random ways (the interleaved --against design; needs --processes ≥ 10 "
        "for 5 per side)."
    ),
)
@click.option(
    "--gates",
    "gates_dir",
    type=click.Path(file_okay=False, exists=True, path_type=Path),
    help=(
        "Instead: judge the kept runs calibration/measure.sh wrote to this directory as CI "
        "would, every gating mode (--compare with baselines of 1 and 5 processes, with and "
        "without instructions, --against) on the same code and on real code changes."
    ),
)
@policy_options
def calibrate_command(
    pattern: str | None,
    runs: int,
    samples: int,
    processes: int,
    quick: bool,
    suites_dir: Path,
    from_dir: Path | None,
    keep: Path | None,
    slowdown: float,
    rounds: int,
    both_sides: bool,
    max_pairs: int,
    split: int,
    gates_dir: Path | None,
    policy: Policy,
) -> int:
    """Measure verdict quality: A/A false alarms and detection of an injected slowdown.

    Measures RUNS real runs of the selected benchmarks (or reads them with --from), then judges
    every ordered pair of runs as A/A, and again with the current side slowed down as A/B;
    with --split, halves of each run's worker processes instead (the --against design).

    \b
    The --against design, as docs/verdicts.md measured it:
      bench calibrate --quick --runs 8 --processes 10 --samples 5 --split 8 \\
        --both-sides --keep DIR -b REGEX
      bench calibrate --from DIR --split 8 --both-sides --rounds 2   # judge again, varied
    """
    if gates_dir is not None:
        # Judged as `bench run --compare` judges: with the suites' thresholds and noise floors.
        policy = with_suite_overrides(policy, suites_dir)
        rows = modes(gates_dir, policy, rounds)
        show(Group(gates_table(rows), named_table(rows)))
        return EXIT_OK
    if keep is not None:
        writable_dir(keep, "--keep")
    if from_dir is not None:
        measured = load_runs(from_dir)
    else:
        with run_scratch(), tempfile.TemporaryDirectory(prefix="bench-calibrate-") as tmp:
            where = keep or Path(tmp)
            settings = SampleSettings(samples=samples, max_time_s=60.0)
            options = RunOptions(
                suites_root=suites_dir,
                results_dir=where,
                pattern=pattern,
                quick=quick,
                settings=settings,
                processes=processes,
            )
            measured = _measure(runs, options)
    result = calibrate(measured, policy, slowdown, rounds, both_sides, max_pairs, split)
    show(Group(table(result), per_benchmark(result, measured_run_noise(measured))))
    click.echo(f"load average at the end: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    return EXIT_OK
