"""The analyzer's knobs, with the original toolkit's names and defaults."""

from __future__ import annotations

from dataclasses import dataclass

DEFAULT_API_URL = "https://api.github.com"


@dataclass(frozen=True)
class Config:
    """One analyzer configuration; immutable once built."""

    api_url: str = DEFAULT_API_URL
    token: str | None = None
    max_parallel_jobs: int = 4
    workflow_analysis_limit: int = 50
    request_timeout_s: float = 30.0

    def __repr__(self) -> str:
        # The token must never reach logs or tracebacks through a repr.
        shown = "***" if self.token else None
        return (
            f"Config(api_url={self.api_url!r}, token={shown!r}, "
            f"max_parallel_jobs={self.max_parallel_jobs}, "
            f"workflow_analysis_limit={self.workflow_analysis_limit})"
        )
