"""A pytest plugin for micro suites: what pytest collected and how each test ended.

pytest-benchmark's JSON lists only the benchmarks that finished; this plugin tells which tests
failed or were skipped, and why, so a failing micro benchmark becomes a failed result. It also
records each collected test's parameters (for ``--collect-only`` planning). Passed to
``pytest.main(..., plugins=[Outcomes()])`` inside a worker process.
"""

from __future__ import annotations

from typing import Any

import pytest

from harness.suite import jsonable


class Outcomes:
    """Node id -> ``{"outcome", "error", "duration_s", "params", "path"}`` of every test seen."""

    def __init__(self) -> None:
        self.seen: dict[str, dict[str, Any]] = {}

    def _entry(self, nodeid: str) -> dict[str, Any]:
        return self.seen.setdefault(
            nodeid, {"outcome": "passed", "error": None, "duration_s": 0.0, "params": {}}
        )

    def pytest_itemcollected(self, item: pytest.Item) -> None:
        callspec = getattr(item, "callspec", None)
        params = dict(callspec.params) if callspec is not None else {}
        entry = self._entry(item.nodeid)
        entry["params"], entry["path"] = jsonable(params), str(item.path)

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        seen = self._entry(report.nodeid)
        seen["duration_s"] += report.duration
        if report.outcome == "passed" or seen["outcome"] == "failed":
            return
        seen["outcome"] = report.outcome
        seen["error"] = _reason(report)

    def pytest_collectreport(self, report: pytest.CollectReport) -> None:
        if report.failed:  # a test file that does not import: every test in it is lost
            self._entry(report.nodeid).update(outcome="failed", error=_reason(report))


def _reason(report: pytest.TestReport | pytest.CollectReport) -> str:
    if report.skipped and isinstance(report.longrepr, tuple):
        return str(report.longrepr[2])
    crash = getattr(report.longrepr, "reprcrash", None)
    if crash is not None:
        return f"{getattr(report, 'when', 'collect')}: {crash.message}"
    lines = str(report.longrepr).strip().splitlines() or ["failed"]
    return f"{getattr(report, 'when', 'collect')}: {lines[-1]}"


WARM_CALLS = 2  # calls before the counted one: the timed rounds measure warm calls too


class CountedCall:
    """The ``benchmark`` fixture of a counting worker (``pytest-benchmark`` switched off): the
    function is called twice to warm up, then once with callgrind counting, its count dumped
    under ``label`` (``harness.instructions.counted``). Returns what the function returned,
    as pytest-benchmark's fixture does, so the test's own assertions still run."""

    def __init__(self, label: str | None) -> None:
        self.label = label
        self.extra_info: dict[str, Any] = {}

    def __call__(self, function: Any, *args: Any, **kwargs: Any) -> Any:
        return self._count(lambda: function(*args, **kwargs))

    def pedantic(
        self,
        target: Any,
        args: tuple[Any, ...] = (),
        kwargs: dict[str, Any] | None = None,
        setup: Any = None,
        **_rounds: Any,
    ) -> Any:
        def call() -> Any:
            given = setup() if setup is not None else None
            call_args, call_kwargs = given if given is not None else (args, kwargs or {})
            return target(*call_args, **call_kwargs)

        return self._count(call)

    def _count(self, call: Any) -> Any:
        from harness.instructions import counted

        for _ in range(WARM_CALLS):
            call()
        returned: list[Any] = []
        counted(lambda: returned.append(call()), self.label)
        return returned[0]


class Counting:
    """A pytest plugin: the ``benchmark`` fixture as :class:`CountedCall`, each test's count
    labelled as ``labels`` says for its benchmark id."""

    def __init__(self, labels: dict[str, str]) -> None:
        self.labels = labels

    @pytest.fixture
    def benchmark(self, request: pytest.FixtureRequest) -> CountedCall:
        from harness.micro import bench_id

        return CountedCall(self.labels.get(bench_id(request.node.nodeid)))
