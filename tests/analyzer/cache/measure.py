"""Time file-cache get and put per operation (the issue's goal: well under 70 us each).

    .venv/bin/python -m tests.analyzer.cache.measure [--dir DIR ...] [--ops N] [--rounds R]

Per directory and value size it reports the median over rounds of the mean time per operation
(wall and CPU, in microseconds) for: put of a new key, put over an existing key, get (hit),
`cache_key`, and creating one empty file (what the filesystem charges for any new file,
the floor under a put). Each round uses a fresh directory under DIR, removed afterwards.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from analyzer.cache import CacheEntry, CacheLevel, FileBackend, cache_key


def run_like(i: int) -> dict[str, object]:
    """About the size and shape of one workflow run in GitHub's JSON (~1.9 KB)."""
    return {
        "id": 9_000_000 + i,
        "name": "CI",
        "head_branch": "main",
        "head_sha": f"{i:040x}",
        "path": ".github/workflows/ci.yml",
        "run_number": i,
        "event": "push",
        "status": "completed",
        "conclusion": "success" if i % 7 else "failure",
        "workflow_id": 161335,
        "url": f"https://api.github.com/repos/octo/app/actions/runs/{9_000_000 + i}",
        "html_url": f"https://github.com/octo/app/actions/runs/{9_000_000 + i}",
        "created_at": "2024-10-01T10:00:00Z",
        "updated_at": "2024-10-01T10:12:31Z",
        "run_started_at": "2024-10-01T10:00:04Z",
        "run_attempt": 1,
        "actor": {"login": "octocat", "id": 1, "type": "User", "site_admin": False},
        "head_commit": {"id": f"{i:040x}", "message": "Fix the flaky test " * 20},
        "pull_requests": [],
    }


VALUES = {
    "small (1 run, ~1.9 KB)": run_like(1),
    "page (100 runs, ~190 KB)": {
        "total_count": 100,
        "workflow_runs": [run_like(i) for i in range(100)],
    },
}


def timed(ops: int, action: Callable[[int], object]) -> tuple[float, float]:
    wall, cpu = time.perf_counter(), time.process_time()
    for i in range(ops):
        action(i)
    return (time.perf_counter() - wall) / ops * 1e6, (time.process_time() - cpu) / ops * 1e6


def _create(path: Path) -> None:
    os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))


def one_round(base: Path, value: object, ops: int) -> dict[str, tuple[float, float]]:
    directory = Path(tempfile.mkdtemp(prefix="cache-measure-", dir=base))
    try:
        backend = FileBackend(directory / "c")
        keys = [cache_key(CacheLevel.API, "/measure", {"i": i}) for i in range(ops)]
        entry = CacheEntry(value, time.time(), 'W/"0123456789abcdef"')
        return {
            "put new key": timed(ops, lambda i: backend.put(keys[i], entry, 3600)),
            "put existing key": timed(ops, lambda i: backend.put(keys[i], entry, 3600)),
            "get hit": timed(ops, lambda i: backend.get(keys[i])),
            "cache_key": timed(ops, lambda i: cache_key(CacheLevel.API, "/x", {"page": i})),
            # The filesystem's floor for any put that makes a file: one empty file, no data.
            "bare file create (floor)": timed(ops, lambda i: _create(directory / f"probe{i}")),
        }
    finally:
        shutil.rmtree(directory)


def measure(base: Path, ops: int, rounds: int) -> dict[str, dict[str, dict[str, float]]]:
    report: dict[str, dict[str, dict[str, float]]] = {}
    for label, value in VALUES.items():
        n = ops if label.startswith("small") else max(20, ops // 20)
        samples = [one_round(base, value, n) for _ in range(rounds)]
        report[label] = {
            op: {
                "wall_us": round(statistics.median(s[op][0] for s in samples), 1),
                "cpu_us": round(statistics.median(s[op][1] for s in samples), 1),
            }
            for op in samples[0]
        }
    return report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dir", type=Path, action="append", help="where to measure (repeatable)")
    parser.add_argument("--ops", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    bases = args.dir or [Path(tempfile.gettempdir())]
    result = {str(base): measure(base, args.ops, args.rounds) for base in bases}
    print(
        json.dumps({"pid": os.getpid(), "ops": args.ops, "rounds": args.rounds, **result}, indent=1)
    )


if __name__ == "__main__":
    main()
