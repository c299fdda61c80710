"""How each way of gating does, judged as CI would judge it: one exit code per gate run.

``bench calibrate`` (harness/calibrate.py) counts verdicts per metric. A gate fails a build
on *any* regressed benchmark, so what a user meets is the rate of whole runs that exit 1: for
the same code (false alarms) and for a real change (detection, the benchmarks named). This
module measures that from kept runs (docs/verdicts.md, "Gating modes compared"):

* ``compare``: every ordered pair (baseline i, current j) of the same code's runs, as
  ``bench run --compare`` judges them, confirmation re-measuring the current side from the
  other runs; A/B pairs take the current from runs of changed code;
* with and without instructions: the same pairs with the ``instructions`` metric left out;
* against a stored baseline saved with several processes: baselines from those runs;
* ``--against``: each kept pair of an ``--against`` run (base and current files, their
  confirmation already pooled into them) judged again.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from itertools import permutations
from pathlib import Path
from statistics import median

from harness.calibrate import Rate
from harness.compare import Comparison, Policy, Status, confirm, judge
from harness.records import BenchmarkResult, Kind, RunResult


@dataclass(frozen=True)
class GateRate:
    """Gate runs that exited 1, those that named the benchmark a change targets (``target``,
    a regular expression of benchmark ids, where the change has one), and how often each
    benchmark was named regressed."""

    fails: Rate = field(default_factory=Rate)
    named: dict[str, int] = field(default_factory=dict)
    target: str | None = None
    on_target: Rate = field(default_factory=Rate)

    def add(self, comparison: Comparison) -> GateRate:
        regressed = {v.benchmark for v in comparison.verdicts if v.status is Status.REGRESSED}
        named = dict(self.named)
        for bench_id in regressed:
            named[bench_id] = named.get(bench_id, 0) + 1
        hit = self.target is not None and any(re.search(self.target, b) for b in regressed)
        return replace(
            self, fails=self.fails.add(bool(regressed)), named=named,
            on_target=self.on_target.add(hit),
        )  # fmt: skip


def without_instructions(run: RunResult) -> RunResult:
    """``run`` as if valgrind had not been installed."""
    benchmarks = tuple(_uncounted(b) for b in run.benchmarks)
    return replace(run, benchmarks=benchmarks)


def _uncounted(bench: BenchmarkResult) -> BenchmarkResult:
    kept = tuple(m for m in bench.metrics if m.kind is not Kind.DETERMINISTIC)
    return replace(bench, metrics=kept)


# Each mode is judged twice: as if valgrind had not been installed, and as kept.
VIEWS: tuple[tuple[str, Callable[[RunResult], RunResult]], ...] = (
    ("without instructions", without_instructions),
    ("with instructions", lambda run: run),
)


def stored_pairs(
    baselines: Sequence[RunResult], currents: Sequence[RunResult], same: bool
) -> Iterator[tuple[RunResult, RunResult, list[RunResult]]]:
    """(baseline, current, spares for confirmation): every baseline with every current (of
    another run when both lists are the same runs); spares are the other currents."""
    if same:
        pairs = list(permutations(range(len(currents)), 2))
        for i, j in pairs:
            spares = [currents[k] for k in range(len(currents)) if k not in (i, j)]
            yield currents[i], currents[j], spares
        return
    for base in baselines:
        for j, current in enumerate(currents):
            yield base, current, [c for k, c in enumerate(currents) if k != j]


def gate_rate(
    designs: Iterator[tuple[RunResult, RunResult, list[RunResult]]],
    policy: Policy,
    rounds: int,
    target: str | None = None,
) -> GateRate:
    """Each design judged and confirmed as ``bench run --compare`` does."""
    rate = GateRate(target=target)
    for base, current, spares in designs:
        comparison = judge(base, current, policy)
        if rounds and spares:  # as many rounds as there are kept runs to re-measure from
            comparison = confirm(comparison, _supplier(spares), min(rounds, len(spares)))
        rate = rate.add(comparison)
    return rate


def _supplier(spares: Sequence[RunResult]) -> Callable[[list[str]], RunResult]:
    """Confirmation's re-measurements, drawn in turn from runs the pair does not use."""
    supply = iter(spares)

    def again(ids: list[str]) -> RunResult:
        return next(supply)

    return again


def against_rate(
    pairs: Sequence[tuple[RunResult, RunResult]], policy: Policy, target: str | None = None
) -> GateRate:
    """Kept ``--against`` runs (base, current), judged again as they were kept."""
    rate = GateRate(target=target)
    for base, current in pairs:
        rate = rate.add(judge(base, current, policy))
    return rate


