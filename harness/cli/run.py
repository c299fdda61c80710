"""``bench run``: measure suites and write a versioned results file."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from rich.console import Console

from harness.baselines import check_name, save_baseline
from harness.cli.progress import RunProgress
from harness.errors import EXIT_FAILURE, EXIT_OK
from harness.format import run_table
from harness.measure import SampleSettings
from harness.runner import DEFAULT_MAX_RSS_MB, RunOptions, run
from harness.shard import parse_shard

QUICK_SETTINGS = SampleSettings(samples=3, min_samples=3, max_time_s=5.0, warmup_s=0.02)


@click.command("run")
@click.argument("suites", nargs=-1)
@click.option("-b", "--bench", "pattern", metavar="REGEX", help="Only benchmarks whose id matches.")
@click.option("--quick", is_flag=True, help="Each suite's quick subset, fewer samples.")
@click.option(
    "--samples", type=click.IntRange(3, 1000), default=None, help="Samples per benchmark."
)
@click.option(
    "--suites-dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("suites"),
    show_default=True,
    help="The suites package to run.",
)
@click.option(
    "--results-dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("results"),
    show_default=True,
    help="Where results/<run-id>.json is written.",
)
@click.option(
    "--shard",
    "shard_text",
    metavar="I/N",
    help="Run only shard I of N (a stable split by benchmark id); join with 'bench merge'.",
)
@click.option(
    "--max-rss",
    "max_rss_mb",
    type=click.FloatRange(16),
    default=DEFAULT_MAX_RSS_MB,
    show_default=True,
    help="Memory cap of a worker in MB (a suite's max_rss_mb overrides it).",
)
@click.option(
    "--save-baseline", "baseline_name", metavar="NAME", help="Also save as baselines/NAME.json."
)
@click.option(
    "--baselines-dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("baselines"),
    show_default=True,
)
def run_command(
    suites: tuple[str, ...],
    pattern: str | None,
    quick: bool,
    samples: int | None,
    suites_dir: Path,
    results_dir: Path,
    shard_text: str | None,
    max_rss_mb: float,
    baseline_name: str | None,
    baselines_dir: Path,
) -> int:
    """Run benchmark SUITES (all by default) and write results/<run-id>.json.

    Each benchmark runs in a fresh worker process; the mock GitHub server runs once in its
    own process for the whole run. The results file is rewritten after every benchmark, so an
    interrupted run keeps what finished.
    """
    if baseline_name:
        check_name(baseline_name)
    settings = QUICK_SETTINGS if quick else SampleSettings()
    if samples:
        settings = SampleSettings(**{**vars(settings), "samples": samples})
    options = RunOptions(
        suites_root=suites_dir,
        results_dir=results_dir,
        suites=suites,
        pattern=pattern,
        quick=quick,
        settings=settings,
        max_rss_mb=max_rss_mb,
        shard=parse_shard(shard_text) if shard_text else None,
        command=tuple(sys.argv),
    )
    console = Console(stderr=True)
    with RunProgress(console) as progress:
        result, path = run(options, progress)
    Console(width=None if sys.stdout.isatty() else 140).print(run_table(result))
    click.echo(f"results: {path}")
    if baseline_name:
        click.echo(f"baseline: {save_baseline(baselines_dir, baseline_name, result)}")
    failed = [b for b in result.benchmarks if b.status == "failed"]
    if failed:
        click.echo(f"{len(failed)} benchmark(s) failed", err=True)
    return EXIT_FAILURE if failed else EXIT_OK
