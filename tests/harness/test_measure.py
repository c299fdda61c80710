"""Timing inside the worker: what a sample's CPU time covers."""

from __future__ import annotations

import subprocess
import sys

from harness.measure import SampleSettings, time_samples

CHILD = "import time; sum(range(3_000_000)); print(time.process_time())"


def test_cpu_time_includes_the_child_processes_a_benchmark_runs() -> None:
    children: list[float] = []

    def run_a_command() -> None:
        done = subprocess.run([sys.executable, "-c", CHILD], capture_output=True, text=True)
        children.append(float(done.stdout))

    settings = SampleSettings(samples=3, min_samples=3, max_time_s=30.0, warmup_s=0.0)
    samples = time_samples(run_a_command, settings, 1, lambda: None, dict)
    # The child's own CPU time (what it burned in sum(range(...))) is in every sample's.
    for sample, child in zip(samples, children[-len(samples) :], strict=True):
        assert sample.cpu_s >= child
