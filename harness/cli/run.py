"""``bench run``: measure suites and write a versioned results file."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click
from rich.console import Console

from harness.asv.db import try_record
from harness.backfill import backfill
from harness.baselines import check_new_baseline, save_baseline
from harness.cli.compare import ReportOptions, emit, policy_options
from harness.cli.options import (
    DURATION,
    PROCESSES_HELP,
    baselines_dir_option,
    fail_on_option,
    output_option,
    results_dir_option,
    suites_dir_option,
    writable_dir,
)
from harness.cli.output import show
from harness.cli.progress import run_progress
from harness.compare import Policy
from harness.compare.model import FailOn
from harness.compare.overrides import with_suite_overrides
from harness.compare.processes import DEFAULT_MIN_PROCESSES
from harness.errors import EXIT_FAILURE, EXIT_OK, InputError
from harness.format import run_table
from harness.gate import DEFAULT_CONFIRM_ROUNDS, Gate, gated_run
from harness.instructions import unavailable_reason
from harness.measure import SampleSettings
from harness.records import Status
from harness.report import FORMATS
from harness.runner import DEFAULT_MAX_RSS_MB, RunOptions
from harness.scratch import run_scratch
from harness.shard import parse_shard

# A stored baseline is measured in enough worker processes that later runs of one process are
# judged against its spread; --against starts with one per side and re-measures only what is
# undecided (confirmation), so a benchmark's processes reach 5 per side where it matters
# (docs/verdicts.md, "Gating modes compared").
BASELINE_PROCESSES = DEFAULT_MIN_PROCESSES
AGAINST_PROCESSES = 1
QUICK_SETTINGS = SampleSettings(samples=3, min_samples=3, max_time_s=5.0, warmup_s=0.02)


@click.command("run")
@click.argument("suites", nargs=-1)
@click.option("-b", "--bench", "pattern", metavar="REGEX", help="Only benchmarks whose id matches.")
@click.option("--quick", is_flag=True, help="Each suite's quick subset, fewer samples.")
@click.option(
    "--samples", type=click.IntRange(3, 1000), default=None, help="Samples per benchmark."
)
@click.option(
    "--processes",
    type=click.IntRange(1, 100),
    default=None,
    show_default="1; 5 with --save-baseline",
    help=PROCESSES_HELP,
)
@click.option(
    "--duet/--no-duet",
    default=None,
    show_default="on with --against where there are 2 cores or more",
    help=(
        "With --against: run both sides of each benchmark at the same time, one per core, "
        "each with its own mock server (they live through the same slow stretches)."
    ),
)
@click.option(
    "--instructions/--no-instructions",
    default=None,
    show_default="on with --compare, --against and --save-baseline where valgrind is installed",
    help=(
        "Also count each time benchmark's instructions under valgrind (one more worker per "
        "benchmark, forked from one that imported the suites once): a CPU metric that does "
        "not depend on the machine's speed."
    ),
)
@suites_dir_option
@results_dir_option
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
    "--force-baseline",
    is_flag=True,
    help="With --save-baseline: replace baseline NAME if it exists.",
)
@baselines_dir_option
@click.option(
    "--compare",
    metavar="BASELINE",
    help="Judge the run against a baseline name or result file; exit 1 on a regression.",
)
@click.option(
    "--against",
    metavar="REV",
    help="Also run git revision REV's suites, interleaved on this machine, and judge against it.",
)
@click.option(
    "--commits",
    metavar="RANGE",
    help=(
        "Backfill the history: run the suites of each commit of RANGE (A..B, as git rev-list; "
        "or one revision) in a temporary worktree and record it into asv's database, skipping "
        "commits already recorded for this machine."
    ),
)
@policy_options
@fail_on_option
@click.option(
    "--confirm-rounds",
    type=click.IntRange(0, 5),
    default=DEFAULT_CONFIRM_ROUNDS,
    show_default=True,
    help=(
        "Re-measure benchmarks whose verdict is regressed or undecided up to this many times "
        "(more worker processes, pooled) before the final verdict."
    ),
)
@click.option(
    "--max-time",
    type=DURATION,
    default=None,
    help=(
        "With --compare or --against: start no confirmation that would end more than this long "
        "(e.g. 5m) after the run began, each suspect expected to take as long as its last "
        "process did. The surest regressions are confirmed first; what is "
        "left stays uncertain, named in a warning. Measuring itself is never cut short.  "
        "[default: no limit]"
    ),
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(FORMATS),
    default="console",
    show_default=True,
    help="Format of the verdict report.",
)
@output_option
def run_command(
    suites: tuple[str, ...],
    pattern: str | None,
    quick: bool,
    samples: int | None,
    processes: int | None,
    duet: bool | None,
    instructions: bool | None,
    suites_dir: Path,
    results_dir: Path,
    shard_text: str | None,
    max_rss_mb: float,
    baseline_name: str | None,
    force_baseline: bool,
    baselines_dir: Path,
    compare: str | None,
    against: str | None,
    commits: str | None,
    policy: Policy,
    fail_on: FailOn,
    confirm_rounds: int,
    max_time: float | None,
    fmt: str,
    output: Path | None,
) -> int:
    """Run benchmark SUITES (all by default) and write results/<run-id>.json.

    Each benchmark runs in fresh worker processes (--processes); the mock GitHub server runs
    once in its own process for the whole run. The results file is rewritten after every
    benchmark, so an interrupted run keeps what finished.

    \b
    Gating a merge:
      bench run --compare main        judge against baselines/main.json (exact counters too)
      bench run --against origin/main run that revision's suites too, side by side on this
                                      machine, and judge (times: undecided ones re-measured
                                      until 5 worker processes per side settle them)
      ... --max-time 5m               and stop confirming 5 minutes in (surest regressions first)

    \b
    Backfilling the history (asv's graphs, bench publish):
      bench run --commits HEAD~10..HEAD  each of those commits, oldest first

    Exit codes: 0 ok, 1 regression, 2 bad input, 3 a benchmark failed.
    """
    writable_dir(results_dir, "--results-dir")  # bad input is refused before anything runs
    if max_time is not None and not (compare or against):
        raise InputError("--max-time limits confirmation: it needs --compare or --against")
    if baseline_name:
        check_new_baseline(baselines_dir, baseline_name, force_baseline, "--force-baseline")
        writable_dir(baselines_dir, "--baselines-dir")
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
        processes=processes or _processes(against, baseline_name),
        instructions=counting(instructions, bool(compare or against or baseline_name)),
        duet=against is not None and (duet if duet is not None else (os.cpu_count() or 1) >= 2),
    )
    if commits:
        return backfill_command(options, commits, compare, against, baseline_name)
    if compare or against:
        policy = with_suite_overrides(policy, suites_dir)
    gate = Gate(
        policy, compare, against, confirm_rounds, baselines_dir, suites_dir.parent, max_time
    )
    with run_scratch(), run_progress(Console(stderr=True)) as progress:
        done = gated_run(options, gate, progress)
    for note in done.result.meta.warnings:
        click.echo(f"warning: {note}", err=True)
    show(run_table(done.result))
    click.echo(f"results: {done.path}")
    warning = try_record(done.result)  # asv's history; a run that measured fine never fails here
    if warning:
        click.echo(f"warning: {warning}", err=True)
    if done.base_path:
        click.echo(f"results of {against}: {done.base_path}")
    if baseline_name:
        path = save_baseline(baselines_dir, baseline_name, done.result, force=force_baseline)
        click.echo(f"baseline: {path}")
    failed = [b for b in done.result.benchmarks if b.status is Status.FAILED]
    if failed:
        click.echo(f"{len(failed)} benchmark(s) failed", err=True)
    code = EXIT_FAILURE if failed else EXIT_OK
    if done.comparison is not None:
        report = ReportOptions(fmt=fmt, output=output, results_dir=results_dir, fail_on=fail_on)
        code = max(code, emit(done.comparison, report))
    return code


def _processes(against: str | None, baseline_name: str | None) -> int:
    if baseline_name:
        return BASELINE_PROCESSES
    return AGAINST_PROCESSES if against else 1


def counting(asked: bool | None, gating: bool) -> bool:
    """Whether to count instructions: as asked, else in gating runs where valgrind is."""
    reason = unavailable_reason()
    if asked and reason:
        raise InputError(f"--instructions: cannot count instructions here: {reason}")
    if asked is None and gating and reason:
        click.echo(f"note: instructions not counted: {reason}", err=True)
    return bool(asked if asked is not None else gating) and reason is None


def backfill_command(
    options: RunOptions,
    commits: str,
    compare: str | None,
    against: str | None,
    baseline_name: str | None,
) -> int:
    """``bench run --commits RANGE``: measure past commits into asv's history."""
    clash = [name for name, value in (("--compare", compare), ("--against", against),
             ("--shard", options.shard), ("--save-baseline", baseline_name)) if value]  # fmt: skip
    if clash:
        raise InputError(f"--commits measures past commits alone: drop {', '.join(clash)}")
    repo = options.suites_root.resolve().parent
    with run_scratch(), run_progress(Console(stderr=True)) as progress:
        done = backfill(options, commits, repo, progress)
    for commit, path in done.measured:
        click.echo(f"recorded {commit[:8]} ({done.machine}): {path}")
    for commit in done.skipped:
        click.echo(f"already recorded {commit[:8]} ({done.machine}): skipped")
    click.echo(f"{len(done.measured)} commit(s) measured, {len(done.skipped)} already recorded")
    for commit, bench_id in done.failed:
        click.echo(f"failed at {commit[:8]}: {bench_id}", err=True)
    return EXIT_FAILURE if done.failed else EXIT_OK
