"""How fast each core runs the same Python loop, measured on every core at once, block by block.

    python3 calibration/core_speed.py [BLOCKS]     (from the project's root; 15 blocks default)

One process per core, pinned to it, all started together; each times a small dict loop ten
times per block (the best of ten), sleeps 0.1 s, and does that BLOCKS times. Prints one line
per core: its blocks' best times in ms. On the 2-core development VM (2026-11-30) both cores
had blocks of ~1.1 ms and of ~1.8 ms, not at the same moments: each core runs at its own,
changing speed, which is why ``--against`` leaves a CPU-bound time to its instruction count
(docs/verdicts.md, "One core's speed").
"""

from __future__ import annotations

import os
import sys
import time
from multiprocessing import Pool

LOOP = 20_000
TRIES = 10
PAUSE_S = 0.1


def _loop() -> None:
    table: dict[int, int] = {}
    for i in range(LOOP):
        table[i % 100] = i


def _blocks(core_and_count: tuple[int, int]) -> tuple[int, list[float]]:
    core, count = core_and_count
    os.sched_setaffinity(0, {core})
    found = []
    for _ in range(count):
        best = float("inf")
        for _ in range(TRIES):
            start = time.perf_counter()
            _loop()
            best = min(best, time.perf_counter() - start)
        found.append(best * 1e3)
        time.sleep(PAUSE_S)
    return core, found


def main(argv: list[str]) -> int:
    count = int(argv[0]) if argv else 15
    cores = sorted(os.sched_getaffinity(0))
    with Pool(len(cores)) as pool:
        for core, blocks in pool.map(_blocks, [(c, count) for c in cores]):
            print(f"core {core}: " + " ".join(f"{ms:.2f}" for ms in blocks))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
