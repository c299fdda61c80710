"""``bench analyze OWNER/REPO``: run the analyzer once, against the mock or a real API.

Without ``--api-url`` the mock GitHub is started on loopback (in a thread) and serves
``OWNER/REPO`` itself; with ``--api-url`` (and ``GITHUB_TOKEN``) the analyzer reads that API.
``GITHUB_API_URL`` from the environment alone never sends ``bench analyze`` to a real API, so
the command stays offline unless asked (GitHub Actions sets that variable on every runner).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import click

from analyzer.alerts import crossed, describe, parse_alerts
from analyzer.cache import BACKEND_KINDS, CacheError
from analyzer.config import API_MODES, OUTPUT_FORMATS, Config
from analyzer.errors import AnalysisCancelled, ApiError, ConfigError
from analyzer.logs import configure_logging
from analyzer.output import render
from analyzer.service import Report, build_report, check_repo
from analyzer.settings import PROFILE_NAMES, load_config
from analyzer.warm import WarmResult, warm_repository
from harness.atomic import write_atomic
from harness.cli.diagnosis import Observed, observe_analysis, render_json, render_text
from harness.cli.options import writable_file
from harness.errors import EXIT_REGRESSION, HarnessFailure, InputError, RunInterrupted

T = TypeVar("T")
CACHE_CHOICES = (*BACKEND_KINDS, "none")
MOCK_TOKEN = "bench-mock-token"  # any token: the mock grants it the authenticated limit
# Against the private mock: no client-side pacing and an in-memory cache by default (nothing is
# left behind unless asked; with --cache file or redis the entries are keyed on the mock's
# settings, not its port, so the next run finds them).
MOCK_DEFAULTS = {"RATE_LIMIT_REQUESTS_PER_MINUTE": 0, "CACHE_BACKEND": "memory"}


@dataclass(frozen=True, kw_only=True)
class AnalyzeOptions:
    """What ``bench analyze`` was asked to do; ``None`` means "not given on the command line"."""

    repo: str
    api_url: str | None = None
    limit: int | None = None
    jobs: int | None = None
    output_format: str | None = None
    profile: str | None = None
    config_file: Path | None = None
    cache: str | None = None
    api: str | None = None


@dataclass(frozen=True)
class AnalyzeOutcome:
    report: Report
    config: Config
    target: str  # "mock at URL" or the API URL


def resolve_config(options: AnalyzeOptions, environ: Mapping[str, str]) -> Config:
    """The layered configuration for ``options`` (mock defaults when no ``--api-url``)."""
    flags: dict[str, Any] = {
        "WORKFLOW_ANALYSIS_LIMIT": options.limit,
        "MAX_PARALLEL_JOBS": options.jobs,
        "OUTPUT_FORMAT": options.output_format,
        "GITHUB_API_URL": options.api_url,
        "GITHUB_API_MODE": options.api,
    }
    if options.cache == "none":
        flags["ENABLE_CACHE"] = False
    elif options.cache:
        flags.update({"ENABLE_CACHE": True, "CACHE_BACKEND": options.cache})
    return load_config(
        config_file=options.config_file,
        environ=environ,
        flags=flags,
        profile=options.profile,
        base=None if options.api_url else MOCK_DEFAULTS,
    )


def run_analyze(
    options: AnalyzeOptions, environ: Mapping[str, str] | None = None
) -> AnalyzeOutcome:
    """Analyze ``options.repo`` and render the report; raises analyzer errors as they come."""
    with _target(options, False, environ) as (repo, config, target):
        return AnalyzeOutcome(build_report(repo, config), config, target)


@contextlib.contextmanager
def _target(
    options: AnalyzeOptions, separate_process: bool, environ: Mapping[str, str] | None = None
) -> Iterator[tuple[str, Config, str]]:
    """``(repo, config, target)``: the API of ``--api-url``, or the mock, started here."""
    repo = check_repo(options.repo)
    config = resolve_config(options, os.environ if environ is None else environ)
    configure_logging(config)
    if options.api_url:
        yield repo, config, config.api_url
        return
    # The mock is given a token, so GITHUB_API_MODE=auto means GraphQL there — where the mock
    # can serve it: GitHub's schema comes from npm (make assets); without it, auto reads REST.
    mode = config.updated(token=MOCK_TOKEN).effective_api_mode
    if mode == "graphql" and config.github_api_mode == "auto" and _schema_missing():
        click.echo("note: the mock has no GraphQL schema (make assets): reading REST", err=True)
        config, mode = config.updated(github_api_mode="rest"), "rest"
    limit = config.workflow_analysis_limit
    with _mock_for(repo, limit, mode, separate_process=separate_process) as (url, identity):
        mocked = config.updated(api_url=url, token=MOCK_TOKEN, api_identity=identity)
        yield repo, mocked, f"the mock at {url}"


def run_observed(options: AnalyzeOptions) -> Observed:
    """One analysis, observed for --diagnose and --fail-on; the mock in its own process, so
    the CPU time measured is the analyzer's alone."""
    with _target(options, separate_process=True) as (repo, config, target):
        return observe_analysis(repo, config, target)


