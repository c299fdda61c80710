"""Instructions executed by one benchmark call, counted by Valgrind's callgrind: a metric that does
not depend on how fast or busy the machine is.

The worker runs under ``valgrind --tool=callgrind --instr-atstart=no``: nothing is counted while
Python starts, imports and sets the benchmark up (no ~50× slowdown of counting everything); the
worker switches counting on around the measured call with callgrind's client requests and off
after it, and callgrind writes the total when the process exits. Starting Python and importing
under valgrind still costs seconds, so the workers are children forked by a zygote that did it
once (``harness.zygote``). ``PYTHONHASHSEED`` is fixed so that dict and set layouts, and with
them the instruction count, repeat from process to process.

The client requests are magic instruction sequences that only C can emit. The binding is the
one that ships, prebuilt, in the ``pytest-codspeed`` wheel (MIT; CodSpeed's own instrument
hooks): its extension module is loaded straight from its file, without importing
pytest-codspeed's package (which would import pytest, ~0.13 s per worker). Writing our own would
mean compiling C on every machine that runs bench, or hand-assembled machine code per CPU
architecture.
"""

from __future__ import annotations

import gc
import importlib.metadata
import importlib.util
import os
import re
import shutil
from collections.abc import Callable
from functools import cache
from types import ModuleType

HASH_SEED = "0"
VALGRIND_ENV = "BENCH_VALGRIND"  # the valgrind to use; "none" switches counting off
_TOTALS = re.compile(r"^totals:\s+(\d+)", re.M)
_DUMP_LABEL = re.compile(r"^desc: Trigger: Client Request: (.*)$", re.M)


class InstructionsUnavailable(Exception):
    """This machine cannot count instructions; the message says why."""


class InstrumentHooksMissing(InstructionsUnavailable):
    """pytest-codspeed's prebuilt hooks are not installed for this platform."""


def valgrind() -> str | None:
    """The valgrind executable, or None where there is none (or BENCH_VALGRIND=none)."""
    wanted = os.environ.get(VALGRIND_ENV, "valgrind")
    return None if wanted == "none" else shutil.which(wanted)


def unavailable_reason() -> str | None:
    """Why instructions cannot be counted here, or None if they can."""
    if valgrind() is None:
        return "valgrind is not installed (apt-get install valgrind)"
    try:
        hooks_path()
    except InstrumentHooksMissing as exc:
        return str(exc)
    return None


def hooks_path() -> str:
    """The file of pytest-codspeed's prebuilt instrument-hooks extension module."""
    try:
        files = importlib.metadata.files("pytest-codspeed") or []
    except importlib.metadata.PackageNotFoundError:
        raise InstrumentHooksMissing("pytest-codspeed is not installed") from None
    for file in files:
        if file.name.startswith("dist_instrument_hooks") and file.name.endswith(".so"):
            return str(file.locate())
    raise InstrumentHooksMissing("pytest-codspeed has no instrument hooks for this platform")


def command(worker: list[str], out_file: str) -> list[str]:
    """``worker`` run under callgrind, counting only where the worker asks, the totals written
    to ``out_file`` (``%p`` in it is the pid of the process, a forked child's own)."""
    executable = valgrind()
    if executable is None:
        raise InstructionsUnavailable("valgrind is not installed")
    return [
        executable, "--tool=callgrind", "--instr-atstart=no", "--trace-children=no", "-q",
        f"--callgrind-out-file={out_file}", "--dump-instr=no", "--dump-line=no",
        "--compress-strings=no", "--compress-pos=no", *worker,
    ]  # fmt: skip


def totals(callgrind_output: str) -> int:
    """The instruction count of a callgrind output file."""
    found = _TOTALS.search(callgrind_output)
    if found is None:
        raise ValueError("callgrind wrote no totals")
    return int(found.group(1))


def dumped(callgrind_output: str) -> tuple[str, int] | None:
    """(label, count) of a file callgrind wrote when asked to dump (:func:`counted` with a
    ``label``), or None for any other file (the one written at exit)."""
    label = _DUMP_LABEL.search(callgrind_output)
    return None if label is None else (label.group(1).strip(), totals(callgrind_output))


@cache
def _hooks() -> ModuleType:
    spec = importlib.util.spec_from_file_location("dist_instrument_hooks", hooks_path())
    if spec is None or spec.loader is None:
        raise InstrumentHooksMissing(f"cannot load {hooks_path()}")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@cache
def _hooks_instance() -> object:
    return _hooks().instrument_hooks_init()


def counted(call: Callable[[], object], label: str | None = None) -> None:
    """In a worker under callgrind: ``call()`` with counting switched on around it alone.

    With a ``label`` (ASCII), callgrind writes the count so far to a file of its own
    (``<out-file>.<part>``, ``desc: Trigger: Client Request: <label>``) and starts again from
    zero: one process counts several calls (the micro cases of a pytest session), each read
    with :func:`dumped`. The dump is pytest-codspeed's hook (``set_executed_benchmark``, a
    ``CALLGRIND_DUMP_STATS_AT`` client request).

    The garbage collector is emptied before and switched off during the call (as ``timeit``
    does): otherwise whether and how much a collection runs inside the call depends on what the
    process allocated before it, a history that differs between processes. Measured on the
    quick suite, 4 to 9 separate processes: without this the cold analysis (305 M instructions)
    varied by 1.6% and ``PreWarm(cache='warmed')`` by 3.7%; with it, by 0.02% and 0.05%, every
    count within 0.3%. On networkx's asv suite (calls of 5,000–160,000 instructions): up to 5.6%
    without, up to 1.2% with (what remains is the allocator's state, below a call's size).
    """
    hooks = _hooks()
    start: Callable[[], None] = hooks.callgrind_start_instrumentation
    stop: Callable[[], None] = hooks.callgrind_stop_instrumentation
    gc.collect()
    enabled = gc.isenabled()
    gc.disable()
    start()
    try:
        call()
    finally:
        stop()
        if label is not None:
            hooks.instrument_hooks_set_executed_benchmark(
                _hooks_instance(), os.getpid(), label.encode("ascii")
            )
        if enabled:
            gc.enable()
