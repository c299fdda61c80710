"""A rich progress bar with ETA for ``bench run``, fed by the runner's progress events."""

from __future__ import annotations

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)

from harness.results import BenchmarkResult
from harness.suite import CaseRef


class RunProgress:
    """Context manager: one bar over the run's cases; failures are printed as they happen."""

    def __init__(self, console: Console) -> None:
        self._progress = Progress(
            TextColumn("{task.description}", style="bold"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            TextColumn("eta"),
            TimeRemainingColumn(),
            console=console,
            transient=True,
        )
        self._task: TaskID = self._progress.add_task("starting", total=None)

    def __enter__(self) -> RunProgress:
        self._progress.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._progress.stop()

    def started(self, total: int) -> None:
        if self._progress.tasks[self._task].total is not None:
            # A later phase of the same command (re-measuring suspects): a bar of its own.
            self._task = self._progress.add_task("confirming", total=total)
            return
        self._progress.update(self._task, total=total, description="running")

    def case_started(self, case: CaseRef) -> None:
        self._progress.update(self._task, description=case.id[:60])

    def case_finished(self, case: CaseRef, result: BenchmarkResult) -> None:
        self._progress.advance(self._task)
        if result.status != "ok":
            colour = "red" if result.status == "failed" else "yellow"
            line = f"[{colour}]{result.status}[/{colour}] {result.id}: {result.error}"
            self._progress.console.print(line, markup=True, highlight=False)
