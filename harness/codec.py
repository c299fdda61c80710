"""Records to JSON-ready data and back: one codec for result files and the worker's replies.

Decoding checks every field's type and names the first wrong one (``benchmarks[3].metrics[0].
direction: expected one of lower, higher, got 'sideways'``), so a damaged or hand-edited file is
an input error with a message, never a crash. Samples must be finite numbers.
Cheap to import: worker processes use it.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import asdict, fields
from enum import StrEnum
from typing import Any, TypeVar

from harness.meta import Against, Confirmation, GitInfo, MachineInfo, PythonInfo, RunMeta
from harness.records import (
    BenchmarkResult,
    Direction,
    Kind,
    Metric,
    ProcessRun,
    RunResult,
    Side,
    Status,
)

E = TypeVar("E", bound=StrEnum)
T = TypeVar("T")


class DecodeError(ValueError):
    """Data that is not a valid record; ``str()`` names the field and what was wrong."""


# ---------------------------------------------------------------- encoding


def encode_run(run: RunResult) -> dict[str, Any]:
    return {
        "run_id": run.run_id,
        "meta": encode_meta(run.meta),
        "benchmarks": [encode_benchmark(b) for b in run.benchmarks],
        "complete": run.complete,
    }


def encode_meta(meta: RunMeta) -> dict[str, Any]:
    data = asdict(meta)
    extra = data.pop("extra")
    return {**extra, **data}


def encode_benchmark(bench: BenchmarkResult, with_summary: bool = True) -> dict[str, Any]:
    return {
        "id": bench.id,
        "name": bench.name,
        "params": bench.params,
        "status": bench.status.value,
        "metrics": [encode_metric(m, with_summary) for m in bench.metrics],
        "error": bench.error,
        "duration_s": bench.duration_s,
        "memory_timeline": list(bench.memory_timeline),
        "version": bench.version,
    }


def encode_metric(metric: Metric, with_summary: bool = True) -> dict[str, Any]:
    data: dict[str, Any] = {
        "name": metric.name,
        "unit": metric.unit,
        "direction": metric.direction.value,
        "kind": metric.kind.value,
        "runs": [asdict(run) for run in metric.runs],
    }
    if with_summary:  # derived, for people and other tools; never read back
        data["summary"] = metric.summary
    return data


# ---------------------------------------------------------------- decoding


class Fields:
    """A JSON object being decoded; every accessor checks the type and names the field."""

    def __init__(self, data: Any, where: str) -> None:
        if not isinstance(data, dict):
            raise DecodeError(f"{where}: expected an object, got {_kind(data)}")
        self.data: dict[str, Any] = data
        self.where = where

    def at(self, key: str) -> str:
        return f"{self.where}.{key}" if self.where else key

    def raw(self, key: str, default: Any = ...) -> Any:
        if key in self.data:
            return self.data[key]
        if default is ...:
            raise DecodeError(f"{self.at(key)}: missing")
        return default

    def text(self, key: str, default: Any = ...) -> Any:
        return self._typed(key, str, "a string", default)

    def flag(self, key: str, default: Any = ...) -> Any:
        return self._typed(key, bool, "true or false", default)

    def integer(self, key: str, default: Any = ...) -> Any:
        value = self.raw(key, default)
        if value is None and default is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int):
            raise DecodeError(f"{self.at(key)}: expected an integer, got {_kind(value)}")
        return value

    def number(self, key: str, default: Any = ...) -> Any:
        value = self.raw(key, default)
        if value is None and default is None:
            return None
        return finite(value, self.at(key))

    def enum(self, key: str, kind: type[E], default: Any = ...) -> E:
        value = self.raw(key, default)
        try:
            return kind(value)
        except ValueError:
            allowed = ", ".join(m.value for m in kind)
            raise DecodeError(f"{self.at(key)}: expected one of {allowed}, got {value!r}") from None

    def obj(self, key: str, default: Any = ...) -> Fields:
        return Fields(self.raw(key, default), self.at(key))

    def mapping(self, key: str) -> dict[str, Any]:
        return self.obj(key, {}).data

    def items(self, key: str, decode: Callable[[Any, str], T], default: Any = ...) -> list[T]:
        value = self.raw(key, default)
        if not isinstance(value, list | tuple):
            raise DecodeError(f"{self.at(key)}: expected an array, got {_kind(value)}")
        return [decode(item, f"{self.at(key)}[{i}]") for i, item in enumerate(value)]

    def _typed(self, key: str, kind: type, what: str, default: Any) -> Any:
        value = self.raw(key, default)
        if value is None and default is None:
            return None
        if not isinstance(value, kind):
            raise DecodeError(f"{self.at(key)}: expected {what}, got {_kind(value)}")
        return value


def finite(value: Any, where: str) -> float:
    """A JSON number that is neither NaN nor infinite, as a float."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise DecodeError(f"{where}: expected a number, got {_kind(value)}")
    if not math.isfinite(value):
        raise DecodeError(f"{where}: expected a finite number, got {value!r}")
    return float(value)


