"""Many processes reading and writing one file cache; counts corrupt or inconsistent reads.

Used by test_concurrency.py (a few seconds) and runnable for the issue's 10-second figure:

    .venv/bin/python -m tests.analyzer.cache.stress --processes 16 --seconds 10 [--dir DIR]
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import random
import tempfile
import time
from pathlib import Path

from analyzer.cache import CacheEntry, CacheLevel, FileBackend, cache_key

KEYS = [cache_key(CacheLevel.API, "/stress", {"k": i}) for i in range(24)]
MAX_OPS_PER_PROCESS = 2_000_000  # a bound besides the deadline
MAX_PAD = 20_000  # values up to ~20 KB, so a torn write would show as a short or mixed value


def make_value(key: str, writer: int, seq: int, rng: random.Random) -> dict[str, object]:
    size = rng.randrange(MAX_PAD)
    fill = "abcdefghijklmnop"[seq % 16]
    return {"key": key, "writer": writer, "seq": seq, "size": size, "pad": fill * size}


def consistent(key: str, entry: CacheEntry) -> bool:
    """Is this exactly a value some writer wrote for this key (not a mix of two)?"""
    value = entry.value
    if not isinstance(value, dict) or value.get("key") != key:
        return False
    pad, size, seq = value.get("pad"), value.get("size"), value.get("seq")
    if not (isinstance(pad, str) and isinstance(size, int) and isinstance(seq, int)):
        return False
    fill = "abcdefghijklmnop"[seq % 16]
    return len(pad) == size and pad == fill * size and entry.etag == f'"{value["writer"]}-{seq}"'


def hammer(directory: str, writer: int, seconds: float) -> dict[str, int]:
    """One process: random gets, puts, deletes and cleanups until the deadline."""
    backend = FileBackend(directory)
    rng = random.Random(writer)
    tally = {"gets": 0, "found": 0, "puts": 0, "deletes": 0, "cleanups": 0, "inconsistent": 0}
    deadline = time.monotonic() + seconds
    for seq in range(MAX_OPS_PER_PROCESS):
        if seq % 64 == 0 and time.monotonic() >= deadline:
            break
        key, roll = rng.choice(KEYS), rng.random()
        if roll < 0.55:
            entry = backend.get(key)
            tally["gets"] += 1
            if entry is not None:
                tally["found"] += 1
                tally["inconsistent"] += not consistent(key, entry)
        elif roll < 0.97:
            value = make_value(key, writer, seq, rng)
            backend.put(key, CacheEntry(value, time.time(), f'"{writer}-{seq}"'), 0.2)
            tally["puts"] += 1
        elif roll < 0.995:
            backend.delete(key)
            tally["deletes"] += 1
        else:
            backend.cleanup(time.time())  # sweeps entries older than 0.2 s while others write
            tally["cleanups"] += 1
    return tally | backend.counters.snapshot()


def run_stress(directory: Path, processes: int, seconds: float) -> dict[str, int]:
    """Run ``processes`` hammers on one directory; the summed tallies and counters."""
    FileBackend(directory)  # create it once, before the race
    ctx = multiprocessing.get_context("fork")
    with ctx.Pool(processes) as pool:
        args = [(str(directory), n, seconds) for n in range(processes)]
        results = pool.starmap(hammer, args)
    total: dict[str, int] = {}
    for result in results:
        for name, count in result.items():
            total[name] = total.get(name, 0) + count
    return total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--processes", type=int, default=16)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--dir", type=Path, default=None, help="cache directory (default: temp)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="cache-stress-") as tmp:
        directory = args.dir or Path(tmp) / "cache"
        started = time.monotonic()
        total = run_stress(directory, args.processes, args.seconds)
        total["wall_ms"] = round((time.monotonic() - started) * 1000)
    print(json.dumps({"processes": args.processes, "seconds": args.seconds, **total}, indent=1))


if __name__ == "__main__":
    main()
