"""Taking samples inside the worker: timing with calibration, peak memory, tracked values."""

from __future__ import annotations

import resource
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import psutil


@dataclass(frozen=True)
class SampleSettings:
    """How many samples to take and how long each must be to be trusted."""

    samples: int = 10
    min_samples: int = 3
    max_time_s: float = 20.0
    warmup_s: float = 0.05
    min_sample_s: float = 0.01


@dataclass(frozen=True)
class Sample:
    wall_s: float
    cpu_s: float
    counters: dict[str, float]  # per-sample observations: exact counters and sampled extras


Hook = Callable[[], None]
CounterHook = Callable[[], dict[str, float]]


def cpu_seconds() -> float:
    """CPU time of this process and of the child processes it has waited for. A benchmark that
    runs a command (``subprocess.run``) spends its CPU in the child: counted in the process
    alone, ``AnalyzeCommand.time_bench_analyze`` read 0.00 of its wall time as CPU and was
    judged as if it waited on I/O, and a stored-baseline gate named it regressed when the
    machine was busy."""
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + children.ru_utime + children.ru_stime


def _timed(func: Callable[[], Any], number: int) -> tuple[float, float]:
    cpu0, wall0 = cpu_seconds(), time.perf_counter()
    for _ in range(number):
        func()
    wall, cpu = time.perf_counter() - wall0, cpu_seconds() - cpu0
    return wall / number, cpu / number


def calibrate(func: Callable[[], Any], min_sample_s: float) -> int:
    """The smallest power-of-two call count whose sample lasts at least ``min_sample_s``."""
    number = 1
    while number < 1 << 20:
        wall, _ = _timed(func, number)
        if wall * number >= min_sample_s:
            return number
        number *= 2 if wall * number * 10 >= min_sample_s else 8
    return number


def time_samples(
    func: Callable[[], Any],
    settings: SampleSettings,
    number: int | None,
    before: Hook,
    after: CounterHook,
) -> list[Sample]:
    """Timed samples of ``func``.

    ``before`` runs before every sample and ``after`` after it (counters are per sample). With
    ``number == 1`` every sample is one call and the caller's ``before`` includes the
    benchmark's setup, so cold-state benchmarks stay cold; otherwise the call count per sample
    is calibrated after a warm-up.
    """
    per_sample_setup = number == 1
    if not per_sample_setup:
        _warm_up(func, settings.warmup_s)
        number = number or calibrate(func, settings.min_sample_s)
    samples: list[Sample] = []
    deadline = time.perf_counter() + settings.max_time_s
    while len(samples) < settings.samples:
        before()
        wall, cpu = _timed(func, number or 1)
        samples.append(Sample(wall, cpu, after()))
        if len(samples) >= settings.min_samples and time.perf_counter() > deadline:
            break
    return samples


def _warm_up(func: Callable[[], Any], seconds: float) -> None:
    end = time.perf_counter() + seconds
    func()
    while time.perf_counter() < end:
        func()


class PeakRss:
    """Samples this process's RSS on a thread; ``peak`` is the largest value seen (bytes)."""

    def __init__(self, interval_s: float = 0.002) -> None:
        self._process = psutil.Process()
        self._interval = interval_s
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._watch, daemon=True)
        self.peak = self._process.memory_info().rss

    def _watch(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, self._process.memory_info().rss)
            self._stop.wait(self._interval)

    def __enter__(self) -> PeakRss:
        self._thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, self._process.memory_info().rss)


TIMELINE_INTERVAL_S = 0.01


def peak_rss_of(func: Callable[[], Any]) -> tuple[int, list[float]]:
    """Peak RSS of this process (bytes) while ``func`` runs, and memory-profiler's timeline of
    it (MiB, one value every ``TIMELINE_INTERVAL_S``)."""
    from memory_profiler import memory_usage

    with PeakRss() as watcher:
        timeline = memory_usage(
            (func, (), {}), interval=TIMELINE_INTERVAL_S, max_usage=False, include_children=False
        )
    peak = max(watcher.peak, int(max(timeline, default=0.0) * 2**20))
    return peak, [round(v, 3) for v in timeline]


def mem_size(obj: Any) -> int:
    """Bytes held by ``obj`` and everything it references: asv's ``mem_`` metric, measured as
    asv measures it (pympler's ``asizeof``), so one suite gives one number under both tools."""
    from pympler import asizeof

    size: Callable[[Any], int] = asizeof.asizeof
    return int(size(obj))
