"""The ``bench`` command: one click group, one module per subcommand, one error boundary.

The boundary (:func:`main`) is the only place where errors become messages and exit codes:
bad input (a flag, a file, a field in it) is exit 2 with one line naming it; a benchmark or
harness failure is exit 3 with one line; an error nobody expected (a bug) is exit 3 with one
line too, its traceback written to a log file that the line names (``bench --debug`` prints
it instead). Exit 1 means a regression and nothing else.
"""

from __future__ import annotations

import importlib
import os
import sys
import tempfile
import traceback
from datetime import UTC, datetime

import click

from harness import __version__
from harness.errors import EXIT_FAILURE, EXIT_USAGE, BenchError

# Subcommands load on first use: `bench run` should not pay for pandas or scipy at start-up.
COMMANDS = {
    "run": "harness.cli.run:run_command",
    "compare": "harness.cli.compare:compare_command",
    "baseline": "harness.cli.baseline:baseline_group",
    "merge": "harness.cli.merge:merge_command",
    "export": "harness.cli.export:export_command",
    "import": "harness.cli.imports:import_group",
    "report": "harness.cli.report:report_command",
    "plot": "harness.cli.plot:plot_command",
    "history": "harness.cli.history:history_command",
    "publish": "harness.cli.publish:publish_command",
    "calibrate": "harness.cli.calibrate:calibrate_command",
    "serve": "harness.cli.serve:serve_command",
    "analyze": "harness.cli.analyze:analyze_command",
    "tune": "harness.cli.tune:tune_command",
}


class LazyGroup(click.Group):
    """A click group whose subcommands are imported only when invoked or listed."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        target = COMMANDS.get(cmd_name)
        if target is None:
            return None
        module, attr = target.split(":")
        command: click.Command = getattr(importlib.import_module(module), attr)
        return command


class Boundary:
    """What the error boundary needs to know about this invocation: ``--debug``."""

    debug = False


def _set_debug(ctx: click.Context, param: click.Parameter, value: bool) -> bool:
    Boundary.debug = value
    return value


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="bench", message="%(prog)s %(version)s")
@click.option(
    "--debug",
    is_flag=True,
    expose_value=False,
    is_eager=True,
    callback=_set_debug,
    help="On an unexpected error, print its traceback to stderr instead of writing it to a log.",
)
def cli() -> None:
    """Benchmark and regression-test API-bound Python code.

    \b
    Quick start:
      bench run --quick          run every suite's quick subset, write results/<run-id>.json
      bench run cache -b cold    one suite, benchmarks whose id matches a regex

    \b
    Exit codes:
      0  ok
      1  a regression, and nothing else
      2  bad input: an option, or a file and the field in it (one line on stderr)
      3  a benchmark failed or did not run, or bench itself failed (one line on stderr;
         for an unexpected error the line names a log file with the traceback, and
         'bench --debug ...' prints the traceback instead)
    """


def main(argv: list[str] | None = None) -> None:
    """Entry point: the single place where errors become messages and exit codes."""
    Boundary.debug = False
    try:
        code = cli.main(args=argv, prog_name="bench", standalone_mode=False)
    except click.exceptions.UsageError as exc:
        command = exc.ctx.command_path if exc.ctx else "bench"
        detail = exc.format_message().rstrip(".")
        _fail(f"{command}: error: {detail} (see '{command} --help')", EXIT_USAGE)
    except click.exceptions.Abort:
        _fail("bench: aborted", EXIT_FAILURE)
    except click.ClickException as exc:
        _fail(f"bench: error: {exc.format_message()}", exc.exit_code)
    except BenchError as exc:
        _fail(f"bench: {exc}", exc.exit_code)
    except KeyboardInterrupt:
        _fail("bench: interrupted", EXIT_FAILURE)
    except Exception as exc:  # noqa: BLE001 - the boundary: every other error is exit 3
        _fail(_unexpected(exc), EXIT_FAILURE)
    sys.exit(code if isinstance(code, int) else 0)


def _unexpected(exc: Exception) -> str:
    """One line for an error nobody raised on purpose; its traceback goes to stderr with
    ``--debug``, else to a log file that the line names."""
    if isinstance(exc, OSError):  # the machine said no (disk full, permissions): not a bug
        what = f"{exc.strerror or exc}" + (f": {exc.filename}" if exc.filename else "")
        line = f"bench: error: {what}"
    else:
        line = f"bench: internal error: {type(exc).__name__}: {_first_line(exc)}"
    trace = "".join(traceback.format_exception(exc))
    if Boundary.debug:
        click.echo(trace.rstrip(), err=True)
        return line
    log = _write_log(trace)
    return f"{line} (traceback in {log}; 'bench --debug' prints it)" if log else line


def _first_line(exc: Exception) -> str:
    text = str(exc).strip()
    return text.splitlines()[0][:300] if text else "(no message)"


def _write_log(trace: str) -> str | None:
    """The traceback in a private file under the temp directory; None if it cannot be written."""
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    try:
        fd, path = tempfile.mkstemp(prefix=f"bench-error-{stamp}-", suffix=".log")
        with os.fdopen(fd, "w") as log:
            log.write(f"bench {__version__}\n{trace}")  # not argv: it may hold a secret
    except OSError:
        return None
    return path


def _fail(message: str, code: int) -> None:
    click.echo(message.replace("\n", " "), err=True)
    sys.exit(code)
