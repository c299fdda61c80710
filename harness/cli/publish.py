"""``bench publish``: record results into asv's database and build asv's HTML history site."""

from __future__ import annotations

from pathlib import Path

import click

from harness.asv.db import DEFAULT_ASV_DIR, MACHINE_ENV, pending_results, record_files
from harness.asv.publish import publish
from harness.cli.options import results_dir_option
from harness.errors import EXIT_OK, InputError
from harness.results import load


@click.command("publish")
@click.argument("results", nargs=-1, type=click.Path(dir_okay=False, path_type=Path))
@results_dir_option
@click.option("--all", "everything", is_flag=True, help="Record every result again, not only new.")
@click.option(
    "--include-dirty",
    is_flag=True,
    help="Also record runs made on a working tree with uncommitted changes.",
)
@click.option(
    "--machine",
    metavar="NAME",
    help=f"Machine name in the history [default: ${MACHINE_ENV}, else the run's hostname].",
)
@click.option(
    "--asv-dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=DEFAULT_ASV_DIR,
    show_default=True,
    help="asv's directory: results/ (its database) and html/.",
)
@click.option(
    "--config",
    type=click.Path(dir_okay=False, path_type=Path),
    default=Path("asv.conf.json"),
    show_default=True,
    help="The asv configuration (project name, repository, branches).",
)
@click.option(
    "--html-dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Where the site goes [default: ASV_DIR/html].",
)
@click.option("--no-html", is_flag=True, help="Only record; do not run asv publish.")
@click.option(
    "--cdn", is_flag=True, help="Keep asv's CDN links instead of serving its scripts locally."
)
def publish_command(
    results: tuple[Path, ...],
    results_dir: Path,
    everything: bool,
    include_dirty: bool,
    machine: str | None,
    asv_dir: Path,
    config: Path,
    html_dir: Path | None,
    no_html: bool,
    cdn: bool,
) -> int:
    """Record RESULT files (default: new results in results/) into asv's history and publish it.

    Each run is stored under its git commit and machine, through asv's own results API, so
    'asv publish' and 'asv preview' show bench's history without running anything again.
    Runs without a commit, or on a dirty working tree, are skipped with a warning.
    """
    for path in results:
        load(path)  # a named file that cannot be read is a usage error, before anything is written
    if results:
        paths = list(results)
    elif everything:
        paths = sorted(results_dir.glob("*.json"))
    else:
        paths = pending_results(results_dir, asv_dir)
    done = record_files(paths, asv_dir, machine=machine, allow_dirty=include_dirty)
    for path, why in done.skipped:
        click.echo(f"skipped {path}: {why}", err=True)
    click.echo(f"recorded {len(done.recorded)} run(s) into {asv_dir / 'results'}")
    if results and not done.recorded:
        raise InputError("none of the named results could be recorded")
    if not no_html:
        site = publish(
            asv_dir,
            config=config,
            html_dir=html_dir,
            log=lambda line: click.echo(f"warning: {line}", err=True),
            offline=not cdn,
        )
        click.echo(f"html: {site}")
        click.echo(f"view: python -m http.server --bind 127.0.0.1 --directory {site}")
    return EXIT_OK