def run_warm(options: AnalyzeOptions) -> WarmResult:
    """Pre-warm the cache for the next analysis of ``options.repo``."""
    with _target(options, separate_process=False) as (repo, config, _where):
        return warm_repository(repo, config)


@contextlib.contextmanager
def _mock_for(
    repo: str, limit: int, api_mode: str, separate_process: bool = False
) -> Iterator[tuple[str, str]]:
    """The mock serving ``repo``: its URL, and an identity for cache keys that names what it
    serves (the same settings serve the same data), not the port it happens to get."""
    from mockgithub import MockConfig, MockServer, spawn_server  # only when the mock is wanted

    if api_mode == "graphql":
        _graphql_schema()
    defaults = MockConfig()
    config = MockConfig(
        repo=repo,
        runs=max(defaults.runs, limit),
        # Enough quota for the whole analysis: the mock is here to be analyzed, not to throttle.
        rate_limit=f"{max(5000, 2 * limit + 100)}/3600",
    )
    settings = json.dumps(config.to_dict(), sort_keys=True).encode()
    identity = f"mockgithub:{hashlib.sha256(settings).hexdigest()[:16]}"
    if separate_process:
        with spawn_server(config) as server:
            yield server.base_url, identity
        return
    with MockServer(config) as url:
        yield url, identity


def _schema_missing() -> bool:
    from mockgithub.gql.schema import github_schema
    from mockgithub.published import DescriptionUnavailable

    try:
        github_schema()
    except DescriptionUnavailable:
        return True
    return False


def _graphql_schema() -> None:
    """Build GitHub's GraphQL schema before the mock serves (it needs the pinned SDL)."""
    from mockgithub.gql.schema import github_schema
    from mockgithub.published import DescriptionUnavailable

    try:
        github_schema()
    except DescriptionUnavailable as exc:
        raise HarnessFailure(
            f"analyze: the mock cannot serve GraphQL ({exc}); or analyze it with --api rest"
        ) from None


