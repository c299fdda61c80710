"""What ``bench tune`` writes: a settings file the analyzer reads back, and when it writes one."""

from __future__ import annotations

from pathlib import Path

from analyzer.settings import load_config
from harness.compare.model import Status, Verdict
from suites._tune.conditions import Machine
from suites._tune.rules import Limits
from suites._tune.session import Conditions, TuneOutcome
from suites._tune.settings_file import settings_text
from suites._tune.validate import Side, Validation

CONDITIONS = Conditions("the mock", 20.4, Limits(5000, 3600, 900), 250, Machine(2, 2**34), 0)


def validation(status: Status, waits_before: int = 0, waits_after: int = 0) -> Validation:
    verdict = Verdict(
        "bench tune", "time", status, "significant", ratio=0.05, ci_low=0.04, ci_high=0.06
    )
    current = Side("current", (2.0,) * 5, (0,) * 5, (waits_before,) + (0,) * 4, (6,) * 5)
    proposed = Side("proposed", (0.1,) * 5, (0,) * 5, (waits_after,) + (0,) * 4, (6,) * 5)
    return Validation(current, proposed, verdict, 5, 1.0)


def outcome(settings: dict[str, object]) -> TuneOutcome:
    reasons = {k: f"why {k}" for k in settings}
    return TuneOutcome(CONDITIONS, 50, (), dict(settings), reasons, validation(Status.IMPROVED))


def test_the_written_file_is_read_back_by_the_analyzer_with_every_value(tmp_path: Path) -> None:
    settings = {
        "MAX_PARALLEL_JOBS": 16,
        "RATE_LIMIT_REQUESTS_PER_MINUTE": 78,
        "BURST_SIZE": 51,
        "CACHE_TTL": 3600,
        "API_CACHE_TTL": 3600,
        "CACHE_BACKEND": "file",
        "GITHUB_API_CACHE_DIR": "/dev/shm/github-api-cache",
    }
    path = tmp_path / "tuned.toml"
    path.write_text(settings_text(outcome(settings), "2026-11-30T00:00:00Z", "bench tune"))
    config = load_config(config_file=path, environ={})
    assert (config.max_parallel_jobs, config.rate_limit_requests_per_minute) == (16, 78)
    assert (config.burst_size, config.cache_ttl, config.api_cache_ttl) == (51, 3600, 3600)
    assert config.cache_backend == "file"
    assert config.github_api_cache_dir == "/dev/shm/github-api-cache"


def test_every_knob_has_its_reason_on_the_line_above() -> None:
    text = settings_text(outcome({"MAX_PARALLEL_JOBS": 16}), "2026", "bench tune --latency-ms 20")
    lines = text.splitlines()
    assert lines[lines.index("MAX_PARALLEL_JOBS = 16") - 1] == "# why MAX_PARALLEL_JOBS"
    assert "#   bench tune --latency-ms 20" in lines
    assert any(
        line.startswith("# Validated") and "improved x20.00 [16.67, 25.00]" in line
        for line in lines
    )


def test_a_faster_or_wait_free_and_not_slower_proposal_is_an_improvement() -> None:
    assert validation(Status.IMPROVED).improved
    assert validation(Status.UNCHANGED, waits_before=4).improved  # as fast, no server waits
    assert not validation(Status.UNCHANGED).improved
    assert validation(Status.UNCERTAIN, waits_before=4).improved  # not proven slower
    assert not validation(Status.REGRESSED, waits_before=4).improved
    assert not validation(Status.UNCHANGED, waits_before=4, waits_after=1).improved


def test_the_summary_gives_the_speedup_and_its_interval() -> None:
    # ratio 0.05 [0.04, 0.06] of the time: 20x faster, between 16.67x and 25x.
    assert validation(Status.IMPROVED).summary() == (
        "improved x20.00 [16.67, 25.00]; rate-limit waits 0 -> 0"
    )
    assert validation(Status.UNCHANGED).summary().startswith("no improvement (x20.00")


def test_every_knob_a_diagnosis_can_name_is_one_bench_tune_accepts() -> None:
    from analyzer.diagnose import KnobGroup
    from harness.cli.tune import TUNABLE

    assert set(KnobGroup) == set(TUNABLE)
