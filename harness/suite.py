"""Discovery of benchmarks written in asv's convention, plus bench's own extras.

asv's part: modules of a suites package; functions or methods named ``time_*``, ``peakmem_*``,
``mem_*`` and ``track_*``; ``params``/``param_names``; ``setup``/``teardown``/``setup_cache``;
``timeout``, ``number``, ``repeat``, ``warmup_time``, ``sample_time``, ``version``; ``unit`` on
track benchmarks. ``rounds`` and ``processes`` are not honoured (bench measures every case in
``--processes`` worker processes): a run that meets them says so once per attribute.

bench's extras, attributes that asv ignores:
``direction`` (``"lower"`` or ``"higher"`` is better, default lower), ``thresholds``
(metric name to a fraction, e.g. ``{"time": 0.3}``), ``noise_floors`` (metric name to an amount
in its unit under which medians are unchanged; read by the verdicts, ``harness.compare.
overrides``), ``quick_params`` (param name to the values
``--quick`` runs), ``max_rss_mb`` (the worker's memory cap), ``exact`` (a track value is an exact
count), ``instructions = False`` (a time benchmark whose instruction count means nothing, e.g.
one that waits on a child process), ``metric_units``/``metric_directions`` (tables for the
observed counters) and a ``counters()`` method returning exact counters of the latest call.

Every attribute is read here, once, into :class:`Attributes`; the worker and the verdicts use
that record and never read the suite's classes again.
"""

from __future__ import annotations

import importlib
import inspect
import itertools
import math
import pkgutil
import re
import sys
import traceback
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import asdict, dataclass, field
from enum import StrEnum
from pathlib import Path
from types import ModuleType
from typing import Any

from harness.errors import InputError
from harness.records import Direction

DEFAULT_TIMEOUT_S = 60.0
# asv attributes bench does not honour, and why (said once per run per attribute).
IGNORED = {
    "rounds": "bench measures every case in --processes worker processes",
    "processes": "bench measures every case in --processes worker processes",
}


class BenchKind(StrEnum):
    """What a benchmark measures: asv's four prefixes, and pytest-benchmark micro tests."""

    TIME = "time"
    PEAKMEM = "peakmem"
    MEM = "mem"
    TRACK = "track"
    MICRO = "micro"


ASV_KINDS = (BenchKind.TIME, BenchKind.PEAKMEM, BenchKind.MEM, BenchKind.TRACK)


@dataclass(frozen=True)
class Attributes:
    """What a benchmark declares about itself, read once at discovery; JSON-friendly.

    ``repeat`` is asv's: () unset, (count,), or (min, max, max_time). ``warmup_s`` and
    ``sample_s`` are asv's ``warmup_time`` and ``sample_time`` (None: the run's settings).
    """

    timeout_s: float = DEFAULT_TIMEOUT_S
    number: int = 0  # calls per sample; 0 calibrates
    repeat: tuple[float, ...] = ()
    warmup_s: float | None = None
    sample_s: float | None = None
    unit: str = "unit"
    direction: Direction = Direction.LOWER
    exact: bool = False
    thresholds: Mapping[str, float] = field(default_factory=dict)
    version: str | None = None
    max_rss_mb: float | None = None
    metric_units: Mapping[str, str] = field(default_factory=dict)
    metric_directions: Mapping[str, Direction] = field(default_factory=dict)
    instructions: bool = True  # time_ benchmarks: count instructions when the run does
    ignored: tuple[str, ...] = ()  # asv attributes set but not honoured

    def to_dict(self) -> dict[str, Any]:
        return {**asdict(self), "repeat": list(self.repeat), "ignored": list(self.ignored)}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Attributes:
        return cls(
            **{
                **data,
                "repeat": tuple(data["repeat"]),
                "ignored": tuple(data["ignored"]),
                "direction": Direction(data["direction"]),
                "metric_directions": {
                    k: Direction(v) for k, v in data["metric_directions"].items()
                },
            }
        )


