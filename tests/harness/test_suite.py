from __future__ import annotations

from dataclasses import replace

import pytest

from harness.errors import InputError
from harness.measure import SampleSettings
from harness.records import Direction
from harness.runner import RunOptions, run
from harness.suite import (
    Attributes,
    BenchKind,
    Benchmark,
    CaseRef,
    attributes,
    discover,
    ignored_warnings,
    select,
)
from harness.worker import case_settings
from tests.harness.conftest import SAMPLE_SUITES


def test_discovers_every_kind_with_asv_names() -> None:
    names = {(b.name, b.kind) for b in discover(SAMPLE_SUITES)}
    assert ("basic.Arithmetic.time_sum", "time") in names
    assert ("basic.track_answer", "track") in names
    assert ("basic.peakmem_list", "peakmem") in names
    assert ("basic.mem_dict", "mem") in names
    assert ("broken.time_hangs", "time") in names


def test_parameter_grid_ids_are_stable_and_readable() -> None:
    cases = select(discover(SAMPLE_SUITES), ["basic"], pattern="time_sum")
    assert [c.id for c in cases][:2] == [
        "basic.Arithmetic.time_sum(size=10, label='a')",
        "basic.Arithmetic.time_sum(size=10, label='b')",
    ]
    assert len(cases) == 6


def test_quick_runs_only_the_quick_subset() -> None:
    cases = select(discover(SAMPLE_SUITES), ["basic"], pattern="time_sum", quick=True)
    assert [c.params for c in cases] == [{"size": 10, "label": "a"}, {"size": 10, "label": "b"}]


def test_timeout_attribute_is_read() -> None:
    hangs = next(b for b in discover(SAMPLE_SUITES) if b.method == "time_hangs")
    assert hangs.attrs.timeout_s == 2


def test_unknown_suite_and_bad_regex_are_input_errors() -> None:
    with pytest.raises(InputError, match="no suite named nope"):
        select(discover(SAMPLE_SUITES), ["nope"])
    with pytest.raises(InputError, match="regular expression"):
        select(discover(SAMPLE_SUITES), [], pattern="(")


class _Declared:
    """A benchmark class that sets asv's attributes (on the class and on one method)."""

    warmup_time = -1  # asv's default: left to the run
    sample_time = 0.05
    rounds = 3
    version = "2"
    timeout = 7
    metric_directions = {"throughput": "higher"}

    def time_x(self) -> None:
        pass

    time_x.timeout = 9  # type: ignore[attr-defined]


def test_attributes_are_read_once_from_the_method_then_the_class() -> None:
    attrs = attributes("m._Declared.time_x", _Declared.time_x, _Declared)
    assert attrs.timeout_s == 9  # the method's own wins, as in asv
    assert (attrs.warmup_s, attrs.sample_s, attrs.version) == (None, 0.05, "2")
    assert attrs.metric_directions == {"throughput": Direction.HIGHER}
    assert attrs.ignored == ("rounds",)


def test_a_bad_attribute_is_an_input_error_naming_the_benchmark() -> None:
    class Bad:
        thresholds = {"time": "lots"}

    with pytest.raises(InputError, match="benchmark m.Bad.time_x: bad attribute"):
        attributes("m.Bad.time_x", lambda: None, Bad)


def test_an_ignored_asv_attribute_is_reported_once_per_attribute() -> None:
    declared = Attributes(ignored=("rounds", "processes"))
    benchmarks = [
        Benchmark("s.m", f"C{i}", "time_x", BenchKind.TIME, (), (), attrs=declared)
        for i in range(5)
    ]
    warnings = ignored_warnings(benchmarks)
    assert len(warnings) == 2
    assert warnings[1].startswith("asv attribute 'rounds' is not honoured (bench measures")
    assert warnings[1].endswith("set by m.C0.time_x, m.C1.time_x, m.C2.time_x and 2 more")


def test_a_case_takes_the_sample_and_warm_up_times_it_declares() -> None:
    run_settings = SampleSettings(samples=10, warmup_s=0.05, min_sample_s=0.01)
    case = CaseRef("x", "x", {}, "m", None, "time_x", BenchKind.TIME,
                   attrs=Attributes(warmup_s=0.5, sample_s=0.2))  # fmt: skip
    settings = case_settings(case, run_settings)
    assert (settings.warmup_s, settings.min_sample_s, settings.samples) == (0.5, 0.2, 10)
    plain = CaseRef("x", "x", {}, "m", None, "time_x", BenchKind.TIME)
    assert case_settings(plain, run_settings) == run_settings


def test_mem_benchmarks_are_sized_as_asv_sizes_them(sample_options: RunOptions) -> None:
    from pympler.asizeof import asizeof

    result, _ = run(replace(sample_options, pattern="mem_dict"))
    (bench,) = result.benchmarks
    expected = asizeof({i: i for i in range(100)})  # what basic.mem_dict returns
    assert bench.metric("mem").samples == (float(expected),) * 3  # type: ignore[union-attr]
