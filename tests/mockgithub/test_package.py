"""The package's names load their modules when first used."""

from __future__ import annotations

import subprocess
import sys

import pytest

import mockgithub


def _loaded_after(code: str) -> set[str]:
    shown = "import sys; print(' '.join(sorted(sys.modules)))"
    out = subprocess.run(
        [sys.executable, "-c", f"{code}; {shown}"], capture_output=True, text=True, check=True
    )
    return set(out.stdout.split())


def test_a_benchmark_worker_importing_a_suite_loads_no_graphql_schema() -> None:
    loaded = _loaded_after("import harness.worker, suites.cache")
    assert "mockgithub.process" in loaded
    assert {"graphql", "mockgithub.model", "mockgithub.gql"}.isdisjoint(loaded)


def test_every_public_name_resolves_and_an_unknown_one_is_an_attribute_error() -> None:
    for name in mockgithub.__all__:
        assert getattr(mockgithub, name).__name__ == name
    with pytest.raises(AttributeError, match="no attribute 'Nope'"):
        _ = mockgithub.Nope
