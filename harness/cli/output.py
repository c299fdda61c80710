"""Where the CLI's tables go: fitted to a terminal, or at full width into a log or a file."""

from __future__ import annotations

import sys

import click
from rich.console import Console, RenderableType

from harness.format import plain_text


def on_terminal(err: bool = False) -> bool:
    """Whether stdout (or stderr) is a terminal, as rich decides it (FORCE_COLOR, TTY_* too)."""
    return Console(stderr=err).is_terminal


def show(renderable: RenderableType) -> None:
    """Print a table to stdout: fitted and coloured on a terminal; off one (a CI log, a pipe),
    plain text at its natural width, one line per row with the full ids."""
    if on_terminal():
        Console().print(renderable)
    else:
        click.echo(plain_text(renderable), nl=False)
        sys.stdout.flush()