@click.command("analyze")
@click.argument("repo", metavar="OWNER/REPO")
@click.option(
    "--api-url", metavar="URL", help="Analyze this API (with GITHUB_TOKEN), not the mock."
)
@click.option("--limit", type=int, help="Runs to analyze (WORKFLOW_ANALYSIS_LIMIT).")
@click.option("--jobs", type=int, help="Parallel job fetchers (MAX_PARALLEL_JOBS).")
@click.option("--format", "output_format", type=click.Choice(OUTPUT_FORMATS), help="Report format.")
@click.option(
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    callback=writable_file,
    help="Write the report here (atomically).",
)
@click.option("--profile", type=click.Choice(PROFILE_NAMES), help="A named settings profile.")
@click.option(
    "--config",
    "config_file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="A TOML or KEY=VALUE settings file.",
)
@click.option("--cache", type=click.Choice(CACHE_CHOICES), help="Cache backend, or none.")
@click.option(
    "--api",
    type=click.Choice(API_MODES),
    help="Read jobs a run per request (rest), 100 runs per request (graphql), or graphql "
    "with a token and rest without (auto, the default) (GITHUB_API_MODE).",
)
@click.option(
    "--diagnose",
    is_flag=True,
    help="Print what this run's counters show (the tuning guide's issue types), not the report.",
)
@click.option(
    "--fail-on",
    metavar="ALERTS",
    help="Exit 1 when an alert is crossed, e.g. usage>80%,hit-rate<50% (docs/tuning.md).",
)
@click.option("--warm", is_flag=True, help="Only bring the cache up to date for the next analysis.")
def analyze_command(
    repo: str,
    api_url: str | None,
    limit: int | None,
    jobs: int | None,
    output_format: str | None,
    output: Path | None,
    profile: str | None,
    config_file: Path | None,
    cache: str | None,
    api: str | None,
    diagnose: bool,
    fail_on: str | None,
    warm: bool,
) -> int:
    """Analyze the GitHub Actions performance of OWNER/REPO.

    \b
    By default a mock GitHub is started on loopback and analyzed (offline, no token needed):
      bench analyze octo-org/octo-repo --limit 200 --jobs 8
    With --api-url the analyzer reads that API, authenticated by GITHUB_TOKEN:
      GITHUB_TOKEN=... bench analyze owner/repo --api-url https://api.github.com --format json
    Settings layer as defaults < --profile < --config FILE < environment < flags.
    --diagnose names the issues this run shows, each with the guide's remedy and the
    bench tune command that tests it; --fail-on exits 1 when an alert is crossed.
    """
    options = AnalyzeOptions(
        repo=repo, api_url=api_url, limit=limit, jobs=jobs, output_format=output_format,
        profile=profile, config_file=config_file, cache=cache, api=api,
    )  # fmt: skip
    if warm:
        return _warm_command(options)
    if diagnose or fail_on is not None:
        return _observed_command(options, diagnose, fail_on, output)
    outcome = _guarded(lambda: run_analyze(options))
    if output is not None:
        write_atomic(output, outcome.report.text)
        click.echo(f"report: {output}", err=True)
    else:
        click.echo(outcome.report.text, nl=False)
    if outcome.report.from_cache:
        click.echo("bench analyze: report served from the report cache", err=True)
    return 0


def _warm_command(options: AnalyzeOptions) -> int:
    warmed = _guarded(lambda: run_warm(options))
    usage = warmed.usage
    click.echo(
        f"warmed {warmed.repo}: {warmed.runs} runs, {warmed.jobs} jobs; {usage['requests']} "
        f"requests ({usage['not_modified']} answered 304), {usage['cache_hits']} fresh already"
    )
    return 0


def _observed_command(
    options: AnalyzeOptions, diagnose: bool, fail_on: str | None, output: Path | None
) -> int:
    """--diagnose and --fail-on: observe one analysis; exit 1 when an alert is crossed (an
    alert is the monitored service regressing, which is what exit 1 means to cron and CI)."""
    alerts = _guarded(lambda: parse_alerts(fail_on)) if fail_on is not None else ()
    observed = _guarded(lambda: run_observed(options))
    fmt = options.output_format or observed.config.output_format
    if diagnose:
        text = (
            render_json(observed, options.api_url, alerts)
            if fmt == "json"
            else render_text(observed, options.api_url)
        )
    else:
        text = render(observed.result, fmt)
    if output is not None:
        write_atomic(output, text)
        click.echo(f"{'diagnosis' if diagnose else 'report'}: {output}", err=True)
    else:
        click.echo(text, nl=False)
    hit = crossed(alerts, observed.observation)
    for alert in hit:
        click.echo(f"bench analyze: alert: {describe(alert, observed.observation)}", err=True)
    return EXIT_REGRESSION if hit else 0


def _guarded(action: Callable[[], T]) -> T:
    """Analyzer errors as the harness's typed errors (exit 2 for input, 3 for failures)."""
    try:
        return action()
    except ConfigError as exc:
        raise InputError(f"analyze: {exc}") from None
    except CacheError as exc:
        raise HarnessFailure(f"analyze: cache: {exc}") from None
    except AnalysisCancelled as exc:
        raise RunInterrupted(f"analyze: {exc}") from None
    except ApiError as exc:
        raise HarnessFailure(f"analyze: {exc}; no report was written") from None
