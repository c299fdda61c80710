"""Options several commands share, defined once so they read and behave alike."""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from harness.compare.model import FailOn
from harness.errors import InputError

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


def unwritable(directory: Path) -> str | None:
    """Why no file can be written in ``directory``, or None. A real probe (an anonymous file
    made and dropped), since permission bits do not tell for root or for /proc."""
    if not directory.is_dir():
        return f"{directory} is not an existing directory"
    try:
        with tempfile.TemporaryFile(dir=directory):
            pass
    except OSError as exc:
        return f"cannot write in {directory} ({exc.strerror or exc})"
    return None


def writable_file(ctx: click.Context, param: click.Parameter, value: Path | None) -> Path | None:
    """Callback of an option naming a file to write: checked before any work is done. Missing
    folders are made when the file is written: the nearest existing one must take files."""
    if value is None:
        return None
    problem = unwritable(_nearest_existing(value.absolute().parent))
    if problem:
        raise click.BadParameter(f"{value}: {problem}", ctx, param)
    return value


def writable_dir(path: Path, flag: str) -> Path:
    """``path`` if files can be written in it once made (nothing is made now: bad input stops
    a command before it leaves anything behind); else an ``InputError`` naming ``flag``."""
    if path.exists() and not path.is_dir():
        raise InputError(f"{flag} {path}: not a directory")
    problem = unwritable(_nearest_existing(path.absolute()))
    if problem:
        raise InputError(f"{flag} {path}: {problem}")
    return path


def _nearest_existing(folder: Path) -> Path:
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent
    return folder


output_option = click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False, path_type=Path),
    callback=writable_file,
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
    default=FailOn.MISSING.value,
    show_default=True,
    callback=_fail_on,
    help=(
        "What fails: 'regression' only (exit 1); 'missing' also a benchmark that was planned "
        "or is in the baseline but has no result (exit 3); 'uncertain' also an uncertain "
        "verdict (exit 1)."
    ),
)


# click 8.2+ makes ParamType generic, older releases cannot subscript it at run time.
class DurationType(click.ParamType):  # type: ignore[type-arg]
    """A duration written as ``300``, ``300s``, ``5m`` or ``1h``, in seconds."""

    name = "duration"
    UNITS = {"s": 1.0, "m": 60.0, "h": 3600.0}

    def convert(
        self, value: Any, param: click.Parameter | None, ctx: click.Context | None
    ) -> float:
        if isinstance(value, float):
            return value
        text = str(value).strip().lower()
        scale = self.UNITS.get(text[-1:], None)
        try:
            seconds = float(text[:-1] if scale else text) * (scale or 1.0)
        except ValueError:
            self.fail(f"{value!r} is not a duration: write it as 300, 300s, 5m or 1h", param, ctx)
        if not 0.0 < seconds < 365 * 86400.0:
            self.fail(f"{value!r} must be a positive duration (e.g. 5m)", param, ctx)
        return seconds


DURATION = DurationType()
