"""Jobs and steps of one run attempt, generated on demand and consistent with the run's timing.

Each job waits in the queue, then runs; the slowest job ends exactly when the attempt ends, so
run-level and job-level durations agree. A job id encodes its run, attempt and position, so a
job can be found again from its id alone.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from mockgithub.dataset import AttemptFacts, RunFacts
from mockgithub.profiles import OWN_STEPS, JobTemplate

JOB_ID_BASE = 30_000_000_000
HOSTED_GROUP = (0, "GitHub Actions")
SELF_HOSTED_GROUP = (1, "Default")


@dataclass(frozen=True)
class StepFacts:
    name: str
    number: int
    status: str
    conclusion: str | None
    started: int | None
    completed: int | None


@dataclass(frozen=True)
class JobFacts:
    id: int
    name: str
    labels: tuple[str, ...]
    attempt: int
    status: str
    conclusion: str | None
    created: int
    started: int
    completed: int | None
    steps: tuple[StepFacts, ...]
    runner: tuple[int, str, int, str] | None  # id, name, group id, group name


def job_id(run_number: int, attempt: int, index: int) -> int:
    return JOB_ID_BASE + run_number * 1_000 + (attempt - 1) * 100 + index


def locate_job(job_id_: int) -> tuple[int, int, int] | None:
    """(run number, attempt, index) of a job id, or None if it cannot be one of ours."""
    offset = job_id_ - JOB_ID_BASE
    if offset < 1_000:
        return None
    number, rest = divmod(offset, 1_000)
    attempt, index = divmod(rest, 100)
    return number, attempt + 1, index


def attempt_jobs(seed: int, run: RunFacts, attempt: AttemptFacts) -> list[JobFacts]:
    """The jobs of ``attempt``; if the run is still active and this is its latest attempt,
    the jobs are queued or in progress."""
    rng = random.Random(f"{seed}:jobs:{run.number}:{attempt.number}")
    templates = run.workflow.jobs
    critical = rng.randrange(len(templates))
    failing = rng.randrange(len(templates))
    span = attempt.completed - attempt.started
    live = run.status != "completed" and attempt is run.latest
    jobs = []
    for index, template in enumerate(templates):
        queue = min(int(rng.expovariate(1 / 12)), span // 3)
        share = 1.0 if index == critical else rng.uniform(0.35, 1.0)
        start = attempt.started + queue
        end = start + max(1, int((span - queue) * share))
        outcome = _job_conclusion(attempt.conclusion, index, failing)
        if outcome == "skipped":
            start = end = attempt.completed
        jobs.append(_job(rng, run, attempt, index, template, (start, end), outcome))
    return [_live(job, run.status) for job in jobs] if live else jobs


def _job_conclusion(run_conclusion: str, index: int, failing: int) -> str:
    """Job outcomes that add up to the run's: one job fails, later ones are cancelled, ..."""
    if run_conclusion in ("success", "skipped"):
        return run_conclusion
    if index == failing:
        return run_conclusion
    if run_conclusion == "cancelled" and index > failing:
        return "cancelled"
    return "success"


def _job(
    rng: random.Random,
    run: RunFacts,
    attempt: AttemptFacts,
    index: int,
    template: JobTemplate,
    span: tuple[int, int],
    conclusion: str,
) -> JobFacts:
    start, end = span
    steps = () if conclusion == "skipped" else _steps(rng, template.steps, span, conclusion)
    self_hosted = template.labels[0] == "self-hosted"
    group = SELF_HOSTED_GROUP if self_hosted else HOSTED_GROUP
    runner_id = rng.randrange(1, 40) if self_hosted else rng.randrange(1_000, 90_000)
    runner_name = f"build-{runner_id:02d}" if self_hosted else f"GitHub Actions {runner_id}"
    return JobFacts(
        id=job_id(run.number, attempt.number, index),
        name=template.name,
        labels=template.labels,
        attempt=attempt.number,
        status="completed",
        conclusion=conclusion,
        created=attempt.started,
        started=start,
        completed=end,
        steps=steps,
        runner=None if conclusion == "skipped" else (runner_id, runner_name, *group),
    )


def _steps(
    rng: random.Random, names: tuple[str, ...], span: tuple[int, int], conclusion: str
) -> tuple[StepFacts, ...]:
    """Set-up steps are short, the job's own steps take most of the time."""
    start, end = span
    weights = [rng.uniform(1, 3) if n in OWN_STEPS else rng.uniform(0.05, 0.2) for n in names]
    total, moment, steps = sum(weights), start, []
    failed_at = len(names) - 3 if conclusion in ("failure", "timed_out", "cancelled") else None
    for number, (name, weight) in enumerate(zip(names, weights, strict=True), start=1):
        finish = end if number == len(names) else moment + int((end - start) * weight / total)
        if failed_at is not None and number > failed_at and number < len(names):
            step = StepFacts(name, number, "completed", "skipped", finish, finish)
        else:
            result = conclusion if number == failed_at else "success"
            step = StepFacts(name, number, "completed", result, moment, finish)
        steps.append(step)
        moment = finish
    return tuple(steps)


def _live(job: JobFacts, run_status: str) -> JobFacts:
    """A job of a run that has not finished: queued, or in progress halfway through its steps."""
    if run_status == "queued":
        return JobFacts(
            job.id,
            job.name,
            job.labels,
            job.attempt,
            "queued",
            None,
            job.created,
            job.created,
            None,
            (),
            None,
        )
    half = len(job.steps) // 2
    steps = tuple(
        s
        if i < half
        else StepFacts(
            s.name,
            s.number,
            "in_progress" if i == half else "queued",
            None,
            s.started if i == half else None,
            None,
        )
        for i, s in enumerate(job.steps)
    )
    return JobFacts(
        job.id,
        job.name,
        job.labels,
        job.attempt,
        "in_progress",
        None,
        job.created,
        job.started,
        None,
        steps,
        job.runner,
    )