def wall_s(root: Path, prefix: str) -> float:
    """The median wall time of the commands whose label starts with ``prefix`` in
    ``root/wall.txt`` (seconds, as calibration/measure.sh wrote them; 0 if none)."""
    path = root / "wall.txt"
    if not path.is_file():
        return 0.0
    spans = [
        float(seconds)
        for label, seconds in (line.split() for line in path.read_text().splitlines() if line)
        if label.startswith(prefix)
    ]
    return float(median(spans)) if spans else 0.0


@dataclass(frozen=True)
class ModeRow:
    """One gating mode: its false alarms on the same code, its detection of each change."""

    mode: str
    same: GateRate
    changes: dict[str, GateRate]
    wall_s: float


def kept(directory: Path) -> list[RunResult]:
    """The complete runs kept in ``directory`` (confirmation runs, in confirm/, are not)."""
    from harness.results import load

    return [r for r in (load(p) for p in sorted(directory.glob("*.json"))) if r.complete]


def against_pairs(runs: Sequence[RunResult]) -> list[tuple[RunResult, RunResult]]:
    """(base, current) of each ``--against`` run among ``runs``."""
    by_id = {r.run_id: r for r in runs}
    pairs = []
    for current in runs:
        against = current.meta.against
        if current.meta.role != "base" and against and against.base_run_id in by_id:
            pairs.append((by_id[against.base_run_id], current))
    return pairs


def _stored(
    mode: str,
    baselines: list[RunResult],
    same: list[RunResult],
    changes: dict[str, list[RunResult]],
    policy: Policy,
    rounds: int,
    wall: float,
    targets: dict[str, str],
) -> ModeRow:
    """A stored-baseline mode: the same code's runs against the baselines (every other run of
    them when the baselines are those runs), and each change's runs against the baselines."""
    clean = gate_rate(stored_pairs(baselines, same, baselines is same), policy, rounds)
    caught = {
        name: gate_rate(stored_pairs(baselines, runs, False), policy, rounds, targets.get(name))
        for name, runs in changes.items()
    }
    return ModeRow(mode, clean, caught, wall)


def targets(root: Path) -> dict[str, str]:
    """Each change's target, the regular expression of the benchmark ids it should be caught
    on, from ``root/change-NAME/target`` (calibration/measure.sh copies
    calibration/patches/NAME.target there)."""
    found = {}
    for path in sorted(root.glob("change-*/target")):
        found[path.parent.name.removeprefix("change-")] = path.read_text().strip()
    return found


def modes(root: Path, policy: Policy, rounds: int) -> list[ModeRow]:
    """Every gating mode the runs kept under ``root`` can show (calibration/measure.sh)."""
    aims = targets(root)
    same = kept(root / "same")
    spread = kept(root / "spread") if (root / "spread").is_dir() else []
    changes = {
        p.name.removeprefix("change-"): kept(p) for p in sorted(root.glob("change-*")) if p.is_dir()
    }
    rows = []
    wall = wall_s(root, "same-")
    for label, view in VIEWS:
        a = [view(r) for r in same]
        seen = {n: [view(r) for r in c] for n, c in changes.items()}
        mode = f"--compare, baseline of 1 process, {label}"
        rows.append(_stored(mode, a, a, seen, policy, rounds, wall, aims))
        if spread:
            mode = f"--compare, baseline of 5 processes, {label}"
            base = [view(r) for r in spread]
            rows.append(_stored(mode, base, a, seen, policy, rounds, wall, aims))
    return rows + _against_rows(root, policy, aims)


def _against_rows(root: Path, policy: Policy, aims: dict[str, str]) -> list[ModeRow]:
    """Kept ``--against`` runs of the same code and of each change, with and without their
    instruction counts."""
    folders = {
        p.name.removeprefix("against-"): p for p in sorted(root.glob("against-*")) if p.is_dir()
    }
    if "same" not in folders:
        return []
    pairs = {name: against_pairs(kept(folder)) for name, folder in folders.items()}
    wall = wall_s(root, "against-same-")
    rows = []
    for label, view in VIEWS:
        shown = {n: [(view(b), view(c)) for b, c in v] for n, v in pairs.items()}
        same = shown.pop("same")
        rows.append(
            ModeRow(
                f"--against, one run on this machine, {label}",
                against_rate(same, policy),
                {n: against_rate(v, policy, aims.get(n)) for n, v in shown.items()},
                wall,
            )
        )
    return rows
