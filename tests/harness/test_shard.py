from __future__ import annotations

from dataclasses import replace

import pytest

from harness.errors import InputError
from harness.meta import Confirmation
from harness.records import Kind
from harness.runner import RunOptions, plan, run
from harness.shard import Shard, merge, parse_shard


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
    with pytest.raises(InputError, match="exactly once"):
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