def _kind(value: Any) -> str:
    names = {dict: "an object", list: "an array", str: "a string", bool: "a boolean"}
    if value is None:
        return "null"
    return names.get(type(value), f"{type(value).__name__} {value!r}"[:60])


def decode_run(data: Any) -> RunResult:
    top = Fields(data, "")
    return RunResult(
        run_id=top.text("run_id"),
        meta=decode_meta(top.raw("meta"), "meta"),
        benchmarks=tuple(top.items("benchmarks", decode_benchmark)),
        complete=top.flag("complete"),
    )


def decode_benchmark(data: Any, where: str) -> BenchmarkResult:
    b = Fields(data, where)
    params = b.mapping("params")
    return BenchmarkResult(
        id=b.text("id"),
        name=b.text("name"),
        params=params,
        status=b.enum("status", Status),
        metrics=tuple(b.items("metrics", decode_metric)),
        error=b.text("error", None),
        duration_s=b.number("duration_s", 0.0),
        memory_timeline=tuple(b.items("memory_timeline", finite, [])),
        version=b.text("version", None),
    )


def decode_metric(data: Any, where: str) -> Metric:
    m = Fields(data, where)
    return Metric(
        name=m.text("name"),
        unit=m.text("unit"),
        direction=m.enum("direction", Direction),
        kind=m.enum("kind", Kind),
        runs=tuple(m.items("runs", decode_process_run)),
    )


def decode_process_run(data: Any, where: str) -> ProcessRun:
    r = Fields(data, where)
    return ProcessRun(
        samples=tuple(r.items("samples", finite)),
        round=r.integer("round", 0),
        side=r.enum("side", Side, Side.CURRENT),
        started_at=r.number("started_at", None),
        duration_s=r.number("duration_s", None),
    )


def decode_meta(data: Any, where: str) -> RunMeta:
    m = Fields(data, where)
    known = {f.name for f in fields(RunMeta)}
    strings = _string_list
    return RunMeta(
        harness_version=m.text("harness_version", ""),
        start_time=m.text("start_time", ""),
        end_time=m.text("end_time", None),
        command=tuple(m.items("command", strings, [])),
        quick=m.flag("quick", False),
        planned_benchmarks=m.integer("planned_benchmarks", 0),
        planned_ids=tuple(m.items("planned_ids", strings, [])),
        suites=tuple(m.items("suites", strings, [])),
        pattern=m.text("pattern", None),
        shard=m.text("shard", None),
        machine=_machine(m),
        python=_python(m),
        packages={str(k): str(v) for k, v in m.mapping("packages").items()},
        git=_git(m),
        fixtures=m.mapping("fixtures"),
        settings=m.mapping("settings"),
        processes=m.integer("processes", 1),
        role=m.text("role", None),
        against=_against(m),
        interrupted=m.flag("interrupted", False),
        confirmation=_confirmation(m),
        merged_from=tuple(m.items("merged_from", strings, [])),
        shard_machines=tuple(m.items("shard_machines", strings, [])),
        warnings=tuple(m.items("warnings", strings, [])),
        extra={k: v for k, v in m.data.items() if k not in known},
    )


def _string_list(value: Any, where: str) -> str:
    if not isinstance(value, str):
        raise DecodeError(f"{where}: expected a string, got {_kind(value)}")
    return value


def _machine(m: Fields) -> MachineInfo:
    p = m.obj("machine", {})
    return MachineInfo(
        hostname=p.text("hostname", None),
        cpu_model=p.text("cpu_model", None),
        cores=p.integer("cores", None),
        memory_bytes=p.integer("memory_bytes", None),
        os=p.text("os", None),
        arch=p.text("arch", None),
    )


def _python(m: Fields) -> PythonInfo:
    p = m.obj("python", {})
    return PythonInfo(
        version=p.text("version", None),
        implementation=p.text("implementation", None),
        executable=p.text("executable", None),
    )


def _git(m: Fields) -> GitInfo:
    g = m.obj("git", {})
    return GitInfo(
        commit=g.text("commit", None),
        branch=g.text("branch", None),
        dirty=g.flag("dirty", None),
        subject=g.text("subject", None),
    )


def _against(m: Fields) -> Against | None:
    if m.raw("against", None) is None:
        return None
    a = m.obj("against")
    return Against(
        a.text("rev"),
        a.text("commit"),
        a.text("base_run_id", None),
        tuple(a.items("base_run_ids", _string_list, [])),
    )


def _confirmation(m: Fields) -> Confirmation | None:
    if m.raw("confirmation", None) is None:
        return None
    c = m.obj("confirmation")
    return Confirmation(c.integer("rounds"), tuple(c.items("remeasured", _string_list, [])))
