"""Acceptance: after `bench run` on two commits, asv's site graphs both points of a benchmark."""

from __future__ import annotations

import json
from pathlib import Path

from asv.results import iter_results

from tests.harness.history.conftest import MACHINE, History


def graph(html: Path, name: str) -> list[list[object]]:
    """The data of the one graph of ``name`` on the test machine (not the summary)."""
    (path,) = [p for p in html.glob(f"graphs/**/machine-{MACHINE}/**/{name}.json") if p.is_file()]
    return json.loads(path.read_text())


def revisions(html: Path) -> dict[str, int]:
    index = json.loads((html / "index.json").read_text())
    return {commit: int(rev) for rev, commit in index["revision_to_hash"].items()}


def test_a_time_benchmark_holds_both_commits(history: History) -> None:
    revs = revisions(history.html)
    points = graph(history.html, "tiny.Tiny.time_sum")
    assert [p[0] for p in points] == [revs[c] for c in history.commits]
    for _, values in points:
        assert len(values) == 2 and all(v > 0 for v in values)  # one per value of n


def test_an_exact_track_value_holds_each_commits_value(history: History) -> None:
    revs = revisions(history.html)
    assert graph(history.html, "tiny.track_answer") == [
        [revs[history.commits[0]], 41.0],
        [revs[history.commits[1]], 42.0],
    ]


def test_exact_counters_are_track_values_with_their_unit(history: History) -> None:
    index = json.loads((history.html / "index.json").read_text())
    entry = index["benchmarks"]["tiny.Tiny.time_sum.items"]
    assert (entry["type"], entry["unit"]) == ("track", "count")
    assert entry["params"] == [["1", "2"]]
    points = graph(history.html, "tiny.Tiny.time_sum.items")
    assert [values for _, values in points] == [[10.0, 20.0], [10.0, 20.0]]


def test_results_are_asv_results_under_the_commit_and_machine(history: History) -> None:
    loaded = {r.commit_hash: r for r in iter_results(str(history.asv_dir / "results"))}
    assert set(loaded) == set(history.commits)
    for result in loaded.values():
        assert result.params["machine"] == MACHINE
        assert result.env_name == "bench"
        time_sum = result.get_result_value("tiny.Tiny.time_sum", [["1", "2"]])
        assert all(v is not None and v > 0 for v in time_sum)
        samples = result.get_result_samples("tiny.Tiny.time_sum", [["1", "2"]])
        assert all(len(s) == 3 for s in samples)  # --quick: bench's own 3 samples are kept


def test_publish_again_records_nothing_new(history: History) -> None:
    from tests.harness.history.conftest import bench

    done = bench("publish", "--machine", MACHINE, "--no-html", cwd=history.repo)
    assert done.returncode == 0, done.stderr
    assert "recorded 0 run(s)" in done.stdout
