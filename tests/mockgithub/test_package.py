"""The package's names load their modules when first used (what a worker loads:
tests/suites/test_imports.py)."""

from __future__ import annotations

import pytest

import mockgithub


def test_every_public_name_resolves_and_an_unknown_one_is_an_attribute_error() -> None:
    for name in mockgithub.__all__:
        assert getattr(mockgithub, name).__name__ == name
    with pytest.raises(AttributeError, match="no attribute 'Nope'"):
        _ = mockgithub.Nope
