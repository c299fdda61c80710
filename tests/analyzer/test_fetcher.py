"""The ordered parallel map behind job fetching: order, bounded window, clean stops."""

from __future__ import annotations

import threading
import time

import pytest

from analyzer.fetcher import ordered_map


def test_results_come_back_in_input_order_whatever_finishes_first() -> None:
    def slow_for_small(n: int) -> int:
        time.sleep(0.001 * (n % 5))
        return n * n

    out = list(ordered_map(slow_for_small, range(60), workers=8))
    assert out == [(n, n * n) for n in range(60)]


def test_no_more_than_the_window_is_taken_ahead_of_the_consumer() -> None:
    pulled: list[int] = []

    def source():
        for n in range(1000):
            pulled.append(n)
            yield n

    results = ordered_map(lambda n: n, source(), workers=2, window=8)
    assert next(results) == (0, 0)
    assert len(pulled) == 8
    results.close()


def test_an_error_cancels_pending_work_and_calls_on_abort() -> None:
    started: list[int] = []
    aborted = threading.Event()
    gate = threading.Event()

    def work(n: int) -> int:
        started.append(n)
        if n == 0:
            raise RuntimeError("job 0 failed")
        gate.wait(2)
        return n

    with pytest.raises(RuntimeError, match="job 0 failed"):
        for _ in ordered_map(work, range(100), workers=2, window=50, on_abort=aborted.set):
            pass
    gate.set()
    assert aborted.is_set()
    assert len(started) < 10  # the 50 submitted items did not all run


def test_ctrl_c_in_the_consumer_stops_the_pool() -> None:
    aborted = threading.Event()
    results = ordered_map(lambda n: n, range(100), workers=4, on_abort=aborted.set)
    next(results)
    with pytest.raises(KeyboardInterrupt):
        results.throw(KeyboardInterrupt())
    assert aborted.is_set()
