"""The job summary as GitHub shows it, rendered to HTML and drawn by headless Chromium.

The page lives away from the results folder, as a job summary does on github.com: a relative
image link there is a broken image. The summary must show its verdict tables and no image.
"""

from __future__ import annotations

import html
import json
import os
import re
import shutil
import subprocess
from pathlib import Path

from PIL import Image

from harness.compare import Comparison
from harness.plots import PlotSet
from harness.report import render
from tests.harness.report.test_markdown import github_html
from tests.services import Service, needs

CHROMIUM = shutil.which("chromium") or (
    "/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None
)
pytestmark = needs(
    Service.CHROMIUM, CHROMIUM is not None, "chromium is not installed (CI installs it)"
)

# The few rules of GitHub's stylesheet that draw a table.
STYLE = """body{font:14px/1.5 sans-serif;margin:16px;color:#1f2328;background:#fff}
table{border-collapse:collapse}th,td{border:1px solid #d0d7de;padding:6px 13px}
th{background:#f6f8fa}img{max-width:100%}"""
PROBE = """<script>
window.addEventListener("load", () => {
  const images = Array.from(document.images).map(i => [i.complete, i.naturalWidth]);
  const t = document.querySelector("table").getBoundingClientRect();
  const rows = document.querySelectorAll("table")[0].querySelectorAll("tbody tr").length;
  document.body.setAttribute("data-probe", JSON.stringify(
    {images, rows, table: [t.left, t.top, t.right, t.bottom]}));
});
</script>"""
BORDER = (0xD0, 0xD7, 0xDE)


def chromium(page: Path, profile: Path, *how: str) -> subprocess.CompletedProcess[str]:
    assert CHROMIUM is not None
    return subprocess.run(
        [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
         "--no-first-run", "--disable-background-networking", "--disable-component-update",
         "--disable-sync", f"--user-data-dir={profile}", "--window-size=1400,1000",
         "--hide-scrollbars", *how, page.as_uri()],
        capture_output=True, text=True, timeout=90, check=False,
    )  # fmt: skip


def _near(pixel: tuple[int, ...], colour: tuple[int, int, int], by: int = 12) -> bool:
    return all(abs(a - b) <= by for a, b in zip(pixel, colour, strict=True))


def test_the_summary_shows_its_verdict_table_and_no_broken_image(
    comparison: Comparison, tmp_path: Path
) -> None:
    plots_dir = tmp_path / "results" / comparison.current.run_id / "plots"
    plots = PlotSet(summary=plots_dir / "summary.png", benchmarks={
        b: plots_dir / f"{i}.png" for i, b in enumerate(comparison.benchmark_ids())})  # fmt: skip
    summary = render("markdown", comparison, plots.relative_to(tmp_path / "results"))
    site = tmp_path / "github.com"
    site.mkdir()
    page = site / "summary.html"
    body = github_html(summary)
    page.write_text(f"<!DOCTYPE html><html><head><meta charset='utf-8'><style>{STYLE}</style>"
                    f"</head><body>{body}{PROBE}</body></html>")  # fmt: skip

    dom = chromium(page, tmp_path / "profile-dom", "--dump-dom")
    found = re.search(r'data-probe="([^"]*)"', dom.stdout)
    assert found, f"no probe result; chromium exit {dom.returncode}: {dom.stderr[-500:]}"
    probe = json.loads(html.unescape(found.group(1)))
    assert probe["images"] == []  # nothing that GitHub could not load
    assert probe["rows"] == 2  # the regressed table: one row per regressed metric

    shot = Path(os.environ.get("BENCH_KEEP_SCREENSHOT") or tmp_path / "summary.png")
    done = chromium(page, tmp_path / "profile-shot", f"--screenshot={shot}")
    assert shot.exists(), done.stderr[-500:]
    left, top, right, bottom = (int(v) for v in probe["table"])
    table = Image.open(shot).convert("RGB").crop((left, top, right, bottom))
    raw = table.tobytes()
    pixels = [tuple(raw[i : i + 3]) for i in range(0, len(raw), 3)]
    borders = sum(1 for p in pixels if _near(p, BORDER))
    ink = sum(1 for p in pixels if max(p) < 100)
    assert right - left > 400 and bottom - top > 60  # a table, drawn at a readable size
    assert borders > 2 * (right - left)  # its grid lines
    assert ink > 500  # and its text
