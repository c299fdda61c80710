"""Where plots go and what they are called: plain paths, no matplotlib."""

from __future__ import annotations

import os
import re
import zlib
from dataclasses import dataclass, field
from pathlib import Path

from harness.paths import child


@dataclass(frozen=True)
class PlotSet:
    """Where the plots of one comparison are: summary, per benchmark id, per sweep."""

    summary: Path | None = None
    benchmarks: dict[str, Path] = field(default_factory=dict)
    sweeps: dict[str, Path] = field(default_factory=dict)

    def all(self) -> list[Path]:
        head = [self.summary] if self.summary else []
        return head + list(self.sweeps.values()) + list(self.benchmarks.values())

    def relative_to(self, base: Path) -> PlotSet:
        """The same plots, as paths relative to ``base`` (for links from a report file)."""

        def rel(path: Path) -> Path:
            return Path(os.path.relpath(path, base))

        return PlotSet(
            summary=rel(self.summary) if self.summary else None,
            benchmarks={k: rel(v) for k, v in self.benchmarks.items()},
            sweeps={k: rel(v) for k, v in self.sweeps.items()},
        )


def plots_dir(results_dir: Path, run_id: str) -> Path:
    """``results_dir/<run-id>/plots``; a run id that is not a plain name is refused."""
    return child(results_dir, run_id, "run id") / "plots"


def slug(text: str) -> str:
    """A file-name-safe form of an id, with a short hash so distinct ids never collide."""
    safe = re.sub(r"[^A-Za-z0-9._-]+", "_", text).strip("_")[:80]
    return f"{safe}-{zlib.crc32(text.encode()):08x}"
