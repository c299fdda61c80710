"""pytest-benchmark micro suites: their JSON imported as bench results, and real runs of them as
ordinary cases of a run."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from harness.errors import InputError
from harness.micro import (
    MAX_SAMPLES,
    bench_id,
    case_of,
    collect,
    import_pytest_benchmark,
    nodeid_of,
)
from harness.records import Direction, Kind, RunResult, Status
from harness.results import from_dict, to_dict
from harness.runner import RunOptions, run
from harness.suite import discover

DATA = Path(__file__).parent / "data" / "pytest_benchmark.json"  # a real pytest-benchmark run
SUITES = Path(__file__).resolve().parents[3] / "suites"
FAILING = """
import pytest


def test_fast(benchmark):
    benchmark(sum, range(10))


@pytest.mark.parametrize("size", [1, 2])
def test_breaks(benchmark, size):
    benchmark(sum, range(size))
    assert size == 1, "size 2 is broken"


def test_skipped(benchmark):
    pytest.skip("needs a service")
"""


def test_recorded_json_becomes_one_sampled_time_metric_per_test() -> None:
    data = json.loads(DATA.read_text())
    results = {r.id: r for r in import_pytest_benchmark(data)}
    assert list(results) == [
        "micro.test_cache.test_cache_key",
        "micro.test_cache.test_get[file]",
        "micro.test_cache.test_get[memory]",
    ]
    for raw in data["benchmarks"]:
        result = results[bench_id(raw["fullname"])]
        (metric,) = result.metrics
        assert (metric.name, metric.unit, metric.kind, metric.direction) == (
            "time", "s", Kind.SAMPLED, Direction.LOWER,
        )  # fmt: skip
        assert metric.samples == tuple(raw["stats"]["data"])  # the real rounds, not only stats
        assert metric.summary["median"] == pytest.approx(raw["stats"]["median"])
        assert result.status is Status.OK
    assert results["micro.test_cache.test_get[file]"].params == {"backend": "file"}
    assert results["micro.test_cache.test_get[file]"].name == "micro.test_cache.test_get"
    assert results["micro.test_cache.test_cache_key"].params == {}


def test_imported_results_survive_the_result_format() -> None:
    results = import_pytest_benchmark(json.loads(DATA.read_text()))
    result = RunResult("20261130T000000000000Z", benchmarks=tuple(results), complete=True)
    assert from_dict(json.loads(json.dumps(to_dict(result)))) == result


def test_json_without_round_data_is_refused() -> None:
    data = json.loads(DATA.read_text())
    del data["benchmarks"][0]["stats"]["data"]
    with pytest.raises(InputError, match="no per-round data"):
        import_pytest_benchmark(data)


@pytest.mark.parametrize("bad", [float("nan"), float("inf")])
def test_a_time_that_is_not_a_finite_number_fails_that_test_alone(bad: float) -> None:
    data = json.loads(DATA.read_text())
    data["benchmarks"][0]["stats"]["data"][2] = bad
    results = import_pytest_benchmark(data)
    assert [r.status for r in results] == [Status.FAILED, Status.OK, Status.OK]
    assert "not a finite number" in (results[0].error or "") and results[0].metrics == ()


def test_many_rounds_are_thinned_evenly() -> None:
    data = json.loads(DATA.read_text())
    data["benchmarks"][0]["stats"]["data"] = [float(i) for i in range(3 * MAX_SAMPLES)]
    metric = import_pytest_benchmark(data)[0].metrics[0]
    assert len(metric.samples) == MAX_SAMPLES
    assert metric.samples[:3] == (0.0, 3.0, 6.0)


def test_ids_and_node_ids_round_trip(tmp_path: Path) -> None:
    root = tmp_path / "suites"
    (root / "micro").mkdir(parents=True)
    node = "suites/micro/test_cache.py::test_get[file]"
    seen = {"path": str(root / "micro" / "test_cache.py"), "params": {"backend": "file"}}
    case = case_of(node, seen, root)
    assert case.id == bench_id(node) == "micro.test_cache.test_get[file]"
    assert (case.module, case.method) == ("micro/test_cache.py", "test_get[file]")
    assert nodeid_of(case, root) == f"{root}/micro/test_cache.py::test_get[file]"
    assert bench_id("a/test_x.py::TestY::test_z[0.5]") == "micro.test_x.TestY.test_z[0.5]"


def _micro_suites(tmp_path: Path) -> Path:
    root = tmp_path / "suites"
    (root / "micro").mkdir(parents=True)
    (root / "__init__.py").write_text("")
    (root / "micro" / "test_some.py").write_text(FAILING)
    return root


def test_collection_lists_every_test_with_its_parameters(tmp_path: Path) -> None:
    cases = {c.id: c for c in collect(_micro_suites(tmp_path))}
    assert sorted(cases) == [
        "micro.test_some.test_breaks[1]",
        "micro.test_some.test_breaks[2]",
        "micro.test_some.test_fast",
        "micro.test_some.test_skipped",
    ]
    assert cases["micro.test_some.test_breaks[2]"].params == {"size": 2}
    assert cases["micro.test_some.test_breaks[2]"].name == "micro.test_some.test_breaks"


def test_a_real_run_records_failures_and_skips(tmp_path: Path) -> None:
    root = _micro_suites(tmp_path)
    options = RunOptions(root, tmp_path / "results", quick=True, processes=2)
    result, _ = run(options)
    by_id = {r.id: r for r in result.benchmarks}
    assert set(by_id) == {
        "micro.test_some.test_fast",
        "micro.test_some.test_breaks[1]",
        "micro.test_some.test_breaks[2]",
        "micro.test_some.test_skipped",
    }
    fast = by_id["micro.test_some.test_fast"].metric("time")
    assert fast is not None and [r.round for r in fast.runs] == [0, 1]  # two worker processes
    assert all(len(r.samples) >= 5 for r in fast.runs)
    broken = by_id["micro.test_some.test_breaks[2]"]
    assert broken.status is Status.FAILED and "size 2 is broken" in (broken.error or "")
    assert broken.params == {"size": 2} and broken.metrics == ()
    skipped = by_id["micro.test_some.test_skipped"]
    assert skipped.status is Status.SKIPPED and "needs a service" in (skipped.error or "")
    only = RunOptions(
        root, tmp_path / "results", quick=True, ids=("micro.test_some.test_breaks[1]",)
    )
    assert [r.id for r in run(only)[0].benchmarks] == ["micro.test_some.test_breaks[1]"]


def test_neither_asv_nor_bench_discovery_collects_the_micro_suites() -> None:
    assert (SUITES / "micro").is_dir() and not (SUITES / "micro" / "__init__.py").exists()
    assert discover(SUITES)
    assert not [b for b in discover(SUITES) if ".micro." in b.module or "test_" in b.method]
