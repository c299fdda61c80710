"""Options several commands share, defined once so they read and behave alike."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from harness.compare.model import FailOn

Decorator = Callable[[Any], Any]


def _directory(flag: str, default: str, help_text: str) -> Decorator:
    return click.option(
        flag,
        type=click.Path(file_okay=False, path_type=Path),
        default=Path(default),
        show_default=True,
        help=help_text,
    )


results_dir_option = _directory(
    "--results-dir", "results", "Where results/<run-id>.json are written and read (plots too)."
)
baselines_dir_option = _directory(
    "--baselines-dir", "baselines", "Where named baselines are kept (commit this folder)."
)
suites_dir_option = _directory("--suites-dir", "suites", "The suites package.")
output_option = click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write here (atomically) instead of stdout.",
)
artifact_url_option = click.option(
    "--artifact-url",
    metavar="URL",
    envvar="BENCH_ARTIFACT_URL",
    help=(
        "Link the Markdown report to this page of the CI artifact holding the plots, the HTML "
        "report and the results (actions/upload-artifact's artifact-url output) "
        "[env: BENCH_ARTIFACT_URL]."
    ),
)
PROCESSES_HELP = (
    "Worker processes per benchmark, each taking --samples samples, spread over the run. "
    "Time verdicts need at least 5 per side to see the noise between processes "
    "(docs/verdicts.md)."
)
processes_option = click.option(
    "--processes", type=click.IntRange(1, 100), default=1, show_default=True, help=PROCESSES_HELP
)


def _fail_on(ctx: click.Context, param: click.Parameter, value: str) -> FailOn:
    return FailOn(value)


fail_on_option = click.option(
    "--fail-on",
    type=click.Choice([f.value for f in FailOn]),
    default=FailOn.REGRESSION.value,
    show_default=True,
    callback=_fail_on,
    help="Exit 1 on regressions only, or on uncertain verdicts too.",
)
