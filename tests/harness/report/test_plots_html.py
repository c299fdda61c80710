"""Plots as PNG files, and the self-contained HTML report rendered by headless Chromium."""

from __future__ import annotations

import html
import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from harness.compare import Comparison, judge
from harness.plots import PlotSet, write_plots
from harness.report import render
from tests.harness.compare.factory import bench, counter, metric, noisy, run
from tests.services import Service, needs

PNG = b"\x89PNG\r\n\x1a\n"
CHROMIUM = shutil.which("chromium") or (
    "/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None
)


def _sweep_run(run_id: str, seed: int, slow: float) -> object:
    cases = []
    for i, jobs in enumerate((1, 2, 4)):
        cases.append(
            bench(
                f"par.Sweep.time_all(jobs={jobs})",
                metric("time", noisy(seed + i, slow / jobs**0.8, 0.03)),
                counter("requests", 40),
                params={"jobs": jobs},
            )
        )
    for i, rpm in enumerate((30, 60, 120)):
        cases.append(
            bench(
                f"rl.Paced.time_paced(rpm={rpm})",
                metric("time", noisy(seed + 10 + i, 60.0 * 20 / rpm * slow, 0.02)),
                counter("requests", 20),
                params={"rpm": rpm},
            )
        )
    return run(run_id, *cases)


@pytest.fixture(scope="module")
def sweep_comparison() -> Comparison:
    return judge(_sweep_run("base", 1, 1.0), _sweep_run("cur", 100, 1.3))


@pytest.fixture(scope="module")
def plots(sweep_comparison: Comparison, tmp_path_factory: pytest.TempPathFactory) -> PlotSet:
    return write_plots(sweep_comparison, tmp_path_factory.mktemp("plots"))


def test_every_plot_is_a_png(plots: PlotSet) -> None:
    assert plots.summary is not None
    assert set(plots.sweeps) == {"par.Sweep.time_all vs jobs", "rl.Paced.time_paced vs rpm"}
    assert len(plots.benchmarks) == 6
    for path in plots.all():
        assert path.read_bytes().startswith(PNG), path


def test_html_embeds_every_plot(sweep_comparison: Comparison, plots: PlotSet) -> None:
    page = render("html", sweep_comparison, plots)
    assert page.count('src="data:image/png;base64,') == len(plots.all())
    assert "<img" in page and 'src="/' not in page and "file://" not in page


_PROBE = """<script>
window.addEventListener("load", () => {
  const seen = Array.from(document.images).map(i => [i.complete, i.naturalWidth, i.naturalHeight]);
  document.body.setAttribute("data-images", JSON.stringify(seen));
});
</script></body>"""


@needs(Service.CHROMIUM, CHROMIUM is not None, "chromium is not installed (CI installs it)")
def test_html_renders_in_headless_chromium_with_every_plot_visible(
    sweep_comparison: Comparison, plots: PlotSet, tmp_path: Path
) -> None:
    page = tmp_path / "report.html"
    # The probe records each image's decoded size once the page has loaded.
    page.write_text(render("html", sweep_comparison, plots).replace("</body>", _PROBE))
    done = subprocess.run(
        [
            CHROMIUM,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            f"--user-data-dir={tmp_path / 'profile'}",
            "--dump-dom",
            page.as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=90,
        check=False,
    )
    found = re.search(r'data-images="([^"]*)"', done.stdout)
    assert found, f"no probe result; chromium exit {done.returncode}: {done.stderr[-500:]}"
    images = json.loads(html.unescape(found.group(1)))
    assert len(images) == len(plots.all())
    assert all(complete and width > 100 and height > 100 for complete, width, height in images)
