"""The ``bench`` command: one click group, one module per subcommand, one error boundary."""

from __future__ import annotations

import sys

import click

from harness import __version__
from harness.cli.baseline import baseline_group
from harness.cli.merge import merge_command
from harness.cli.run import run_command
from harness.cli.serve import serve_command
from harness.errors import EXIT_FAILURE, EXIT_USAGE, BenchError


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="bench", message="%(prog)s %(version)s")
def cli() -> None:
    """Benchmark and regression-test API-bound Python code.

    \b
    Quick start:
      bench run --quick          run every suite's quick subset, write results/<run-id>.json
      bench run cache -b cold    one suite, benchmarks whose id matches a regex

    Exit codes: 0 ok, 1 regression, 2 usage or input error, 3 benchmark or harness failure.
    """


cli.add_command(run_command)
cli.add_command(serve_command)
cli.add_command(baseline_group)
cli.add_command(merge_command)


def main(argv: list[str] | None = None) -> None:
    """Entry point: the single place where errors become messages and exit codes."""
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
    except OSError as exc:
        _fail(f"bench: error: {exc}", EXIT_FAILURE)
    sys.exit(code if isinstance(code, int) else 0)


def _fail(message: str, code: int) -> None:
    click.echo(message.replace("\n", " "), err=True)
    sys.exit(code)
