"""Typed errors of the harness; the CLI's error boundary maps them to exit codes."""

from __future__ import annotations

EXIT_OK = 0
EXIT_REGRESSION = 1
EXIT_USAGE = 2
EXIT_FAILURE = 3


class BenchError(Exception):
    """An error with a message for the user and the exit code it warrants."""

    exit_code = EXIT_FAILURE


class InputError(BenchError):
    """Bad input from the user: a flag, a file, a name."""

    exit_code = EXIT_USAGE


class HarnessFailure(BenchError):
    """The harness itself, or a benchmark, could not do its job."""

    exit_code = EXIT_FAILURE


class RunInterrupted(BenchError):
    """The user stopped the run; what finished is saved."""

    exit_code = EXIT_FAILURE
