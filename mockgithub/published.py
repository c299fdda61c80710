"""GitHub's own published descriptions of its APIs, pinned: the OpenAPI description and the
GraphQL schema (SDL).

They are not copied into this repository. Each is a file of an exact npm package version
(``@octokit/openapi``, ``@octokit/graphql-schema``: GitHub's descriptions as octokit publishes
them) with its SHA-256; :func:`path_of` returns the cached file, fetching it with ``npm pack``
(:mod:`harness.npmfetch`, the project's one npm fetcher) the first time, and refuses a cached
file that does not match its pin. The cache is ``$BENCH_GITHUB_SCHEMAS_DIR``, default
``~/.cache/bench/github-descriptions``; ``make assets`` fetches both ahead of time
(:func:`fetch`).

The mock needs only the SDL, and only when a GraphQL request arrives; the OpenAPI description
(13 MB) is for the tests that validate every REST response against it.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import Final

SCHEMAS_DIR_ENV: Final = "BENCH_GITHUB_SCHEMAS_DIR"
OPENAPI: Final = "api.github.com.json"
GRAPHQL_SDL: Final = "schema.graphql"
# Local name -> (npm package@version, path in its tarball, SHA-256 of the file).
PINS: Final[dict[str, tuple[str, str, str]]] = {
    OPENAPI: (
        "@octokit/openapi@23.0.2", "package/generated/api.github.com.json",
        "829b4bebb19a53133289f7b0bc819f4f1118115821db2ca9f25e9ee995a7da2a",
    ),
    GRAPHQL_SDL: (
        "@octokit/graphql-schema@15.26.1", "package/schema.graphql",
        "3c62d0526d133cee53221c89de9b455ade24db78b9e7ad56d642c4c15bce2654",
    ),
}  # fmt: skip


class DescriptionUnavailable(RuntimeError):
    """A pinned description is not cached and cannot be fetched, or does not match its pin."""


def schemas_dir() -> Path:
    configured = os.environ.get(SCHEMAS_DIR_ENV)
    if configured:
        return Path(configured)
    cache = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(cache) / "bench" / "github-descriptions"


def path_of(name: str) -> Path:
    """The cached, checksum-verified file ``name`` (a key of :data:`PINS`), fetched if needed."""
    directory = schemas_dir()
    path = directory / name
    if not path.is_file():
        fetch([name])
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    if digest != PINS[name][2]:
        raise DescriptionUnavailable(
            f"{path} does not match its pinned SHA-256 (delete it and fetch it again)"
        )
    return path


def fetch(names: list[str] | None = None) -> Path:
    """Fetch the named descriptions (default: all) into the cache; return the directory."""
    # Imported here: the harness's fetcher is needed only when a file is missing, so the mock
    # itself does not depend on the harness when its descriptions are already cached.
    from harness.npmfetch import NpmFile, NpmUnavailable, fetch_npm_files

    wanted = {name: NpmFile(*PINS[name]) for name in (names or list(PINS))}
    try:
        return fetch_npm_files(wanted, schemas_dir())
    except NpmUnavailable as exc:
        raise DescriptionUnavailable(
            f"{exc} (run `make assets` where npm can reach its registry)"
        ) from None
