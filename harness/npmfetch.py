"""Files from packages on the npm registry: pinned, checksummed, cached outside the repository.

bench needs a few published files that it must not copy into its own tree: asv's page scripts
(:mod:`harness.asv.assets`) and GitHub's published API descriptions (:mod:`mockgithub.published`:
the OpenAPI description the tests validate against, the GraphQL schema the mock serves). Each is
named by an :class:`NpmFile`: an exact ``package@version``, the file's path in the package's
tarball and the SHA-256 of the file. :func:`fetch_npm_files` runs ``npm pack`` for the packages
that have missing files, checks every file against its pin and writes it atomically into a cache
directory (under ``$XDG_CACHE_HOME/bench`` or ``~/.cache/bench`` by default), with each
package's license beside it. A file that does not match its pin is never written.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import tarfile
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from harness.atomic import write_atomic

LICENSE_NAMES = ("LICENSE", "LICENSE.txt", "LICENSE.md", "MIT-LICENSE.txt", "LICENSE-MIT")


@dataclass(frozen=True)
class NpmFile:
    """One file of one published npm package version, and the SHA-256 it must have."""

    package: str  # name@version, e.g. "@octokit/openapi@23.0.2"
    member: str  # path in the tarball, e.g. "package/generated/api.github.com.json"
    sha256: str

    @property
    def package_name(self) -> str:
        """The package without its version (``@scope/name`` keeps its leading ``@``)."""
        return self.package.rsplit("@", 1)[0]


class NpmUnavailable(Exception):
    """The files could not be had: no npm, no registry, or a checksum mismatch."""


def cache_root() -> Path:
    """``$XDG_CACHE_HOME/bench``, else ``~/.cache/bench``."""
    cache = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(cache) / "bench"


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def missing(files: Mapping[str, NpmFile], directory: Path) -> list[str]:
    """Local names of ``files`` not yet in ``directory``."""
    return [name for name in files if not (directory / name).is_file()]


def fetch_npm_files(
    files: Mapping[str, NpmFile], directory: Path, timeout_s: float = 300.0
) -> Path:
    """Make sure every file of ``files`` (local name -> pin) is in ``directory``; return it."""
    absent = missing(files, directory)
    if not absent:
        return directory
    npm = shutil.which("npm")
    if npm is None:
        raise NpmUnavailable(f"npm is not installed, so {', '.join(absent)} cannot be fetched")
    directory.mkdir(parents=True, exist_ok=True)
    packages = sorted({files[name].package for name in absent})
    with tempfile.TemporaryDirectory(prefix="bench-npm-") as tmp:
        for package in packages:
            tarball = _pack(npm, package, Path(tmp), timeout_s)
            wanted = {n: files[n] for n in absent if files[n].package == package}
            _extract(tarball, wanted, directory)
    return directory


def _pack(npm: str, package: str, into: Path, timeout_s: float) -> Path:
    command = [npm, "pack", package, "--silent", "--pack-destination", str(into)]
    try:
        done = subprocess.run(
            command, capture_output=True, text=True, timeout=timeout_s, check=False
        )
    except subprocess.TimeoutExpired:
        raise NpmUnavailable(f"npm pack {package} timed out") from None
    name = done.stdout.strip().splitlines()[-1:] if done.returncode == 0 else []
    if not name or not (into / name[0]).is_file():
        raise NpmUnavailable(f"npm pack {package} failed: {done.stderr.strip()[:200]}")
    return into / name[0]


def _extract(tarball: Path, wanted: Mapping[str, NpmFile], directory: Path) -> None:
    with tarfile.open(tarball) as archive:
        members = {m.name: m for m in archive.getmembers() if m.isfile()}
        for name, pin in wanted.items():
            data = _read(archive, members.get(pin.member), f"{pin.package}: no {pin.member}")
            if sha256_of(data) != pin.sha256:
                raise NpmUnavailable(
                    f"{pin.package}: {pin.member} does not match its pinned checksum"
                )
            write_atomic(directory / name, data)
        license_path = next(
            (f"package/{n}" for n in LICENSE_NAMES if f"package/{n}" in members), None
        )
        if license_path and wanted:
            package_name = next(iter(wanted.values())).package_name
            target = directory / "licenses" / f"{package_name.lstrip('@').replace('/', '-')}.txt"
            write_atomic(target, _read(archive, members[license_path], license_path))


def _read(archive: tarfile.TarFile, member: tarfile.TarInfo | None, missing_text: str) -> bytes:
    handle = archive.extractfile(member) if member is not None else None
    if handle is None:
        raise NpmUnavailable(missing_text)
    return handle.read()
