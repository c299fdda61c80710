from __future__ import annotations

from dataclasses import replace

import pytest

from harness.errors import InputError
from harness.meta import Against, Confirmation
from harness.records import Kind, RunResult
from harness.runner import RunOptions, plan, run
from harness.shard import Shard, merge, parse_shard, point_at_base
from tests.harness.compare.factory import run as fake_run
from tests.harness.compare.factory import run_id, timed


def test_parse_shard() -> None:
    assert parse_shard("2/3") == Shard(2, 3)
    for bad in ("0/3", "4/3", "a/b", "3"):
        with pytest.raises(InputError, match="--shard"):
            parse_shard(bad)


def test_shards_partition_the_plan(sample_options: RunOptions) -> None:
    everything = {c.id for c in plan(sample_options)}
    parts = [{c.id for c in plan(replace(sample_options, shard=Shard(i, 3)))} for i in (1, 2, 3)]
    assert set().union(*parts) == everything
    assert sum(len(p) for p in parts) == len(everything)


def test_merge_of_shards_equals_an_unsharded_run(sample_options: RunOptions) -> None:
    options = replace(sample_options, suites=("basic",), quick=True)
    whole, _ = run(options)
    first, _ = run(replace(options, shard=Shard(1, 2)))
    second, _ = run(replace(options, shard=Shard(2, 2)))
    merged = merge([second, first])
    assert sorted(b.id for b in merged.benchmarks) == sorted(b.id for b in whole.benchmarks)
    # Every shard's benchmark arrives whole: metrics, runs and samples.
    by_id = {b.id: b for b in first.benchmarks + second.benchmarks}
    assert merged.benchmarks == tuple(by_id[i] for i in sorted(by_id))
    # Exact counters of the work done do not depend on how the run was split (probe.calls
    # counts calibrated calls per sample, which depend on the machine's speed).
    exact = {
        (b.id, m.name): m.samples
        for b in whole.benchmarks
        for m in b.metrics
        if m.kind is Kind.EXACT and m.name != "probe.calls"
    }
    assert exact and all(merged.benchmark(i).metric(n).samples == s for (i, n), s in exact.items())  # type: ignore[union-attr]
    assert merged.complete and merged.meta.merged_from == (second.run_id, first.run_id)
    assert merged.meta.planned_ids == tuple(sorted(whole.meta.planned_ids))
    with pytest.raises(InputError, match="is in 2 files"):
        merge([first, first])
    with pytest.raises(InputError, match="not a shard"):
        merge([whole])
    odd = second.with_meta(quick=False)
    with pytest.raises(InputError, match="'quick'"):
        merge([first, odd])
    fewer = second.with_meta(processes=3)
    with pytest.raises(InputError, match="'processes'"):
        merge([first, fewer])
    confirmed = second.with_meta(confirmation=Confirmation(2, ("b", "a")))
    assert merge([first, confirmed]).meta.confirmation == Confirmation(2, ("a", "b"))


def shard_pair(index: int, base: str, head: str) -> tuple[RunResult, RunResult]:
    """The two files one --against shard run writes: its base side and its head side."""
    case = timed(f"s{index}.time_x", index, 0.01)
    against = Against("main", "c")
    base_run = fake_run(base, case, role="base", shard=f"{index}/2", against=against)
    head_run = fake_run(head, case, shard=f"{index}/2",
                        against=replace(against, base_run_id=base_run.run_id))  # fmt: skip
    return base_run, head_run


def test_a_doubled_shard_names_its_files_and_says_what_to_do() -> None:
    (b1, h1), (_, h2), (_, h3) = (shard_pair(1, "b1", "h1"), shard_pair(2, "b2", "h2"),
                                  shard_pair(1, "b3", "h3"))  # fmt: skip
    files = ["shard/h1.json", "shard/h2.json", "shard/h3.json"]
    with pytest.raises(InputError) as refused:
        merge([h1, h2, h3], files)
    message = str(refused.value)
    assert "shard 1/2 is in 2 files (shard/h1.json, shard/h3.json)" in message
    assert "delete the files of the older run" in message
    with pytest.raises(InputError, match=r"shard 2/2 is missing \(given: shard/h1.json \(1/2\)\)"):
        merge([h1], ["shard/h1.json"])
    with pytest.raises(InputError, match="shard/b1.json is the base side.*--role base"):
        merge([b1, h2], ["shard/b1.json", "shard/h2.json"])


def test_the_merged_head_points_at_the_merged_base_and_never_at_one_shards_base() -> None:
    (b1, h1), (b2, h2) = shard_pair(1, "b1", "h1"), shard_pair(2, "b2", "h2")
    base = replace(merge([b1, b2]), run_id=run_id("merged"))
    head = merge([h1, h2])
    assert head.meta.against is not None and head.meta.against.base_run_id is None
    assert head.meta.against.base_run_ids == (b1.run_id, b2.run_id)
    pointed = point_at_base(head, base, "results/base.json")
    assert pointed.meta.against is not None
    assert pointed.meta.against.base_run_id == run_id("merged")
    other = replace(merge([b1, shard_pair(2, "b9", "h9")[0]]), run_id=run_id("other"))
    with pytest.raises(InputError, match="results/other.json is not the merge of the base files"):
        point_at_base(head, other, "results/other.json")
    assert merge([b1, b2]).meta.against == b1.meta.against  # a base side has no base run
