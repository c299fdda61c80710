"""The guide's first box from counters: every path of the flowchart the analyzer can observe.

Each test hands :func:`diagnose` the counters of an analysis as the client and the cache would
count them; no clock, no network, so every finding and number is exact.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from analyzer.diagnose import Issue, KnobGroup, Observation, diagnose

GiB = 2**30
# A healthy cold-by-design run: 51 requests for 50 runs, half the lookups fresh.
USAGE = {"requests": 51, "rate_limit_limit": 5000, "rate_limit_remaining": 4949}
CACHE = {"hits": 26, "misses": 26, "stale": 0}


def observed(usage: dict[str, Any] | None = None, **fields: Any) -> Observation:
    values: dict[str, Any] = {
        "usage": {**USAGE, **(usage or {})},
        "cache": dict(CACHE),
        "runs_analyzed": 50,
        "wall_s": 1.0,
        "cpu_s": 0.5,
        "peak_rss_bytes": 50 * 2**20,
        "memory_bytes": 8 * GiB,
    }
    values.update(fields)
    return Observation(**values)


def issues(obs: Observation) -> list[Issue]:
    return [f.issue for f in diagnose(obs)]


def the(issue: Issue, obs: Observation):  # type: ignore[no-untyped-def]
    return next(f for f in diagnose(obs) if f.issue is issue)


def test_a_run_with_nothing_wrong_has_no_findings() -> None:
    assert diagnose(observed()) == ()


def test_waits_for_the_server_are_rate_limited_with_pacing_and_ttl_to_tune() -> None:
    obs = observed({"rate_limited_responses": 3, "rate_limit_waits": 4, "rate_limit_wait_s": 15.2,
                    "rate_limit_remaining": 9, "rate_limit_limit": 20})  # fmt: skip
    finding = the(Issue.RATE_LIMITED, obs)
    assert finding.knobs == (KnobGroup.PACING, KnobGroup.TTL)
    assert finding.evidence == (
        "3 rate-limited response(s), 4 wait(s) for the server (15.2 s); "
        "9 of 20 requests left in the window"
    )
    assert "GitHub App token" in finding.remedy


def test_a_quota_at_zero_is_rate_limited_even_without_a_wait_yet() -> None:
    obs = observed({"rate_limit_remaining": 0})
    assert issues(obs) == [Issue.RATE_LIMITED]


def test_usage_past_80_percent_is_high_usage_with_the_runs_left() -> None:
    # 4,250 of 5,000 used (85%); this run spent 51 - 1 (a 304 is free) = 50: 15 runs left.
    obs = observed({"rate_limit_remaining": 750, "not_modified": 1})
    finding = the(Issue.HIGH_USAGE, obs)
    assert finding.evidence.startswith("85% of the quota used (alert above 80%)")
    assert finding.evidence.endswith("the quota lasts 15 more run(s) like this one until its reset")


def test_usage_of_exactly_80_percent_is_not_high() -> None:
    assert diagnose(observed({"rate_limit_remaining": 1000})) == ()


def test_an_unknown_quota_is_neither_high_nor_limited() -> None:
    obs = observed({"rate_limit_limit": -1, "rate_limit_remaining": -1})
    assert diagnose(obs) == ()


def test_three_requests_a_run_is_many_calls_and_the_minimum_is_not() -> None:
    assert the(Issue.MANY_CALLS, observed({"requests": 150})).evidence.startswith(
        "150 requests for 50 runs (3.00 a run"
    )
    assert Issue.MANY_CALLS not in issues(observed({"requests": 75}))


def test_a_disabled_cache_is_reported_as_off() -> None:
    obs = observed(cache={}, cache_enabled=False)
    assert issues(obs) == [Issue.CACHE_OFF]


def test_a_cache_that_found_nothing_is_cold_not_a_low_hit_rate() -> None:
    obs = observed(cache={"hits": 0, "misses": 52, "stale": 0}, cache_backend="memory")
    finding = the(Issue.COLD_CACHE, obs)
    assert "the memory backend starts empty in every process" in finding.evidence
    assert finding.knobs == (KnobGroup.CACHE,)
    assert Issue.LOW_HIT_RATE not in issues(obs)


def test_expired_entries_give_a_low_hit_rate_with_the_share_of_304s() -> None:
    obs = observed({"requests": 21, "not_modified": 21},
                   cache={"hits": 0, "misses": 0, "stale": 22})  # fmt: skip
    finding = the(Issue.LOW_HIT_RATE, obs)
    assert finding.evidence == (
        "0 of 22 lookups answered fresh (0%, alert below 50%); 22 found expired; "
        "100% of the requests were 304 revalidations"
    )
    assert finding.knobs == (KnobGroup.TTL, KnobGroup.CACHE)
    assert "bench analyze --warm" in finding.remedy


def test_a_hit_rate_of_half_is_not_low() -> None:
    assert diagnose(observed(cache={"hits": 5, "misses": 0, "stale": 5})) == ()


def test_retries_are_counted_by_kind() -> None:
    obs = observed({"retries": 3, "retries_5xx": 2, "retries_connection": 1})
    assert the(Issue.RETRIES, obs).evidence == "3 request(s) retried (2 5xx, 1 connection, 0 body)"


def test_waiting_on_the_clients_own_bucket_is_pacing() -> None:
    obs = observed({"limiter_waits": 26, "limiter_wait_s": 30.0}, wall_s=40.0, cpu_s=20.0)
    assert issues(obs) == [Issue.PACED]
    assert the(Issue.PACED, obs).knobs == (KnobGroup.PACING,)


def test_a_busy_core_is_cpu_bound_and_an_idle_one_network_bound() -> None:
    assert issues(observed(cpu_s=0.9)) == [Issue.CPU_BOUND]
    assert issues(observed(cpu_s=0.1)) == [Issue.NETWORK_BOUND]
    assert the(Issue.NETWORK_BOUND, observed(cpu_s=0.1)).knobs == (KnobGroup.JOBS, KnobGroup.TTL)


def test_an_idle_core_waiting_on_rate_limits_is_not_network_bound() -> None:
    obs = observed({"rate_limit_waits": 1, "rate_limit_wait_s": 0.8}, cpu_s=0.1)
    assert Issue.NETWORK_BOUND not in issues(obs)


def test_too_few_requests_say_nothing_about_cpu_or_network() -> None:
    assert diagnose(observed({"requests": 9}, cpu_s=0.95, runs_analyzed=9)) == ()


def test_a_peak_rss_past_a_quarter_of_memory_is_a_memory_issue() -> None:
    obs = observed(peak_rss_bytes=3 * GiB)
    assert the(Issue.MEMORY, obs).evidence == "peak RSS 3072 MiB, 38% of the machine's memory"
    assert diagnose(replace(obs, peak_rss_bytes=2 * GiB)) == ()


def test_findings_follow_the_guides_order() -> None:
    obs = observed({"rate_limit_remaining": 0, "retries": 1, "requests": 200},
                   cache={"hits": 0, "misses": 0, "stale": 9}, cpu_s=0.95)  # fmt: skip
    assert issues(obs) == [
        Issue.RATE_LIMITED, Issue.MANY_CALLS, Issue.LOW_HIT_RATE, Issue.RETRIES, Issue.CPU_BOUND,
    ]  # fmt: skip
