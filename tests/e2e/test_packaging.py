"""Packaging metadata as PEP 639 writes it: an SPDX license expression and the license file.

A table (``license = {text = ...}``) made setuptools warn that it is deprecated on every
install; the installed metadata shows which form the build saw.
"""

from __future__ import annotations

import tomllib
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_the_license_is_an_spdx_expression_with_its_file() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())
    assert project["project"]["license"] == "MIT"
    for name in project["project"]["license-files"]:
        assert (ROOT / name).is_file(), name
    assert "the bench authors" in (ROOT / "LICENSE").read_text()
    assert any(r.startswith("setuptools>=77") for r in project["build-system"]["requires"])


def test_the_installed_metadata_carries_the_expression() -> None:
    # `make setup` reinstalls whenever pyproject.toml changes, so this is the current build.
    installed = metadata.metadata("bench")
    assert installed["License-Expression"] == "MIT"
    assert installed.get("License") is None  # the deprecated free-text field is gone
    assert "LICENSE" in (installed.get_all("License-File") or [])
