"""The published asv site, served on 127.0.0.1, renders bench's history in headless Chromium."""

from __future__ import annotations

import subprocess
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from PIL import Image

from harness.asv.assets import SOURCES, assets_dir
from tests.harness.history.conftest import History
from tests.services import Service, needs

CHROMIUM = Path("/usr/bin/chromium")
# asv's first two series colours: n=1 and n=2 of tiny.Tiny.time_sum.
SERIES_COLOURS = ((0x24, 0x7A, 0xAD), (0xE2, 0x4A, 0x33))

ASSETS_READY = all((assets_dir() / name).is_file() for name in SOURCES)

pytestmark = [
    needs(Service.CHROMIUM, CHROMIUM.exists(), "chromium is not installed at /usr/bin/chromium"),
    needs(Service.ASSETS, ASSETS_READY, "the site needs asv's scripts: run `make assets` first"),
]


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@contextmanager
def served(directory: Path) -> Iterator[str]:
    """``directory`` on an HTTP server on 127.0.0.1; yields the URL of its index.html."""
    handler = partial(QuietHandler, directory=str(directory))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/index.html"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


@pytest.fixture(scope="module")
def site(history: History) -> Iterator[str]:
    with served(history.html) as url:
        yield url


def chromium(url: str, *how: str) -> subprocess.CompletedProcess[str]:
    with tempfile.TemporaryDirectory(prefix="bench-chromium-") as profile:
        return subprocess.run(
            [str(CHROMIUM), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
             "--no-first-run", "--disable-background-networking", "--disable-component-update",
             "--disable-sync", f"--user-data-dir={profile}", "--window-size=1400,900",
             "--virtual-time-budget=10000", *how, url],
            capture_output=True, text=True, timeout=90, check=False,
        )  # fmt: skip


def test_the_grid_lists_benchs_benchmarks(site: str) -> None:
    dom = chromium(site, "--dump-dom").stdout
    assert "failed to load" not in dom  # asv's page when a script is missing
    for name in ("Tiny.time_sum", "Tiny.time_sum.items", "Tiny.time_sum.cpu_time", "track_answer"):
        assert f">{name}<" in dom, name


def test_a_graph_page_loads_the_benchmarks_data(site: str) -> None:
    dom = chromium(f"{site}#tiny.Tiny.time_sum", "--dump-dom").stdout
    assert 'class="flot-base"' in dom
    assert ">n-1<" in dom and ">n-2<" in dom  # flot's legend: one series per parameter value


def _near(pixel: bytes, colour: tuple[int, int, int]) -> bool:
    return all(abs(a - b) <= 40 for a, b in zip(pixel, colour, strict=True))


def test_the_graph_draws_both_series(site: str, tmp_path: Path) -> None:
    shot = tmp_path / "graph.png"
    done = chromium(f"{site}#tiny.Tiny.time_sum", f"--screenshot={shot}")
    assert shot.exists(), done.stderr[-500:]
    image = Image.open(shot).convert("RGB")
    width, height = image.size
    # The plot's right part: away from the legend, crossed by each series' line to its points.
    plot = image.crop((int(width * 0.4), int(height * 0.15), int(width * 0.95), int(height * 0.8)))
    raw = plot.tobytes()
    pixels = [raw[i : i + 3] for i in range(0, len(raw), 3)]
    for colour in SERIES_COLOURS:
        # A line across the plot is hundreds of pixels; anti-aliasing shades many of them.
        drawn = sum(1 for p in pixels if _near(p, colour))
        assert drawn >= 100, f"series colour {colour} drawn on {drawn} pixels"
