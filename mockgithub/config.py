"""Configuration of the mock: what data it serves and how it behaves."""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields, replace
from typing import Any

DEFAULT_REPO = "octo-org/octo-repo"


@dataclass(frozen=True)
class MockConfig:
    """Everything that shapes the mock's responses; same config and seed, same bytes."""

    repo: str = DEFAULT_REPO
    seed: int = 1
    runs: int = 250
    workflows: int = 4
    latency_ms: float = 0.0
    jitter_ms: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def updated(self, changes: dict[str, Any]) -> MockConfig:
        """A copy with ``changes`` applied; unknown keys raise ``ValueError``."""
        known = {f.name for f in fields(self)}
        unknown = sorted(set(changes) - known)
        if unknown:
            raise ValueError(f"unknown mock config keys: {', '.join(unknown)}")
        return replace(self, **changes)
