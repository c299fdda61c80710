"""Retry policy: exponential backoff with jitter, bounded per request and per analysis."""

from __future__ import annotations

import random
import threading
from dataclasses import dataclass

MAX_BACKOFF_S = 30.0
# GitHub asks for at least a minute before retrying a secondary limit that gave no retry-after.
SECONDARY_LIMIT_WAIT_S = 60.0


class RetryBudget:
    """How many retries one analysis may spend across all its requests; thread-safe."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self._used = 0
        self._lock = threading.Lock()

    def take(self) -> bool:
        """Spend one retry; ``False`` when the budget is gone."""
        with self._lock:
            if self._used >= self.limit:
                return False
            self._used += 1
            return True

    @property
    def used(self) -> int:
        with self._lock:
            return self._used


@dataclass(frozen=True)
class Backoff:
    """Delay before retry ``attempt`` (0-based): ``base * 2**attempt``, capped, times a jitter.

    The jitter draws from [0.5, 1.0) of the delay ("equal jitter"), so parallel workers that
    failed together do not retry together, yet each still waits at least half its share.
    """

    base_s: float
    cap_s: float = MAX_BACKOFF_S

    def delay(self, attempt: int, rng: random.Random) -> float:
        full = min(self.cap_s, self.base_s * (2**attempt))
        return float(full * (0.5 + rng.random() / 2))
