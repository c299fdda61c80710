"""``bench run --commits RANGE``: past commits measured into asv's history, each in a worktree,
and the site ``bench publish`` builds from them drawing one point per commit."""

from __future__ import annotations

import html
import json
import os
import re
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from PIL import Image

from harness.backfill import commits_in
from harness.errors import InputError
from harness.results import load
from tests.harness.history.conftest import MACHINE, SUITE, bench, git
from tests.harness.history.test_browser import (
    ASSETS_READY,
    CHROMIUM,
    SERIES_COLOURS,
    _near,
    chromium,
    served,
)
from tests.services import Service, needs


@dataclass(frozen=True)
class Backfill:
    repo: Path
    commits: list[str]  # oldest first, as the project's history has them
    first: subprocess.CompletedProcess[str]
    again: subprocess.CompletedProcess[str]


def project(root: Path, answers: list[int]) -> tuple[Path, list[str]]:
    """A git project with one commit per answer (the suite's ``track_answer`` returns it)."""
    repo = root / "project"
    (repo / "tinysuites").mkdir(parents=True)
    (repo / "tinysuites" / "__init__.py").write_text("")
    conf = {"version": 1, "project": "tiny", "repo": ".", "branches": ["main"],
            "environment_type": "existing", "benchmark_dir": "tinysuites",
            "results_dir": ".asv/results", "html_dir": ".asv/html"}  # fmt: skip
    (repo / "asv.conf.json").write_text(json.dumps(conf))
    (repo / ".gitignore").write_text("results/\n.asv/\n")
    git(repo, "init", "-q", "-b", "main")
    commits = []
    for answer in answers:
        (repo / "tinysuites" / "tiny.py").write_text(SUITE.format(answer=answer))
        git(repo, "add", "-A")
        git(repo, "commit", "-q", "-m", f"answer {answer}")
        commits.append(git(repo, "rev-parse", "HEAD"))
    return repo, commits


@pytest.fixture(scope="module")
def backfilled(tmp_path_factory: pytest.TempPathFactory) -> Backfill:
    repo, commits = project(tmp_path_factory.mktemp("backfill"), [40, 41, 43, 46])
    args = ("run", "--quick", "--suites-dir", "tinysuites", "--commits", "HEAD~3..HEAD")
    first = bench(*args, cwd=repo)
    again = bench(*args, cwd=repo)
    return Backfill(repo, commits, first, again)


def test_each_commit_of_the_range_is_recorded_once(backfilled: Backfill) -> None:
    assert backfilled.first.returncode == 0, backfilled.first.stderr
    wanted = backfilled.commits[1:]  # HEAD~3..HEAD: the last three
    recorded = sorted((backfilled.repo / ".asv" / "results" / MACHINE).glob("*-bench.json"))
    hashes = {json.loads(p.read_text())["commit_hash"] for p in recorded}
    assert hashes == set(wanted)
    lines = backfilled.first.stdout.splitlines()
    assert [line.split()[1] for line in lines if line.startswith("recorded ")] == [
        c[:8] for c in wanted
    ]
    assert lines[-1] == "3 commit(s) measured, 0 already recorded"
    # Each commit's own suite ran, in its own worktree: the answer is the one it holds.
    answers = {}
    for path in (backfilled.repo / "results" / "backfill").glob("*.json"):
        run = load(path)
        track = next(b for b in run.benchmarks if b.id == "tiny.track_answer").metric("track")
        assert track is not None
        answers[run.meta.git.commit] = set(track.samples)
    assert answers == dict(zip(wanted, ({41.0}, {43.0}, {46.0}), strict=True))


def test_a_second_backfill_skips_what_is_recorded(backfilled: Backfill) -> None:
    assert backfilled.again.returncode == 0, backfilled.again.stderr
    assert backfilled.again.stdout.splitlines()[-1] == "0 commit(s) measured, 3 already recorded"
    assert "measuring:" not in backfilled.again.stderr


def test_the_runs_are_kept_apart_from_the_latest_run(backfilled: Backfill) -> None:
    assert not list((backfilled.repo / "results").glob("*.json"))
    assert len(list((backfilled.repo / "results" / "backfill").glob("*.json"))) == 3


def test_a_range_is_read_as_git_does_oldest_first(tmp_path: Path) -> None:
    repo, commits = project(tmp_path, [1, 2, 3])
    assert commits_in(repo, "HEAD~2..HEAD") == commits[1:]
    assert commits_in(repo, "HEAD~1") == [commits[1]]
    with pytest.raises(InputError, match="holds no commits"):
        commits_in(repo, "HEAD..HEAD")
    with pytest.raises(InputError, match="not a range"):
        commits_in(repo, "nope..HEAD")


PROBE = """<script>
(function wait() {
  var plot = window.jQuery && jQuery("#main-graph").data("plot");
  if (!plot) { setTimeout(wait, 100); return; }
  var points = plot.getData().map(function (s) {
    return s.data.filter(function (p) { return p[1] !== null; }).length; });
  document.body.setAttribute("data-points", JSON.stringify(points));
})();
</script></body>"""


@pytest.fixture(scope="module")
def site(backfilled: Backfill) -> Iterator[str]:
    published = bench("publish", "--machine", MACHINE, cwd=backfilled.repo)
    assert published.returncode == 0, published.stderr
    html_dir = backfilled.repo / ".asv" / "html"
    index = html_dir / "index.html"
    # The probe reads the points flot was given to draw, once the graph is drawn.
    index.write_text(index.read_text().replace("</body>", PROBE))
    with served(html_dir) as url:
        yield url


@needs(Service.CHROMIUM, CHROMIUM.exists(), "chromium is not installed at /usr/bin/chromium")
@needs(Service.ASSETS, ASSETS_READY, "the site needs asv's scripts: run `make assets` first")
def test_the_published_graph_has_a_point_per_backfilled_commit(site: str, tmp_path: Path) -> None:
    dom = chromium(f"{site}#tiny.track_answer", "--dump-dom").stdout
    found = re.search(r'data-points="([^"]*)"', dom)
    assert found, "the graph was not drawn"
    assert json.loads(html.unescape(found.group(1))) == [3]
    shot = Path(os.environ.get("BENCH_KEEP_SCREENSHOT") or tmp_path / "graph.png")
    done = chromium(f"{site}#tiny.track_answer", f"--screenshot={shot}")
    assert shot.exists(), done.stderr[-500:]
    image = Image.open(shot).convert("RGB")
    width, height = image.size
    plot = image.crop((int(width * 0.3), int(height * 0.15), int(width * 0.95), int(height * 0.8)))
    raw = plot.tobytes()
    drawn = sum(1 for i in range(0, len(raw), 3) if _near(raw[i : i + 3], SERIES_COLOURS[0]))
    assert drawn >= 100, f"the series is drawn on {drawn} pixels"
