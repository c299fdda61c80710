"""The shapes of the seeded repository's workflows: names, jobs, runners and duration profiles."""

from __future__ import annotations

import random
from dataclasses import dataclass

# The seeded data is dated from here on, so bodies never depend on the wall clock.
EPOCH_S = 1_767_225_600  # 2026-01-01T00:00:00Z
RUN_SPACING_S = 420  # a run every 7 minutes; created_at jitter stays below this, so it is monotonic


@dataclass(frozen=True)
class JobTemplate:
    name: str
    labels: tuple[str, ...]
    steps: tuple[str, ...]


@dataclass(frozen=True)
class WorkflowProfile:
    """A workflow and the log-normal shape of its run durations."""

    id: int
    name: str
    file: str
    events: tuple[str, ...]
    jobs: tuple[JobTemplate, ...]
    median_s: float
    sigma: float
    failure_rate: float
    weight: float
    created_at: int

    @property
    def path(self) -> str:
        return f".github/workflows/{self.file}"


_PY_STEPS = ("Set up job", "Run actions/checkout@v4", "Set up Python", "Install dependencies")
_POST = ("Post Run actions/checkout@v4", "Complete job")
OWN_STEPS = frozenset(
    {"Run ruff", "Run pytest", "Build wheel", "Upload artifact", "Build", "Publish", "Run mypy"}
    | {"Run integration tests", "Run benchmarks", "Upload results", "Initialize CodeQL"}
    | {"Analyze", "Run playwright", "Install dependencies"}
)


def _job(name: str, runner: str, *steps: str) -> JobTemplate:
    labels = ("self-hosted", "linux", "x64") if runner == "self-hosted" else (runner,)
    return JobTemplate(name, labels, _PY_STEPS + steps + _POST)


# name, file, events, jobs, (median_s low, high), weight
_TEMPLATES: tuple[tuple[str, str, tuple[str, ...], tuple[JobTemplate, ...], float], ...] = (
    (
        "CI",
        "ci.yml",
        ("push", "pull_request", "pull_request"),
        (
            _job("lint", "ubuntu-latest", "Run ruff"),
            _job("test (ubuntu-latest, 3.11)", "ubuntu-latest", "Run pytest"),
            _job("test (ubuntu-latest, 3.12)", "ubuntu-latest", "Run pytest"),
            _job("test (macos-latest, 3.12)", "macos-latest", "Run pytest"),
            _job("test (windows-latest, 3.12)", "windows-latest", "Run pytest"),
            _job("build", "ubuntu-latest", "Build wheel", "Upload artifact"),
        ),
        5.0,
    ),
    (
        "Release",
        "release.yml",
        ("push", "workflow_dispatch"),
        (_job("build", "ubuntu-latest", "Build"), _job("publish", "ubuntu-latest", "Publish")),
        0.6,
    ),
    (
        "Nightly",
        "nightly.yml",
        ("schedule",),
        (
            _job("integration", "self-hosted", "Run integration tests"),
            _job("benchmarks", "self-hosted", "Run benchmarks", "Upload results"),
        ),
        1.0,
    ),
    ("Docs", "docs.yml", ("push", "pull_request"), (_job("build-docs", "ubuntu-latest"),), 1.2),
    (
        "Lint",
        "lint.yml",
        ("pull_request",),
        (_job("ruff", "ubuntu-latest", "Run ruff"), _job("mypy", "ubuntu-latest", "Run mypy")),
        2.0,
    ),
    (
        "Deploy",
        "deploy.yml",
        ("workflow_dispatch", "push"),
        (_job("deploy (staging)", "ubuntu-latest"), _job("deploy (production)", "ubuntu-latest")),
        0.5,
    ),
    (
        "CodeQL",
        "codeql.yml",
        ("schedule", "push"),
        (
            _job("analyze (python)", "ubuntu-latest", "Initialize CodeQL", "Analyze"),
            _job("analyze (javascript)", "ubuntu-latest", "Initialize CodeQL", "Analyze"),
        ),
        0.8,
    ),
    (
        "E2E",
        "e2e.yml",
        ("pull_request", "push"),
        (
            _job("e2e (chromium)", "ubuntu-latest", "Run playwright"),
            _job("e2e (firefox)", "ubuntu-latest", "Run playwright"),
            _job("e2e (webkit)", "macos-latest", "Run playwright"),
        ),
        1.5,
    ),
)


def make_workflows(seed: int, count: int, max_jobs: int) -> tuple[WorkflowProfile, ...]:
    """``count`` workflows, each with its own duration profile drawn from ``seed``."""
    return tuple(_workflow(seed, i, max_jobs) for i in range(count))


def _workflow(seed: int, index: int, max_jobs: int) -> WorkflowProfile:
    rng = random.Random(f"{seed}:workflow:{index}")
    name, file, events, jobs, weight = _TEMPLATES[index % len(_TEMPLATES)]
    copy = index // len(_TEMPLATES)
    if copy:
        name, file = f"{name} {copy + 1}", file.replace(".yml", f"-{copy + 1}.yml")
    return WorkflowProfile(
        id=161_335 + index * 7_919,
        name=name,
        file=file,
        events=events,
        jobs=jobs[:max_jobs],
        median_s=rng.uniform(60, 1_200),
        sigma=rng.uniform(0.15, 0.7),
        failure_rate=rng.uniform(0.03, 0.2),
        weight=weight,
        created_at=EPOCH_S - 86_400 * (400 - 13 * index),
    )