@dataclass(frozen=True)
class Benchmark:
    """One benchmark function or method, before its parameters are expanded."""

    module: str
    class_name: str | None
    method: str
    kind: BenchKind
    param_names: tuple[str, ...]
    params: tuple[tuple[Any, ...], ...]
    quick_params: dict[str, tuple[Any, ...]] = field(default_factory=dict)
    attrs: Attributes = field(default_factory=Attributes)

    @property
    def name(self) -> str:
        """asv's name: the module relative to the suites package, class, method."""
        parts = [self.module.split(".", 1)[-1], self.class_name, self.method]
        return ".".join(p for p in parts if p)


@dataclass(frozen=True)
class Case:
    """A benchmark with one combination of parameters: the unit the runner measures."""

    benchmark: Benchmark
    param_index: tuple[int, ...]

    @property
    def params(self) -> dict[str, Any]:
        b = self.benchmark
        return {
            n: b.params[i][j]
            for i, (n, j) in enumerate(zip(b.param_names, self.param_index, strict=True))
        }

    @property
    def id(self) -> str:
        """Stable id: the name plus ``(name=repr, ...)``; same code, same id."""
        if not self.benchmark.param_names:
            return self.benchmark.name
        args = ", ".join(f"{k}={v!r}" for k, v in self.params.items())
        return f"{self.benchmark.name}({args})"


