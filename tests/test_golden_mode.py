"""The golden-file helper itself: update mode only with BENCH_UPDATE_GOLDEN=1, never silent."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.golden import UPDATE_VARIABLE, check_golden


def test_a_difference_fails_and_leaves_the_file_alone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(UPDATE_VARIABLE, raising=False)
    golden = tmp_path / "g.txt"
    golden.write_text("old")
    with pytest.raises(AssertionError):
        check_golden(golden, "new")
    assert golden.read_text() == "old"


@pytest.mark.parametrize("value", ["0", "", "yes", "true"])
def test_only_the_value_1_means_update(
    value: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(UPDATE_VARIABLE, value)
    golden = tmp_path / "g.txt"
    golden.write_text("old")
    with pytest.raises(AssertionError):
        check_golden(golden, "new")
    assert golden.read_text() == "old"


def test_update_mode_rewrites_and_fails_once_then_passes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(UPDATE_VARIABLE, "1")
    golden = tmp_path / "g.txt"
    golden.write_text("old")
    with pytest.raises(pytest.fail.Exception, match="rewritten"):
        check_golden(golden, "new")
    assert golden.read_text() == "new"
    check_golden(golden, "new")  # unchanged now: passes
