from __future__ import annotations

import pytest

from harness.errors import InputError
from harness.suite import discover, select
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
    assert hangs.timeout_s == 2


def test_unknown_suite_and_bad_regex_are_input_errors() -> None:
    with pytest.raises(InputError, match="no suite named nope"):
        select(discover(SAMPLE_SUITES), ["nope"])
    with pytest.raises(InputError, match="regular expression"):
        select(discover(SAMPLE_SUITES), [], pattern="(")