@dataclass(frozen=True)
class CaseRef:
    """A case reduced to what the runner and a worker need; JSON-friendly, so a plan made in
    another process (another git revision's suites) can be carried back.

    Micro cases (pytest-benchmark tests) have ``module`` the test file relative to the suites
    root and ``method`` the test's name within it, e.g. ``micro/test_cache.py`` and
    ``test_get[file]``.
    """

    id: str
    name: str
    params: dict[str, Any]
    module: str
    class_name: str | None
    method: str
    kind: BenchKind
    param_index: tuple[int, ...] = ()
    attrs: Attributes = field(default_factory=Attributes)

    @classmethod
    def of(cls, case: Case) -> CaseRef:
        b = case.benchmark
        return cls(
            id=case.id,
            name=b.name,
            params=jsonable(case.params),
            module=b.module,
            class_name=b.class_name,
            method=b.method,
            kind=b.kind,
            param_index=case.param_index,
            attrs=b.attrs,
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            **asdict(self),
            "param_index": list(self.param_index),
            "attrs": self.attrs.to_dict(),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> CaseRef:
        return cls(
            **{
                **data,
                "kind": BenchKind(data["kind"]),
                "param_index": tuple(data["param_index"]),
                "attrs": Attributes.from_dict(data["attrs"]),
            }
        )


def jsonable(params: Mapping[str, Any]) -> dict[str, Any]:
    """Parameter values as JSON keeps them: simple values as they are, others as ``repr``."""
    simple = (str, int, float, bool, type(None))
    return {k: v if isinstance(v, simple) else repr(v) for k, v in params.items()}


def param_grid(source: Any) -> tuple[tuple[str, ...], tuple[tuple[Any, ...], ...]]:
    """asv's ``params``/``param_names`` of a class or function: one list of values per axis
    (a flat list is one axis), names defaulting to ``param1``, ``param2``, …"""
    params = getattr(source, "params", None)
    if params is None or params == []:
        return (), ()
    if not (isinstance(params, list | tuple) and params and isinstance(params[0], list | tuple)):
        params = [params]
    names = tuple(
        getattr(source, "param_names", None) or [f"param{i + 1}" for i in range(len(params))]
    )
    return names, tuple(tuple(p) for p in params)


def attributes(name: str, func: Any, owner: Any) -> Attributes:
    """The attributes a benchmark declares: on the function first, then on its class (asv)."""

    def get(attr: str, default: Any = None) -> Any:
        return getattr(func, attr, getattr(owner, attr, default))

    try:
        return Attributes(
            timeout_s=float(get("timeout", DEFAULT_TIMEOUT_S)),
            number=int(get("number", 0) or 0),
            repeat=_repeat(get("repeat")),
            warmup_s=_seconds(get("warmup_time")),
            sample_s=_seconds(get("sample_time")),
            unit=str(get("unit", "unit")),
            direction=Direction(get("direction", "lower")),
            exact=bool(get("exact", False)),
            thresholds=_thresholds(get("thresholds") or {}),
            version=None if get("version") is None else str(get("version")),
            max_rss_mb=None if get("max_rss_mb") is None else float(get("max_rss_mb")),
            metric_units={str(k): str(v) for k, v in (get("metric_units") or {}).items()},
            metric_directions={
                str(k): Direction(v) for k, v in (get("metric_directions") or {}).items()
            },
            instructions=bool(get("instructions", True)),
            ignored=tuple(a for a in IGNORED if get(a) is not None),
        )
    except (TypeError, ValueError) as exc:
        raise InputError(f"benchmark {name}: bad attribute ({exc})") from None


def _repeat(value: Any) -> tuple[float, ...]:
    if value is None or value == 0:
        return ()
    if isinstance(value, list | tuple):
        low, high, max_time = value
        return (int(low), int(high), float(max_time))
    return (int(value),)


def _seconds(value: Any) -> float | None:
    """asv's ``warmup_time``/``sample_time``: a negative value (asv's default -1) means unset."""
    if value is None:
        return None
    seconds = float(value)
    return seconds if math.isfinite(seconds) and seconds >= 0 else None


def _thresholds(declared: Any) -> dict[str, float]:
    if not isinstance(declared, dict):
        raise ValueError("'thresholds' must map metric names to fractions, e.g. {'time': 0.3}")
    try:
        return {str(k): float(v) for k, v in declared.items()}
    except (TypeError, ValueError):
        raise ValueError("'thresholds' values must be numbers, e.g. 0.3") from None


def _make(module: ModuleType, owner: type | None, name: str, func: Any) -> Benchmark | None:
    prefix = name.split("_", 1)[0]
    if prefix not in [k.value for k in ASV_KINDS] or not callable(func):
        return None
    source = owner if owner is not None else func
    names, params = param_grid(source)
    quick = {k: tuple(v) for k, v in (getattr(source, "quick_params", None) or {}).items()}
    full_name = ".".join(p for p in (module.__name__, owner and owner.__name__, name) if p)
    return Benchmark(
        module=module.__name__,
        class_name=owner.__name__ if owner else None,
        method=name,
        kind=BenchKind(prefix),
        param_names=names,
        params=params,
        quick_params=quick,
        attrs=attributes(full_name, func, owner),
    )


def _benchmarks_in(module: ModuleType) -> Iterator[Benchmark]:
    for name, value in sorted(vars(module).items()):
        if inspect.isclass(value) and value.__module__ == module.__name__:
            for attr in sorted(dir(value)):
                found = _make(module, value, attr, getattr(value, attr))
                if found:
                    yield found
        elif inspect.isfunction(value) and value.__module__ == module.__name__:
            found = _make(module, None, name, value)
            if found:
                yield found


def import_suites(root: Path) -> ModuleType:
    """Import the suites package found at ``root`` (a directory with ``__init__.py``)."""
    if not (root / "__init__.py").is_file():
        raise InputError(f"no suites package at {root} (expected {root / '__init__.py'})")
    parent = str(root.resolve().parent)
    if parent in sys.path:
        sys.path.remove(parent)
    sys.path.insert(0, parent)
    loaded = sys.modules.get(root.name)
    if loaded is not None and Path(getattr(loaded, "__file__", "") or "").parent != root.resolve():
        # Another package of the same name (another checkout's suites) was imported before:
        # forget it and its modules, so this root's are the ones discovered.
        for name in [m for m in sys.modules if m == root.name or m.startswith(f"{root.name}.")]:
            del sys.modules[name]
        importlib.invalidate_caches()
    return import_suite_module(root.name, root)


def import_suite_module(name: str, root: Path) -> ModuleType:
    """Import module ``name`` of the suites at ``root``; a suite file that does not import
    (a SyntaxError, a missing dependency, an exception at import time) is an ``InputError``
    naming the file and the line."""
    try:
        return importlib.import_module(name)
    except (Exception, SystemExit) as exc:  # noqa: BLE001 - any import failure is the suite's
        raise _import_failure(exc, root, name) from None


def _import_failure(exc: BaseException, root: Path, name: str) -> InputError:
    if isinstance(exc, SyntaxError):
        where = f"{exc.filename or name}:{exc.lineno or '?'}"
        return InputError(f"{where}: {type(exc).__name__}: {exc.msg}")
    return InputError(f"{_import_site(exc, root, name)}: {type(exc).__name__}: {exc}")


def _import_site(exc: BaseException, root: Path, name: str) -> str:
    """``file:line`` of the innermost frame in the suites at ``root`` (else the module name)."""
    inside = str(root.resolve())
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if f.filename.startswith(inside)]
    return f"{frames[-1].filename}:{frames[-1].lineno}" if frames else name


