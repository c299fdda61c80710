"""Cache keys are stable, order-independent and distinguish what they should."""

from __future__ import annotations

import hashlib

import pytest

from analyzer.cache import CacheConfigError, CacheLevel, cache_key
from analyzer.cache.keys import check_key

RUNS = "/repos/octo/app/actions/runs"


def test_key_is_sha256_hex() -> None:
    key = cache_key(CacheLevel.API, RUNS, {"page": 1})
    assert len(key) == 64
    assert int(key, 16) >= 0


def test_key_ignores_parameter_order() -> None:
    a = cache_key(CacheLevel.API, RUNS, {"page": 2, "per_page": 100, "status": "completed"})
    b = cache_key(CacheLevel.API, RUNS, {"status": "completed", "per_page": 100, "page": 2})
    assert a == b


def test_key_is_stable_across_runs() -> None:
    # A fixed value: a change of the key scheme would silently empty every user's cache.
    canonical = b'["api","/repos/octo/app/actions/runs",{"page":1}]'
    assert cache_key(CacheLevel.API, RUNS, {"page": 1}) == hashlib.sha256(canonical).hexdigest()


def test_none_and_empty_params_are_the_same_key() -> None:
    assert cache_key(CacheLevel.API, RUNS) == cache_key(CacheLevel.API, RUNS, {})


@pytest.mark.parametrize(
    ("other_level", "other_endpoint", "other_params"),
    [
        (CacheLevel.ANALYSIS, RUNS, {"page": 1}),
        (CacheLevel.API, RUNS + "/1", {"page": 1}),
        (CacheLevel.API, RUNS, {"page": 2}),
        (CacheLevel.API, RUNS, {"page": "1"}),
        (CacheLevel.API, RUNS, {"page": 1, "per_page": 100}),
    ],
)
def test_key_differs_when_request_differs(
    other_level: CacheLevel, other_endpoint: str, other_params: dict[str, object]
) -> None:
    base = cache_key(CacheLevel.API, RUNS, {"page": 1})
    assert cache_key(other_level, other_endpoint, other_params) != base


def test_level_accepts_its_string_value() -> None:
    assert cache_key("report", "md") == cache_key(CacheLevel.REPORT, "md")  # type: ignore[arg-type]


@pytest.mark.parametrize("bad", ["", "../etc/passwd", "a/b", "a:b", "x" * 129, "é"])
def test_unsafe_keys_are_refused(bad: str) -> None:
    with pytest.raises(CacheConfigError):
        check_key(bad)
