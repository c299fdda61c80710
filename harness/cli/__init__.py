"""The ``bench`` command: one click group, one module per subcommand, one error boundary."""

from __future__ import annotations

import importlib
import sys

import click

from harness import __version__
from harness.errors import EXIT_FAILURE, EXIT_USAGE, BenchError

# Subcommands load on first use: `bench run` should not pay for pandas or scipy at start-up.
COMMANDS = {
    "run": "harness.cli.run:run_command",
    "compare": "harness.cli.compare:compare_command",
    "baseline": "harness.cli.baseline:baseline_group",
    "merge": "harness.cli.merge:merge_command",
    "report": "harness.cli.report:report_command",
    "plot": "harness.cli.plot:plot_command",
    "history": "harness.cli.history:history_command",
    "publish": "harness.cli.publish:publish_command",
    "calibrate": "harness.cli.calibrate:calibrate_command",
    "serve": "harness.cli.serve:serve_command",
    "analyze": "harness.cli.analyze:analyze_command",
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


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="bench", message="%(prog)s %(version)s")
def cli() -> None:
    """Benchmark and regression-test API-bound Python code.

    \b
    Quick start:
      bench run --quick          run every suite's quick subset, write results/<run-id>.json
      bench run cache -b cold    one suite, benchmarks whose id matches a regex

    Exit codes: 0 ok, 1 regression, 2 usage or input error, 3 benchmark or harness failure.
    """


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
