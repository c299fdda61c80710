"""The services plugin: a tagged skip fails only where CI requires the service."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.services import Service, reason, required

ROOT = Path(__file__).resolve().parents[1]  # where the `tests` package imports from

SKIPPING = """
import pytest
from tests.services import Service, needs, skip_for

@needs(Service.REDIS, False, "no redis-server")
def test_marked():
    pass

def test_at_run_time():
    skip_for(Service.CHROMIUM, "no chromium")

def test_untagged_mention():
    pytest.skip("this test has nothing to do with redis or chromium")
"""


def test_only_the_tag_and_the_value_1_make_a_skip_required() -> None:
    assert (
        required(reason(Service.REDIS, "x"), {"BENCH_REQUIRE_REDIS": "1"}) == "BENCH_REQUIRE_REDIS"
    )
    assert required(reason(Service.REDIS, "x"), {"BENCH_REQUIRE_REDIS": "0"}) is None
    assert required(reason(Service.REDIS, "x"), {"BENCH_REQUIRE_CHROMIUM": "1"}) is None
    assert required("redis is not installed", {"BENCH_REQUIRE_REDIS": "1"}) is None
    assert required("[needs nothing] x", {"BENCH_REQUIRE_REDIS": "1"}) is None


def test_a_required_service_turns_its_skips_into_failures(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    pytester.makepyfile(SKIPPING)
    monkeypatch.setenv("PYTHONPATH", str(ROOT))
    monkeypatch.setenv("BENCH_REQUIRE_REDIS", "1")
    monkeypatch.setenv("BENCH_REQUIRE_CHROMIUM", "1")
    result = pytester.runpytest_subprocess("-p", "tests.services", "-rA")
    # A marker skips in the set-up phase, so it fails there (an error); a run-time skip fails.
    result.assert_outcomes(failed=1, errors=1, skipped=1)
    result.stdout.fnmatch_lines(["*BENCH_REQUIRE_REDIS is set but the test skipped*"])
    result.stdout.fnmatch_lines(["*BENCH_REQUIRE_CHROMIUM is set but the test skipped*"])
    assert result.ret != 0


def test_without_the_variables_every_skip_stays_a_skip(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    pytester.makepyfile(SKIPPING)
    monkeypatch.setenv("PYTHONPATH", str(ROOT))
    for service in Service:
        monkeypatch.delenv(service.variable, raising=False)
    result = pytester.runpytest_subprocess("-p", "tests.services")
    result.assert_outcomes(skipped=3)
