"""asv's HTML site from bench's history: ``asv publish`` over ``.asv/results``, made offline."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from harness.asv.assets import AssetsUnavailable, localize
from harness.asv.db import DEFAULT_ASV_DIR, HistoryError, write_benchmarks_json
from harness.errors import InputError

PUBLISH_TIMEOUT_S = 600.0


def publish(
    asv_dir: Path = DEFAULT_ASV_DIR,
    *,
    config: Path = Path("asv.conf.json"),
    html_dir: Path | None = None,
    repo: Path | None = None,
    timeout_s: float = PUBLISH_TIMEOUT_S,
    log: Callable[[str], None] | None = None,
    offline: bool = True,
) -> Path:
    """Run ``asv publish`` on ``asv_dir/results``; returns the HTML directory.

    The project's ``config`` supplies the project name and branches; its repository (or
    ``repo``) must hold the recorded commits on those branches, or asv draws no point for them.
    ``offline`` serves the scripts asv loads from CDNs from the site itself.
    """
    results_dir = asv_dir / "results"
    if not any(results_dir.glob("*/machine.json")):
        raise InputError(f"nothing recorded in {results_dir} yet: run 'bench publish RESULT...'")
    write_benchmarks_json(asv_dir)
    html = (html_dir or asv_dir / "html").resolve()
    with tempfile.TemporaryDirectory(prefix="bench-asv-") as tmp:
        conf = Path(tmp) / "asv.conf.json"
        conf.write_text(json.dumps(_publish_config(config, results_dir, html, repo)))
        output = _run_asv(["publish", "--config", str(conf), "--no-pull"], timeout_s)
    warnings = [
        line.strip(" ·")
        for line in output.splitlines()
        if re.search(r"warning|couldn't find", line, re.IGNORECASE)
    ]
    if offline:
        try:
            warnings += [f"still loaded from the network: {url}" for url in localize(html)]
        except AssetsUnavailable as exc:
            warnings.append(f"the site loads its scripts from CDNs: {exc}")
    for line in warnings:
        if log:
            log(line)
    return html


def _publish_config(
    config: Path, results_dir: Path, html_dir: Path, repo: Path | None
) -> dict[str, Any]:
    from asv import util

    try:
        conf = util.load_json(str(config), js_comments=True)
    except (OSError, util.UserError, ValueError) as exc:
        raise InputError(f"{config}: cannot read the asv configuration ({exc})") from None
    base = config.resolve().parent
    return {
        **conf,
        "repo": str(repo.resolve() if repo else base / conf.get("repo", ".")),
        "benchmark_dir": str(base / conf.get("benchmark_dir", "benchmarks")),
        "results_dir": str(results_dir.resolve()),
        "html_dir": str(html_dir),
        "env_dir": str(results_dir.resolve().parent / "env"),
    }


def _run_asv(args: list[str], timeout_s: float) -> str:
    try:
        done = subprocess.run(
            [sys.executable, "-m", "asv", *args],
            capture_output=True, text=True, timeout=timeout_s, check=False,
            stdin=subprocess.DEVNULL,
        )  # fmt: skip
    except subprocess.TimeoutExpired:
        raise HistoryError(f"asv {args[0]} did not finish within {timeout_s:g} s") from None
    if done.returncode != 0:
        lines = (done.stderr.strip() or done.stdout.strip() or "no output").splitlines()
        raise HistoryError(f"asv {args[0]} failed (exit {done.returncode}): {lines[-1]}")
    return done.stdout + done.stderr
