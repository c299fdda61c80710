"""Validate: the proposed settings against the current ones, A B / B A, judged by bench's rules.

Each sample is one cold analysis by a fresh client (as a scheduled run is a fresh process), in
a fresh cache directory, against the mock at the measured latency and limits. The sides take
turns as ``bench run --against`` does (A B, then B A), so drift in the machine's speed hits
both alike, and each side has its own token, hence its own quota on the mock. The wall times
are judged by :func:`harness.compare.rules.judge_metric` (bootstrap CI of the ratio of medians
and a Mann-Whitney test), with the run's threshold; no statistics are written here.

Where the server's limit binds, time is compressed by ``scale``: the mock's window is divided
by it and both sides' pacing multiplied by it, so windows of a minute or an hour pass in
seconds (latency is not compressed). The verdict then holds at that scale, and says so.
"""

from __future__ import annotations

import shutil
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from analyzer import Config
from analyzer.service import analyze_repository
from harness.records import Direction, Kind, Metric, ProcessRun
from mockgithub import ServerProcess

if TYPE_CHECKING:
    from harness.compare.model import Verdict

SAMPLES = 5  # per side: the fewest with which the rank test can reach alpha = 0.01
THRESHOLD = 0.10  # an improvement must plausibly reach 10% (the knee's own tolerance)
SIDES = ("current", "proposed")

Log = Callable[[str], None]


@dataclass(frozen=True)
class Side:
    """One side's samples: wall times (s) and the rate-limited responses each met."""

    name: str
    times: tuple[float, ...]
    rate_limited: tuple[int, ...]
    rate_limit_waits: tuple[int, ...]
    requests: tuple[int, ...]


@dataclass(frozen=True)
class Validation:
    current: Side
    proposed: Side
    verdict: Verdict
    runs: int
    scale: float

    @property
    def improved(self) -> bool:
        """Faster for real; or no longer waiting on the server and not proven slower (a
        client that waits on the server is what the guide calls rate limited, and its
        fast runs between the waits flatter its median)."""
        from harness.compare.model import Status  # late: see _judge

        if self.verdict.status is Status.IMPROVED:
            return True
        no_waits = sum(self.proposed.rate_limit_waits) == 0
        fewer = sum(self.proposed.rate_limit_waits) < sum(self.current.rate_limit_waits)
        return no_waits and fewer and self.verdict.status is not Status.REGRESSED

    @property
    def speedup(self) -> tuple[float, float, float]:
        """How many times faster the proposal is, with the CI: ``(x, low, high)``."""
        ratio = self.verdict.ratio or 1.0
        low, high = self.verdict.ci_low or ratio, self.verdict.ci_high or ratio
        return 1 / ratio, 1 / high, 1 / low

    def summary(self) -> str:
        from harness.compare.model import Status  # late: see _judge

        x, low, high = self.speedup
        waits = (
            f"rate-limit waits {sum(self.current.rate_limit_waits)} -> "
            f"{sum(self.proposed.rate_limit_waits)}"
        )
        if self.verdict.status is Status.IMPROVED:
            return f"improved x{x:.2f} [{low:.2f}, {high:.2f}]; {waits}"
        if self.improved:
            return f"no faster (x{x:.2f} [{low:.2f}, {high:.2f}]) but {waits}: an improvement"
        return f"no improvement (x{x:.2f} [{low:.2f}, {high:.2f}], {self.verdict.reason}); {waits}"


def scaled(config: Config, scale: float) -> Config:
    rpm = config.rate_limit_requests_per_minute
    return config.updated(rate_limit_requests_per_minute=int(round(rpm * scale))) if rpm else config


def validate(
    server: ServerProcess,
    repo: str,
    current: Config,
    proposed: Config,
    *,
    runs: int,
    scale: float,
    log: Log,
    samples: int = SAMPLES,
) -> Validation:
    """``samples`` analyses of ``runs`` runs per side, interleaved, then the verdict."""
    configs = {"current": scaled(current, scale), "proposed": scaled(proposed, scale)}
    measured: dict[str, list[tuple[float, dict[str, float]]]] = {name: [] for name in SIDES}
    server.reset()
    for k in range(samples):
        order = SIDES if k % 2 == 0 else SIDES[::-1]
        for name in order:
            measured[name].append(_sample(server.base_url, repo, configs[name], runs, name, k))
            t, usage = measured[name][-1]
            log(
                f"  {name:>8} #{k + 1}: {t:.3f} s, {usage['requests']:.0f} requests, "
                f"{usage['rate_limit_waits']:.0f} rate-limit waits"
            )
    sides = {name: _side(name, values) for name, values in measured.items()}
    verdict = _judge(sides["current"].times, sides["proposed"].times)
    return Validation(sides["current"], sides["proposed"], verdict, runs, scale)


def _sample(
    url: str, repo: str, config: Config, runs: int, side: str, k: int
) -> tuple[float, dict[str, float]]:
    directory = tempfile.mkdtemp(prefix="bench-tune-", dir=_parent(config.github_api_cache_dir))
    sample = config.updated(
        api_url=url,
        github_api_cache_dir=directory,
        workflow_analysis_limit=runs,
        token=f"ghp_benchtune{side}{'0' * 24}",
        github_api_mode="rest",  # the path the sweeps tuned (see sweeps.analysis_config)
        api_identity=f"bench-tune:{side}:{k}:{time.time_ns()}",  # a cold cache, Redis included
    )
    try:
        start = time.perf_counter()
        result = analyze_repository(repo, sample)
        return time.perf_counter() - start, {k: float(v) for k, v in result.api_usage.items()}
    finally:
        shutil.rmtree(directory, ignore_errors=True)


def _parent(directory: str) -> str | None:
    parent = Path(directory).parent
    return str(parent) if parent.is_dir() else None


def _side(name: str, values: list[tuple[float, dict[str, float]]]) -> Side:
    return Side(
        name,
        tuple(t for t, _ in values),
        tuple(int(u["rate_limited_responses"]) for _, u in values),
        tuple(int(u["rate_limit_waits"]) for _, u in values),
        tuple(int(u["requests"]) for _, u in values),
    )


def _judge(current: tuple[float, ...], proposed: tuple[float, ...]) -> Verdict:
    # Imported late: suite discovery imports every module under suites/, this one too, and
    # harness.compare brings scipy (measured: 3 s of a discovery's import time on a loaded
    # 2-core machine, against 1 s for every suite module together).
    from harness.compare.policy import Policy
    from harness.compare.rules import judge_metric

    policy = Policy(threshold=THRESHOLD)
    return judge_metric("bench tune", _metric(current), _metric(proposed), THRESHOLD, policy)


def _metric(times: tuple[float, ...]) -> Metric:
    """Each analysis is a measurement of its own, interleaved with the other side's: one value
    per run, judged at the level of runs (as processes of a benchmark are)."""
    runs = tuple(ProcessRun((t,), round=k) for k, t in enumerate(times))
    return Metric("time", "s", Direction.LOWER, Kind.SAMPLED, runs)
