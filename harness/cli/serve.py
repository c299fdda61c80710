"""``bench serve``: the mock GitHub server, standalone, until interrupted."""

from __future__ import annotations

import ipaddress
from typing import Any

import click

from mockgithub.config import MockConfig, RateSpec
from mockgithub.recorded import FixtureError, load_recording
from mockgithub.server import LOOPBACK, serve_forever


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


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
def serve_command(host: str, port: int, **options: Any) -> None:
    """Serve the mock GitHub REST API until interrupted; print its base URL first.

    \b
    Example:
      bench serve --runs 1000 --latency-ms 20 --rate-limit 50/2
    """
    config = build_config(options)
    if not _is_loopback(host):
        click.echo(f"bench serve: warning: listening on {host}, not loopback", err=True)
    serve_forever(config, host, port, on_ready=lambda url: click.echo(url))
