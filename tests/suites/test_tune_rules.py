"""``bench tune``'s selection rules on given sweep numbers: no clock, no network, exact choices."""

from __future__ import annotations

import pytest

from suites._tune.conditions import runs_for_budget
from suites._tune.rules import (
    CachePoint,
    Limits,
    Pacing,
    TtlPoint,
    api_choice,
    cache_choice,
    fastest_without_waits,
    jobs_cap,
    knee,
    pacing_bound,
    ttl_choice,
)
from suites._tune.session import validation_scale


def test_the_knee_is_the_fewest_jobs_within_ten_percent_of_the_best() -> None:
    # A latency-bound sweep (20 ms): only 16 jobs come within 10% of 16 jobs' 108 ms.
    assert knee({1: 0.870, 2: 0.442, 4: 0.271, 8: 0.146, 12: 0.124, 16: 0.108}) == 16
    # A flat top: 4 jobs are within 10% of the best, so more jobs buy nothing.
    assert knee({1: 1.0, 2: 0.5, 4: 0.26, 8: 0.25, 16: 0.25}) == 4


def test_a_time_exactly_ten_percent_off_the_best_is_within_the_knee() -> None:
    assert knee({2: 0.11, 4: 0.10}) == 2


def test_the_api_is_the_one_with_fewest_requests_within_ten_percent_of_the_best_time() -> None:
    assert api_choice({"rest": (0.161, 51), "graphql": (0.103, 2)}) == "graphql"
    assert api_choice({"rest": (0.100, 51), "graphql": (0.109, 2)}) == "graphql"  # 9% slower
    assert api_choice({"rest": (0.100, 51), "graphql": (0.150, 2)}) == "rest"


def test_the_knee_of_nothing_is_an_error() -> None:
    with pytest.raises(ValueError, match="empty sweep"):
        knee({})


def test_a_thirty_a_minute_limit_gets_27_a_minute_in_bursts_of_one() -> None:
    # 51 requests cannot fit in a window of 28 usable requests (30 less 5%, at least 1):
    # the smallest burst waits least, and burst + a minute of the rate = 28.
    pacing = pacing_bound(Limits(30, 60, 900), 51)
    assert pacing == Pacing(27, 1)
    assert pacing.allows_in(60) == 28


def test_a_personal_token_gets_one_analysis_per_burst_and_the_rest_of_the_hour_as_rate() -> None:
    # usable 5000 - 250 = 4750; burst 51 (one analysis); (4750 - 51) * 60 / 3600 = 78.3.
    assert pacing_bound(Limits(5000, 3600, 900), 51) == Pacing(78, 51)


def test_the_secondary_limit_caps_a_fast_window() -> None:
    # 20 per 2 s would allow 540 a minute; 900 a minute of secondary leaves 899 after the burst.
    assert pacing_bound(Limits(20, 2, 900), 31) == Pacing(540, 1)
    assert pacing_bound(Limits(2000, 60, 900), 51) == Pacing(849, 51)


@pytest.mark.parametrize(
    ("limit", "window", "requests"),
    [
        (30, 60, 51),
        (30, 60, 10),
        (5000, 3600, 51),
        (5000, 3600, 6000),
        (200, 3600, 100),
        (2, 60, 5),
    ],
)
def test_the_bound_never_lets_more_than_the_limit_into_a_window(
    limit: int, window: float, requests: int
) -> None:
    limits = Limits(limit, window)
    assert pacing_bound(limits, requests).allows_in(window) <= limit


def test_a_limit_below_one_a_minute_gets_the_slowest_pacing_the_knob_can_say() -> None:
    # 60 an hour (no token): 1 a minute is the knob's slowest rate; bursts of 1.
    assert pacing_bound(Limits(60, 3600), 20) == Pacing(1, 1)


def test_the_fastest_clean_rate_wins_but_never_above_the_bound() -> None:
    bound = Pacing(27, 1)
    assert fastest_without_waits({14: 0, 20: 0, 27: 0, 34: 2, 40: 5}, bound) == 27
    # 34 a minute happened to pass: one sweep sees only some window alignments; not trusted.
    assert fastest_without_waits({14: 0, 27: 1, 34: 0}, bound) == 14
    assert fastest_without_waits({14: 3, 27: 9}, bound) == 14


def test_jobs_are_capped_only_when_the_bucket_makes_them_wait() -> None:
    assert jobs_cap(Pacing(78, 51), 51, 0.02) == 16  # one burst holds the whole analysis
    assert jobs_cap(Pacing(0, 5), 51, 0.02) == 16  # pacing off
    assert jobs_cap(Pacing(27, 1), 51, 0.02) == 1  # 0.45 a second, 20 ms each: one in flight
    assert jobs_cap(Pacing(600, 1), 51, 0.2) == 2  # 10 a second, 200 ms each: two in flight


TTL_SWEEP = [
    TtlPoint(60, 66, 5, 0),
    TtlPoint(300, 66, 5, 0),
    TtlPoint(600, 66, 5, 0),
    TtlPoint(900, 36, 5, 277),
    TtlPoint(1800, 25, 5, 554),
    TtlPoint(3600, 15, 5, 1385),
    TtlPoint(7200, 10, 5, 3046),
]


def test_the_ttl_is_the_shortest_saving_ninety_percent_within_the_staleness_allowed() -> None:
    # Within 1800 s of staleness the best saving is 66 - 15 = 51; only 3600 s saves >= 45.9.
    assert ttl_choice(TTL_SWEEP, 1800) == 3600
    # Within 600 s: the best is 1800 s's 41; 900 s saves 30 (< 36.9), so 1800 s.
    assert ttl_choice(TTL_SWEEP, 600) == 1800


def test_no_ttl_within_the_staleness_allowed_falls_back_to_the_shortest() -> None:
    assert ttl_choice([TtlPoint(900, 36, 5, 277), TtlPoint(3600, 15, 5, 1385)], 10) == 900


def test_the_cache_is_the_fastest_location_that_outlives_the_process() -> None:
    shm = CachePoint("file on /dev/shm", "file", "/dev/shm", 21e-6, 14e-6, True)
    disk = CachePoint("file on /var/tmp", "file", "/var/tmp", 44e-6, 14e-6, True)
    memory = CachePoint("memory", "memory", None, 5e-6, 7e-6, False)
    assert cache_choice([disk, memory, shm]) == shm


def test_analyses_shrink_until_the_budget_holds_them() -> None:
    # 34 analyses of r runs cost 34 * (r + 1): 15 runs (544) fit in 600, 17 (612) do not.
    assert runs_for_budget(600, 34, 50) == 15
    assert runs_for_budget(100_000, 34, 50) == 50
    assert runs_for_budget(10, 34, 50) == 1


def test_validation_runs_in_real_time_unless_the_limit_would_bind() -> None:
    assert validation_scale(Limits(5000, 3600), 255) == 1.0
    assert validation_scale(Limits(30, 60), 255) == 30.0  # windows of 2 s
