"""A run's temporary folders (harness.scratch) and stale bench worktrees (harness.against)."""

from __future__ import annotations

import os
import subprocess
import tempfile
from pathlib import Path

import psutil
import pytest

from harness.against import prune_stale_worktrees
from harness.scratch import PREFIX, SHM_ENV, owner_alive, run_scratch, sweep


def _git(repo: Path, *args: str) -> str:
    done = subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True, text=True)
    return done.stdout


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    root.mkdir()
    (root / "f").write_text("x")
    _git(root, "init", "-q", "-b", "main")
    _git(root, "add", ".")
    _git(root, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-q", "-m", "one")
    return root


def dead_pid() -> int:
    """A pid no process has now (one that just ended)."""
    child = subprocess.Popen(["true"])
    child.wait()
    return child.pid


def test_the_run_folders_are_the_temp_dir_while_the_run_lasts_and_gone_after(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TMPDIR", str(tmp_path))
    monkeypatch.setattr(tempfile, "tempdir", None)
    with run_scratch() as env:
        inside = Path(env["TMPDIR"])
        assert inside.parent == tmp_path and inside.name.startswith(f"{PREFIX}{os.getpid()}-")
        assert os.environ["TMPDIR"] == str(inside) and tempfile.gettempdir() == str(inside)
        made = Path(tempfile.mkdtemp(prefix="bench-redis-"))
        assert made.parent == inside
        if SHM_ENV in env:
            assert Path(env[SHM_ENV]).parent == Path("/dev/shm")
            (Path(env[SHM_ENV]) / "bench-cache-x").mkdir()
    assert not inside.exists() and not made.exists()
    assert SHM_ENV not in env or not Path(env[SHM_ENV]).exists()
    assert os.environ["TMPDIR"] == str(tmp_path) and SHM_ENV not in os.environ
    assert tempfile.gettempdir() == str(tmp_path)
    assert list(tmp_path.iterdir()) == []


def test_a_folder_whose_owner_is_gone_is_swept_and_a_live_ones_kept(tmp_path: Path) -> None:
    me = psutil.Process()
    mine = tmp_path / f"{PREFIX}{me.pid}-{int(me.create_time() * 100)}-abc"
    gone = tmp_path / f"{PREFIX}{dead_pid()}-{int(me.create_time() * 100)}-def"
    reused = tmp_path / f"{PREFIX}{me.pid}-{int(me.create_time() * 100) - 500}-ghi"  # pid reused
    other = tmp_path / "bench-run-not-ours"
    for folder in (mine, gone, reused, other):
        (folder / "inside").mkdir(parents=True)
    assert owner_alive(mine) and not owner_alive(gone) and not owner_alive(reused)
    assert sorted(sweep([tmp_path])) == sorted([gone, reused])
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([mine.name, other.name])


def test_sweeping_a_dead_run_forgets_its_git_worktree(repo: Path, tmp_path: Path) -> None:
    folder = tmp_path / f"{PREFIX}{dead_pid()}-1-x"
    tree = folder / "bench-against-y" / "tree"
    tree.parent.mkdir(parents=True)
    _git(repo, "worktree", "add", "--detach", "--quiet", str(tree), "HEAD")
    assert len(_git(repo, "worktree", "list").splitlines()) == 2
    sweep([tmp_path])
    assert not folder.exists()
    assert len(_git(repo, "worktree", "list").splitlines()) == 1


def test_stale_bench_worktrees_are_pruned_and_nothing_else_changes(
    repo: Path, tmp_path: Path
) -> None:
    stale = tmp_path / "bench-against-old" / "tree"
    live = tmp_path / "elsewhere" / "tree"
    for tree in (stale, live):
        tree.parent.mkdir(parents=True)
        _git(repo, "worktree", "add", "--detach", "--quiet", str(tree), "HEAD")
    prune_stale_worktrees(repo)
    assert len(_git(repo, "worktree", "list").splitlines()) == 3  # none of them is stale
    subprocess.run(["rm", "-rf", str(stale.parent)], check=True)
    prune_stale_worktrees(repo)
    listed = _git(repo, "worktree", "list")
    assert str(stale) not in listed and str(live) in listed
