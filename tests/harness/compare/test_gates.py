"""Gating modes judged per gate run, from kept runs: exit-1 rates and the benchmarks named."""

from __future__ import annotations

from pathlib import Path

from rich.console import Console

from harness.cli.calibrate import named_table
from harness.compare import Policy
from harness.gates import GateRate, ModeRow, gate_rate, modes, stored_pairs, without_instructions
from harness.records import Direction, Kind, Metric, RunResult
from harness.results import save
from tests.harness.compare.factory import bench, counter, metric, noisy, run


def _run(label: str, seed: int, requests: int = 51, instructions: float = 1e6):
    counted = Metric.single(
        "instructions", "instructions", Direction.LOWER, Kind.DETERMINISTIC, (instructions,)
    )
    return run(
        label,
        bench(
            "a.A.time_x",
            metric("time", noisy(seed, 0.1, 0.02, 10)),
            counter("requests", requests),
            counted,
        ),
    )


def test_the_same_code_never_fails_and_a_real_change_always_does_naming_the_benchmark() -> None:
    same = [_run(f"s{i}", i) for i in range(4)]
    doubled = [_run(f"d{i}", 10 + i, requests=101) for i in range(2)]
    clean = gate_rate(stored_pairs(same, same, True), Policy(), 2)
    assert clean.fails.trials == 12 and clean.fails.hits == 0
    caught = gate_rate(stored_pairs(same, doubled, False), Policy(), 2)
    assert (caught.fails.hits, caught.fails.trials) == (8, 8)
    assert caught.named == {"a.A.time_x": 8}


def _latency_bound(label: str, seed: int, level: float, processes: int) -> RunResult:
    samples = noisy(seed, level, 0.05, 3 * processes)
    time = metric("time", samples, processes=processes)
    cpu = metric("cpu_time", tuple(x / 10 for x in samples), processes=processes)
    return run(label, bench("a.A.time_x", time, cpu))


def test_confirmation_stops_when_the_kept_runs_run_out() -> None:
    # A latency-bound time 15% slower than a baseline of 5 processes stays undecided; each
    # pair has one other current run to re-measure from, and four rounds are asked for.
    baselines = [_latency_bound("b", 1, 1.0, 5)]
    currents = [_latency_bound(f"c{i}", 10 + i, 1.15, 1) for i in range(2)]
    assert gate_rate(stored_pairs(baselines, currents, False), Policy(), 4).fails.trials == 2


def test_leaving_instructions_out_hides_a_cpu_change_only_they_see() -> None:
    same = [_run(f"s{i}", i) for i in range(3)]
    heavier = [_run(f"h{i}", 20 + i, instructions=1.3e6) for i in range(2)]
    assert gate_rate(stored_pairs(same, heavier, False), Policy(), 1).fails.hits == 6
    blind = [without_instructions(r) for r in heavier]
    assert gate_rate(stored_pairs(same, blind, False), Policy(), 1).fails.hits == 0


def test_modes_read_the_folders_measure_sh_writes(tmp_path: Path) -> None:
    for i in range(4):
        save(_run(f"s{i}", i), tmp_path / "same" / f"s{i}.json")
    for i in range(2):
        save(_run(f"r{i}", 30 + i, requests=101), tmp_path / "change-requests" / f"r{i}.json")
    (tmp_path / "wall.txt").write_text("same-1 70\nsame-2 90\nchange-requests-1 80\n")
    (tmp_path / "change-requests-1.log").write_text("")  # measure.sh's logs are no changes
    (tmp_path / "against-same").mkdir()
    (tmp_path / "against-requests-1.log").write_text("")
    rows = modes(tmp_path, Policy(), 1)
    assert [r.mode for r in rows] == [
        "--compare, baseline of 1 process, without instructions",
        "--compare, baseline of 1 process, with instructions",
        "--against, one run on this machine, without instructions",
        "--against, one run on this machine, with instructions",
    ]
    assert rows[2].changes == {} and rows[2].same.fails.trials == 0
    rows = rows[:2]
    assert all(r.same.fails.hits == 0 and r.changes["requests"].fails.hits == 8 for r in rows)
    assert rows[0].wall_s == 80.0
    assert rows[0].changes["requests"].target is None
    assert all(set(r.changes) == {"requests"} for r in rows)


def test_a_change_counts_as_caught_only_where_its_target_is_named(tmp_path: Path) -> None:
    for i in range(3):
        save(_run(f"s{i}", i), tmp_path / "same" / f"s{i}.json")
    for name, target in (("hit", r"a\.A\.time_x"), ("elsewhere", r"b\.B\.time_y")):
        for i in range(2):
            save(
                _run(f"{name}{i}", 30 + i, requests=101), tmp_path / f"change-{name}" / f"{i}.json"
            )
        (tmp_path / f"change-{name}" / "target").write_text(target + "\n")
    row = modes(tmp_path, Policy(), 1)[1]
    hit, elsewhere = row.changes["hit"], row.changes["elsewhere"]
    assert (hit.fails.hits, hit.on_target.hits, hit.on_target.trials) == (6, 6, 6)
    assert (elsewhere.fails.hits, elsewhere.on_target.hits) == (6, 0)


def test_benchmarks_named_equally_often_are_listed_in_id_order() -> None:
    rate = GateRate(named={"b.B.time_y": 2, "a.A.time_x": 2, "c.C.time_z": 3})
    console = Console(width=200, record=True)
    console.print(named_table([ModeRow("m", rate, {}, 0.0)]))
    assert "c.C.time_z ×3, a.A.time_x ×2, b.B.time_y ×2" in console.export_text()
