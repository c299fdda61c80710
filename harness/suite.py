"""Discovery of benchmarks written in asv's convention, plus bench's own extras.

asv's part: modules of a suites package; functions or methods named ``time_*``, ``peakmem_*``,
``mem_*`` and ``track_*``; ``params``/``param_names``; ``setup``/``teardown``/``setup_cache``;
``timeout``, ``number``, ``repeat``, ``warmup_time``; ``unit`` on track benchmarks.

bench's extras, attributes that asv ignores:
``direction`` (``"lower"`` or ``"higher"`` is better, default lower), ``thresholds``
(metric name to a fraction, e.g. ``{"time": 0.3}``), ``quick_params`` (param name to the values
``--quick`` runs), ``max_rss_mb`` (the worker's memory cap), ``exact`` (a track value is an exact
count) and a ``counters()`` method returning exact counters of the latest call.
"""

from __future__ import annotations

import importlib
import inspect
import itertools
import pkgutil
import re
import sys
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

from harness.errors import InputError

KINDS = ("time", "peakmem", "mem", "track")
DEFAULT_TIMEOUT_S = 60.0


@dataclass(frozen=True)
class Benchmark:
    """One benchmark function or method, before its parameters are expanded."""

    module: str
    class_name: str | None
    method: str
    kind: str
    param_names: tuple[str, ...]
    params: tuple[tuple[Any, ...], ...]
    quick_params: dict[str, tuple[Any, ...]] = field(default_factory=dict)
    timeout_s: float = DEFAULT_TIMEOUT_S
    max_rss_mb: float | None = None

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
    another process (another git revision's suites) can be carried back."""

    id: str
    name: str
    params: dict[str, Any]
    module: str
    class_name: str | None
    method: str
    kind: str
    param_index: tuple[int, ...]
    timeout_s: float
    max_rss_mb: float | None

    @classmethod
    def of(cls, case: Case) -> CaseRef:
        b = case.benchmark
        return cls(
            id=case.id,
            name=b.name,
            params=_jsonable(case.params),
            module=b.module,
            class_name=b.class_name,
            method=b.method,
            kind=b.kind,
            param_index=case.param_index,
            timeout_s=b.timeout_s,
            max_rss_mb=b.max_rss_mb,
        )

    def to_dict(self) -> dict[str, Any]:
        return {**asdict(self), "param_index": list(self.param_index)}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> CaseRef:
        return cls(**{**data, "param_index": tuple(data["param_index"])})


def _jsonable(params: dict[str, Any]) -> dict[str, Any]:
    simple = (str, int, float, bool, type(None))
    return {k: v if isinstance(v, simple) else repr(v) for k, v in params.items()}


def _normalise_params(obj: Any) -> tuple[tuple[str, ...], tuple[tuple[Any, ...], ...]]:
    params = getattr(obj, "params", None)
    if params is None or params == []:
        return (), ()
    if not (isinstance(params, list | tuple) and params and isinstance(params[0], list | tuple)):
        params = [params]
    names = tuple(
        getattr(obj, "param_names", None) or [f"param{i + 1}" for i in range(len(params))]
    )
    return names, tuple(tuple(p) for p in params)


def _make(module: ModuleType, owner: type | None, name: str, func: Any) -> Benchmark | None:
    kind = name.split("_", 1)[0]
    if kind not in KINDS or not callable(func):
        return None
    source = owner if owner is not None else func
    names, params = _normalise_params(source)
    quick = {k: tuple(v) for k, v in (getattr(source, "quick_params", None) or {}).items()}
    timeout = float(getattr(func, "timeout", getattr(source, "timeout", DEFAULT_TIMEOUT_S)))
    max_rss = getattr(func, "max_rss_mb", getattr(source, "max_rss_mb", None))
    return Benchmark(
        module=module.__name__,
        class_name=owner.__name__ if owner else None,
        method=name,
        kind=kind,
        param_names=names,
        params=params,
        quick_params=quick,
        timeout_s=timeout,
        max_rss_mb=float(max_rss) if max_rss is not None else None,
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
    return importlib.import_module(root.name)


def discover(root: Path) -> list[Benchmark]:
    """Every benchmark in the suites package at ``root``, in a stable order."""
    package = import_suites(root)
    found: list[Benchmark] = []
    for info in pkgutil.walk_packages(package.__path__, prefix=f"{package.__name__}."):
        if info.name.rsplit(".", 1)[-1].startswith("_"):
            continue
        found.extend(_benchmarks_in(importlib.import_module(info.name)))
    return sorted(found, key=lambda b: b.name)


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
