"""Write: the proposed settings as a TOML file the analyzer reads (``bench analyze --config``),
with a comment per knob saying why, and the plot of each sweep beside it."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from suites._tune.session import TuneOutcome
from suites._tune.sweeps import Sweep


def settings_text(outcome: TuneOutcome, stamp: str, command: str) -> str:
    c = outcome.conditions
    lines = [
        f"# Written by bench tune on {stamp}:",
        f"#   {command}",
        f"# Conditions: {c.source}, latency {c.latency_ms:.1f} ms, primary limit "
        f"{c.limits.limit} per {c.limits.window_s:g} s, {c.machine.cores} cores, "
        f"{c.machine.memory_bytes / 2**30:.1f} GiB.",
    ]
    if outcome.validation is not None:
        v = outcome.validation
        lines.append(
            f"# Validated against the settings in force, {len(v.current.times)} "
            f"analyses of {v.runs} runs per side, interleaved: {v.summary()}."
        )
    lines.append("# Read it with: bench analyze OWNER/REPO --config THIS_FILE")
    for env, value in outcome.settings.items():
        lines += ["", f"# {outcome.reasons.get(env, '')}", f"{env} = {_toml(value)}"]
    return "\n".join(lines) + "\n"


def _toml(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    return json.dumps(str(value))  # a TOML basic string is a JSON string


def plot_path(output: Path, sweep: Sweep) -> Path:
    return output.with_name(f"{output.stem}-{sweep.knob.value}.png")


def write_plots(outcome: TuneOutcome, output: Path) -> list[Path]:
    # Late: harness.plots brings harness.compare and scipy, and suite discovery imports this
    # module (see suites._tune.validate._judge).
    from harness.plots.knob import KnobPlot, KnobSeries, write_knob_plot

    written = []
    for sweep in outcome.sweeps:
        labels = [p.label for p in sweep.points]
        chosen = next(i for i, p in enumerate(sweep.points) if p.value == sweep.chosen)
        right = None
        if sweep.secondary_label is not None:
            right = KnobSeries(sweep.secondary_label, [p.secondary or 0.0 for p in sweep.points])
        plot = KnobPlot(
            f"{sweep.title}: {sweep.rule}",
            sweep.x_label,
            labels,
            KnobSeries(sweep.primary_label, [p.primary for p in sweep.points]),
            right,
            chosen,
        )
        written.append(write_knob_plot(plot, plot_path(output, sweep)))
    return written
