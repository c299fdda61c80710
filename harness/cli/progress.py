"""``bench run``'s progress: a rich bar on a terminal, plain lines anywhere else (a CI log).

Both receive the runner's events (:class:`harness.execution.Progress`). Off a terminal nothing can
be redrawn, so :class:`LineProgress` writes one line per phase and one per finished benchmark
run (a benchmark in one worker process), flushed at once, e.g.::

    measuring: 40 benchmark runs
    [ 12/40] ok  analysis.Analysis.time_analyze(runs=50, cache='cold')  78.7 ms
"""

from __future__ import annotations

from contextlib import AbstractContextManager
from typing import IO

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
from rich.text import Text

from harness.format import format_value
from harness.records import BenchmarkResult
from harness.suite import CaseRef


class RunProgress:
    """Context manager: one bar per phase over its cases; failures are printed as they happen."""

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
        self._phase = ""

    def __enter__(self) -> RunProgress:
        self._progress.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._progress.stop()

    def phase(self, description: str) -> None:
        self._progress.console.print(Text(description, style="dim"))
        self._phase = description

    def started(self, total: int) -> None:
        label = "confirming" if self._phase.startswith("confirming") else "measuring"
        if self._progress.tasks[self._task].total is not None:
            # A later phase of the same command (re-measuring suspects): a bar of its own.
            self._task = self._progress.add_task(label, total=total)
            return
        self._progress.update(self._task, total=total, description=label)

    def case_started(self, case: CaseRef) -> None:
        self._progress.update(self._task, description=case.id[:60])

    def case_finished(self, case: CaseRef, result: BenchmarkResult) -> None:
        self._progress.advance(self._task)
        if not result.ok:
            colour = "red" if result.status == "failed" else "yellow"
            line = f"[{colour}]{result.status}[/{colour}] {result.id}: {result.error}"
            self._progress.console.print(line, markup=True, highlight=False)


class LineProgress:
    """Context manager: plain lines for logs; each is written and flushed when it happens."""

    def __init__(self, stream: IO[str]) -> None:
        self._stream = stream
        self._done = 0
        self._total = 0

    def __enter__(self) -> LineProgress:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._stream.flush()

    def _line(self, text: str) -> None:
        self._stream.write(text.replace("\n", " ") + "\n")
        self._stream.flush()

    def phase(self, description: str) -> None:
        self._line(description)

    def started(self, total: int) -> None:
        self._done, self._total = 0, total
        self._line(f"measuring: {total} benchmark run{'s' if total != 1 else ''}")

    def case_started(self, case: CaseRef) -> None:
        pass  # a line per finished case is enough; a start line would double the log

    def case_finished(self, case: CaseRef, result: BenchmarkResult) -> None:
        self._done += 1
        width = max(3, len(str(self._total)))
        self._line(f"[{self._done:>{width}}/{self._total}] {case_line(result)}")


def case_line(result: BenchmarkResult) -> str:
    """``ok  <id>  78.7 ms`` (the main metric's median), or the status, id and reason."""
    if result.status != "ok":
        return f"{result.status}  {result.id}  {result.error or ''}".rstrip()
    if not result.metrics:
        return f"ok  {result.id}"
    main = result.metrics[0]
    return f"ok  {result.id}  {format_value(main.summary['median'], main.unit)}"


ProgressView = RunProgress | LineProgress


def run_progress(console: Console) -> AbstractContextManager[ProgressView]:
    """The bar where ``console`` is a terminal, else plain lines on its stream."""
    if console.is_terminal:
        return RunProgress(console)
    return LineProgress(console.file)
