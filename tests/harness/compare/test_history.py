"""History of one benchmark across stored results, with change points."""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.errors import InputError
from harness.history import load_runs, metric_history
from harness.results import save
from tests.harness.compare.factory import run, timed


def _store(directory: Path, medians: list[float]) -> None:
    for i, median in enumerate(medians):
        save(
            run(f"2026010{i}T000000Z", timed("x", i, median, cv=0.02)),
            directory / f"2026010{i}T000000Z.json",
        )


def test_one_step_is_marked_once(tmp_path: Path) -> None:
    _store(tmp_path, [1.0, 1.0, 1.0, 1.0, 1.5, 1.5, 1.5, 1.5])
    frame = metric_history("x", load_runs(tmp_path))
    assert list(frame["change"]) == [False] * 4 + [True] + [False] * 3
    assert frame["shift"][4] == pytest.approx(1.5, rel=0.05)
    assert list(frame["n"]) == [10] * 8


def test_a_flat_history_has_no_change(tmp_path: Path) -> None:
    _store(tmp_path, [1.0] * 6)
    assert not metric_history("x", load_runs(tmp_path))["change"].any()


def test_unknown_benchmark_and_corrupt_files_are_input_errors(tmp_path: Path) -> None:
    _store(tmp_path, [1.0, 1.0])
    with pytest.raises(InputError, match="no stored result has benchmark 'nope'; known: x"):
        metric_history("nope", load_runs(tmp_path))
    (tmp_path / "20260109T000000Z.json").write_text("{broken")
    with pytest.raises(InputError, match="20260109T000000Z.json"):
        load_runs(tmp_path)