def discover(root: Path) -> list[Benchmark]:
    """Every benchmark in the suites package at ``root``, in a stable order."""
    package = import_suites(root)
    found: list[Benchmark] = []
    for name in _module_names(package, root):
        if name.rsplit(".", 1)[-1].startswith("_"):
            continue
        found.extend(_benchmarks_in(import_suite_module(name, root)))
    return sorted(found, key=lambda b: b.name)


def _module_names(package: ModuleType, root: Path) -> list[str]:
    """Every module of the suites package (walking it imports its subpackages)."""

    def broken(name: str) -> None:
        import_suite_module(name, root)  # raises the InputError that names the file

    prefix = f"{package.__name__}."
    try:
        return [i.name for i in pkgutil.walk_packages(package.__path__, prefix, onerror=broken)]
    except InputError:
        raise
    except (Exception, SystemExit) as exc:  # noqa: BLE001 - a subpackage that does not import
        raise _import_failure(exc, root, package.__name__) from None


def expand(benchmark: Benchmark, quick: bool = False) -> list[Case]:
    """The parameter grid of ``benchmark`` (its quick subset if ``quick``) as cases."""
    axes = []
    for i, values in enumerate(benchmark.params):
        wanted = benchmark.quick_params.get(benchmark.param_names[i]) if quick else None
        axes.append([j for j, v in enumerate(values) if wanted is None or v in wanted])
    return [Case(benchmark, tuple(index)) for index in itertools.product(*axes)]


def select(
    benchmarks: Iterable[Benchmark],
    suites: Iterable[str] = (),
    pattern: str | None = None,
    quick: bool = False,
) -> list[Case]:
    """Cases of the named suites (all if none) whose ids match ``pattern``."""
    suites = list(suites)
    try:
        regex = re.compile(pattern) if pattern else None
    except re.error as exc:
        raise InputError(f"-b: not a valid regular expression: {pattern!r} ({exc})") from None
    chosen = [b for b in benchmarks if not suites or _in_suites(b, suites)]
    if suites and not chosen:
        raise InputError(f"no suite named {', '.join(suites)}")
    cases = [c for b in chosen for c in expand(b, quick)]
    return [c for c in cases if regex is None or regex.search(c.id)]


def _in_suites(benchmark: Benchmark, suites: list[str]) -> bool:
    return any(benchmark.name == s or benchmark.name.startswith(f"{s}.") for s in suites)


def ignored_warnings(benchmarks: Iterable[Benchmark]) -> list[str]:
    """One line per asv attribute that some benchmark sets and bench does not honour."""
    users: dict[str, list[str]] = {}
    for bench in benchmarks:
        for attr in bench.attrs.ignored:
            users.setdefault(attr, []).append(bench.name)
    lines = []
    for attr, names in sorted(users.items()):
        shown = ", ".join(names[:3]) + (f" and {len(names) - 3} more" if len(names) > 3 else "")
        lines.append(f"asv attribute '{attr}' is not honoured ({IGNORED[attr]}): set by {shown}")
    return lines
