"""The one npm fetcher: pinned files land in the cache only when they match their SHA-256.

A stand-in ``npm`` on PATH answers ``npm pack`` with a tarball built here, so the test runs the
real subprocess path without the registry.
"""

from __future__ import annotations

import hashlib
import io
import os
import stat
import tarfile
from pathlib import Path

import pytest

from harness.npmfetch import NpmFile, NpmUnavailable, fetch_npm_files
from mockgithub import published

CONTENT = b"type Query { rateLimit: Int }\n"
PIN = NpmFile("@octokit/fake@1.0.0", "package/schema.graphql", hashlib.sha256(CONTENT).hexdigest())


def fake_npm(bin_dir: Path, tarball: Path) -> None:
    """An ``npm`` that copies ``tarball`` into ``--pack-destination`` and prints its name."""
    script = bin_dir / "npm"
    script.write_text(
        "#!/bin/sh\n"
        'while [ "$1" != "--pack-destination" ]; do shift; done\n'
        f'cp "{tarball}" "$2/" && echo "{tarball.name}"\n'
    )
    script.chmod(script.stat().st_mode | stat.S_IEXEC)


def build_tarball(path: Path, files: dict[str, bytes]) -> Path:
    with tarfile.open(path, "w:gz") as archive:
        for name, data in files.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    return path


@pytest.fixture
def npm_serving(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    def serve(files: dict[str, bytes]) -> None:
        bin_dir = tmp_path / "bin"
        bin_dir.mkdir(exist_ok=True)
        fake_npm(bin_dir, build_tarball(tmp_path / "octokit-fake-1.0.0.tgz", files))
        monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")

    return serve


def test_a_pinned_file_and_its_license_are_cached(npm_serving, tmp_path: Path) -> None:
    npm_serving({"package/schema.graphql": CONTENT, "package/LICENSE": b"MIT"})
    cache = tmp_path / "cache"
    assert fetch_npm_files({"schema.graphql": PIN}, cache) == cache
    assert (cache / "schema.graphql").read_bytes() == CONTENT
    assert (cache / "licenses" / "octokit-fake.txt").read_bytes() == b"MIT"


def test_a_file_that_does_not_match_its_pin_is_refused_and_not_written(
    npm_serving, tmp_path: Path
) -> None:
    npm_serving({"package/schema.graphql": CONTENT + b"# tampered\n"})
    cache = tmp_path / "cache"
    with pytest.raises(NpmUnavailable, match="does not match its pinned checksum"):
        fetch_npm_files({"schema.graphql": PIN}, cache)
    assert not (cache / "schema.graphql").exists()


def test_cached_files_are_not_fetched_again(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("PATH", str(tmp_path / "no-npm-here"))
    cache = tmp_path / "cache"
    cache.mkdir()
    (cache / "schema.graphql").write_bytes(CONTENT)
    assert fetch_npm_files({"schema.graphql": PIN}, cache) == cache


def test_without_npm_the_error_names_what_is_missing(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("PATH", str(tmp_path / "no-npm-here"))
    with pytest.raises(NpmUnavailable, match="npm is not installed, so schema.graphql"):
        fetch_npm_files({"schema.graphql": PIN}, tmp_path / "cache")


def test_a_cached_description_that_differs_from_its_pin_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(published.SCHEMAS_DIR_ENV, str(tmp_path))
    (tmp_path / published.GRAPHQL_SDL).write_text("type Query { hacked: Int }\n")
    with pytest.raises(published.DescriptionUnavailable, match="does not match its pinned"):
        published.path_of(published.GRAPHQL_SDL)
