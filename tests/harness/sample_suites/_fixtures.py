"""A run-level fixture for the harness's tests: counts the calls of a benchmark per sample."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any

PROBE_ENV = "SAMPLE_PROBE_FILE"


class CallProbe:
    """Benchmarks append a byte to the probe file per call; a sample's count is its length."""

    name = "probe"

    def start(self) -> dict[str, str]:
        fd, self.path = tempfile.mkstemp(prefix="bench-probe-")
        os.close(fd)
        return {PROBE_ENV: self.path}

    def reset(self) -> None:
        Path(self.path).write_bytes(b"")

    def metadata(self) -> dict[str, Any]:
        return {}

    def stop(self) -> None:
        Path(self.path).unlink(missing_ok=True)

    def before_sample(self, env: dict[str, str]) -> None:
        Path(env[PROBE_ENV]).write_bytes(b"")

    def sample_counters(self, env: dict[str, str]) -> dict[str, int]:
        return {"calls": Path(env[PROBE_ENV]).stat().st_size}


def run_fixtures() -> list[CallProbe]:
    return [CallProbe()]
