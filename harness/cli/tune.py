"""``bench tune``: the tuning guide's flowchart, measured: identify, propose, validate, write.

A composition at the CLI layer: the conditions and the knob sweeps come from
``suites._tune`` (beside the suites whose sweeps it borrows), the verdict from the engine's
rules, the settings from the analyzer. Only an improvement is written.
"""

from __future__ import annotations

import logging
import os
import shlex
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import click

from analyzer.config import Config
from analyzer.diagnose import KnobGroup
from analyzer.errors import AnalyzerError, ApiError, ConfigError
from analyzer.settings import load_config
from harness.atomic import write_atomic
from harness.errors import HarnessFailure, InputError
from mockgithub.config import DEFAULT_REPO, RateSpec

TUNABLE = (KnobGroup.JOBS, KnobGroup.PACING, KnobGroup.API, KnobGroup.TTL, KnobGroup.CACHE)


def _rate(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    if value is not None:
        try:
            RateSpec.parse(value)
        except ValueError:
            raise click.BadParameter(
                f"expected LIMIT/SECONDS such as 30/60, got {value!r}"
            ) from None
    return value


def current_config(config_file: Path | None) -> Config:
    """The settings in force for a real API: defaults < --config FILE < environment."""
    try:
        return load_config(config_file=config_file, environ=os.environ)
    except ConfigError as exc:
        raise InputError(f"tune: {exc}") from None


@click.command("tune")
@click.argument("repo", metavar="[OWNER/REPO]", required=False, default=DEFAULT_REPO)
@click.option(
    "--api-url",
    metavar="URL",
    help="Measure this API (with GITHUB_TOKEN) first; the mock then imitates it.",
)
@click.option(
    "--budget",
    type=click.IntRange(20),
    default=5000,
    show_default=True,
    help="Most requests the tune sends, to the API and to the mock; analyses are sized to fit.",
)
@click.option(
    "--latency-ms",
    type=click.FloatRange(0, 10_000),
    default=100.0,
    show_default=True,
    help="The mock's latency (without --api-url).",
)
@click.option(
    "--rate-limit",
    callback=_rate,
    metavar="LIMIT/SECONDS",
    help="The mock's primary limit (default 5000/3600, a personal token); "
    "with --api-url, the window of the API's limit.",
)
@click.option(
    "--knob",
    "knobs",
    multiple=True,
    type=click.Choice([k.value for k in TUNABLE]),
    help="Tune only these knobs (repeatable; default all).",
)
@click.option(
    "--interval",
    type=click.FloatRange(1),
    default=600.0,
    show_default=True,
    help="Seconds between scheduled analyses (the TTL sweep's schedule).",
)
@click.option(
    "--max-staleness",
    type=click.FloatRange(0),
    default=1800.0,
    show_default=True,
    help="Mean age in seconds of the data served that the TTL may cost.",
)
@click.option(
    "--config",
    "config_file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="The settings in force (else defaults and environment).",
)
@click.option(
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    default=Path("analyzer-tuned.toml"),
    show_default=True,
    help="The settings file to write (plots beside it).",
)
def tune_command(
    repo: str,
    api_url: str | None,
    budget: int,
    latency_ms: float,
    rate_limit: str | None,
    knobs: tuple[str, ...],
    interval: float,
    max_staleness: float,
    config_file: Path | None,
    output: Path,
) -> int:
    """Find the analyzer settings that suit this machine and API, and prove them.

    \b
    Identify the latency, the limits, the cores, the cache location's speed; sweep each knob
    on the mock at those conditions and pick by a stated rule; A/B the proposal against the
    settings in force, interleaved; write the settings file (and a plot per sweep) only if
    the proposal is an improvement. docs/tuning.md explains every rule.
      bench tune --latency-ms 20
      bench tune owner/repo --api-url http://127.0.0.1:8080 --budget 300
    """
    from analyzer.service import check_repo
    from suites._tune.session import TuneRequest, run_tune  # the suites load only for a tune

    try:
        check_repo(repo)
    except ConfigError as exc:
        raise InputError(f"tune: {exc}") from None
    current = current_config(config_file)
    request = TuneRequest(
        repo=repo,
        current=current,
        api_url=api_url,
        token=os.environ.get("GITHUB_TOKEN"),
        budget=budget,
        latency_ms=latency_ms,
        rate_limit=rate_limit or "5000/3600",
        knobs=tuple(KnobGroup(k) for k in knobs) or TUNABLE,
        interval_s=interval,
        max_staleness_s=max_staleness,
    )
    # The current side's waits on the server are expected and counted; not logged as warnings.
    logging.getLogger("analyzer").setLevel(logging.ERROR)
    start = time.perf_counter()
    try:
        outcome = run_tune(request, _log)
    except ApiError as exc:
        raise HarnessFailure(f"tune: {exc}") from None
    except AnalyzerError as exc:
        raise HarnessFailure(f"tune: {exc}") from None
    return _report(outcome, output, time.perf_counter() - start)


def _log(line: str) -> None:
    click.echo(line)
    sys.stdout.flush()


def _report(outcome: object, output: Path, elapsed: float) -> int:
    from suites._tune.session import TuneOutcome
    from suites._tune.settings_file import settings_text, write_plots

    assert isinstance(outcome, TuneOutcome)
    for note in outcome.notes:
        click.echo(f"note: {note}")
    click.echo("proposal:")
    for env, value in outcome.settings.items():
        click.echo(f"  {env} = {value}")
    validation = outcome.validation
    if validation is None:
        click.echo(
            f"nothing to change: the settings in force are what the rules choose ({elapsed:.0f} s)"
        )
        return 0
    click.echo(f"validation: {validation.summary()}")
    if not validation.improved:
        click.echo(f"not written: the proposal is no improvement ({elapsed:.0f} s)")
        return 0
    stamp = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    command = shlex.join(["bench", *sys.argv[1:]]) if sys.argv[1:2] == ["tune"] else "bench tune"
    write_atomic(output, settings_text(outcome, stamp, command))
    click.echo(f"settings: {output}")
    for path in write_plots(outcome, output):
        click.echo(f"plot: {path}")
    click.echo(f"done in {elapsed:.0f} s")
    return 0
