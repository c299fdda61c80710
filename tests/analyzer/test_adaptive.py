"""The AIMD limit behind ADAPTIVE_JOBS, fed given latencies: every step is exact."""

from __future__ import annotations

import contextlib
import threading

from analyzer import Config
from analyzer.adaptive import AdaptiveLimit
from analyzer.service import analyze_repository
from tests.analyzer.fakegithub import REPO, FakeGitHub


def feed(limit: AdaptiveLimit, latency: float, times: int) -> None:
    for _ in range(times):
        limit.record(latency)


def test_the_limit_rises_by_one_after_each_round_at_the_baseline() -> None:
    limit = AdaptiveLimit(16, start=2)
    feed(limit, 0.020, 2)  # a round of 2 calls held the latency
    assert limit.limit == 3
    feed(limit, 0.021, 3 + 4)  # rounds of 3, then 4
    assert limit.history == [2, 3, 4, 5]


def test_the_limit_never_passes_its_ceiling() -> None:
    limit = AdaptiveLimit(4, start=2)
    feed(limit, 0.020, 100)
    assert limit.limit == 4


def test_a_spike_seen_by_every_call_in_flight_halves_the_limit_once() -> None:
    limit = AdaptiveLimit(16, start=8)
    feed(limit, 0.020, 8)  # 8 -> 9
    with contextlib.ExitStack() as stack:  # nine calls in flight, all meeting the spike
        tickets = [stack.enter_context(limit.slot()) for _ in range(9)]
        for ticket in tickets:
            limit.record(0.100, ticket=ticket)
    assert limit.history == [8, 9, 4]
    with limit.slot() as ticket:  # started after the decrease: a new spike, a new halving
        limit.record(1.0, ticket=ticket)  # past 3x the median (now 100 ms)
    assert limit.history == [8, 9, 4, 2]


def test_latency_between_held_and_spike_changes_nothing() -> None:
    limit = AdaptiveLimit(16, start=4)
    feed(limit, 0.020, 3)
    limit.record(0.045)  # 2.25x the median: neither held (1.5x) nor a spike (3x)
    assert limit.history == [4]
    limit.record(0.020)  # the fourth held call of the round
    assert limit.history == [4, 5]


def test_a_rate_limit_sets_the_ceiling_below_the_concurrency_that_met_it() -> None:
    limit = AdaptiveLimit(16, start=7)
    feed(limit, 0.020, 7)
    limit.record(1.0, limited=True, concurrency=7)
    assert (limit.ceiling, limit.limit) == (6, 4)
    feed(limit, 0.020, 200)
    assert limit.limit == 6  # climbs back to the cap the server showed, not past it


def test_a_full_limit_makes_the_next_call_wait_for_a_slot() -> None:
    limit = AdaptiveLimit(16, start=1)
    entered = threading.Event()

    def second() -> None:
        with limit.slot():
            entered.set()

    with limit.slot():
        thread = threading.Thread(target=second)
        thread.start()
        assert not entered.wait(0.2)  # the only slot is taken
        assert limit.in_flight == 1
    thread.join(5)
    assert entered.is_set() and limit.in_flight == 0


def test_an_adaptive_analysis_gives_the_fixed_result_with_the_same_requests(
    fake: FakeGitHub, config: Config
) -> None:
    reference = analyze_repository(REPO, config.updated(max_parallel_jobs=1))
    adaptive = analyze_repository(REPO, config.updated(max_parallel_jobs=16, adaptive_jobs=True))
    assert adaptive.workflows == reference.workflows
    assert adaptive.jobs_analyzed == reference.jobs_analyzed
    assert adaptive.api_usage["requests"] == reference.api_usage["requests"] == 253
