"""``bench serve``: the mock GitHub server, standalone, until interrupted."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from mockgithub.config import MockConfig, RateSpec
from mockgithub.control import SECRET_HEADER, ControlAccess
from mockgithub.recorded import FixtureError, load_recording
from mockgithub.server import LOOPBACK, check_host, is_loopback, serve_forever


def _rate(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    if value is None:
        return None
    try:
        RateSpec.parse(value)
    except ValueError:
        message = f"expected LIMIT/SECONDS such as 5000/3600, got {value!r}"
        raise click.BadParameter(message) from None
    return value


def build_config(options: dict[str, Any]) -> MockConfig:
    """The server's config from the command's options (only those given)."""
    changes = {key: value for key, value in options.items() if value is not None}
    if "fixture" in changes:
        try:
            load_recording(changes["fixture"])
        except FixtureError as exc:
            raise click.BadParameter(str(exc), param_hint="--fixture") from None
    try:
        return MockConfig().updated(changes)
    except ValueError as exc:
        raise click.UsageError(str(exc)) from None


@click.command("serve")
@click.option("--host", default=LOOPBACK, show_default=True, help="Address to bind.")
@click.option(
    "--allow-remote", is_flag=True, help="Allow a --host that is not loopback (others can connect)."
)
@click.option(
    "--open-control", is_flag=True, help="Let /_mock/ requests in without the secret (loopback)."
)
@click.option(
    "--fixture-dir",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    help="A directory the control API may load fixtures from.",
)
@click.option("--port", type=click.IntRange(0, 65535), default=0, help="Port (0: any free one).")
@click.option("--repo", metavar="OWNER/NAME", help="The repository served (others get 404).")
@click.option("--seed", type=int, help="Seed of the generated data.")
@click.option("--runs", type=click.IntRange(0, 10_000_000), help="Workflow runs to serve.")
@click.option("--workflows", type=click.IntRange(1, 64), help="Workflows in the repository.")
@click.option("--latency-ms", type=click.FloatRange(0), help="Fixed latency per response.")
@click.option("--jitter-ms", type=click.FloatRange(0), help="Random latency added on top.")
@click.option("--rate-limit", callback=_rate, metavar="LIMIT/SECONDS", help="Per-token limit.")
@click.option("--error-rate", type=click.FloatRange(0, 1), help="Share of 500/502/503 answers.")
@click.option(
    "--fixture",
    type=click.Path(exists=True, dir_okay=False),
    help="Replay a recorded repository instead of seeded data.",
)
def serve_command(
    host: str,
    port: int,
    allow_remote: bool,
    open_control: bool,
    fixture_dir: Path | None,
    **options: Any,
) -> None:
    """Serve the mock GitHub REST API until interrupted; print its base URL first.

    The second line is the header control requests (/_mock/...) must carry, with this
    server's secret, unless --open-control.

    \b
    Example:
      bench serve --runs 1000 --latency-ms 20 --rate-limit 50/2
    """
    try:
        check_host(host, allow_remote, open_control)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--host") from None
    config = build_config(options)
    if not is_loopback(host):
        click.echo(f"bench serve: warning: listening on {host}, not loopback", err=True)
    control = (
        ControlAccess(None, fixture_dir)
        if open_control
        else ControlAccess.guarded(None, fixture_dir)
    )

    def ready(url: str) -> None:
        click.echo(url)
        if control.secret:
            click.echo(f"{SECRET_HEADER}: {control.secret}")
        else:
            click.echo("bench serve: the control API is open (--open-control)", err=True)

    serve_forever(config, host, port, on_ready=ready, control=control)
