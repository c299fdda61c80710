"""git, asked from one place: a strict form for commands that need an answer, a lenient one for
facts that may be missing (a tree outside git)."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from harness.lifetime import die_with_parent

GIT_TIMEOUT_S = 120.0


class GitError(Exception):
    """git failed; the message is its stderr."""


def run_git(repo: Path, *args: str, timeout_s: float = GIT_TIMEOUT_S) -> str:
    """git's stdout, stripped; :class:`GitError` if git is missing, fails or hangs."""
    try:
        done = subprocess.run(
            ["git", *args], cwd=repo, capture_output=True, text=True, timeout=timeout_s,
            check=False, stdin=subprocess.DEVNULL, preexec_fn=die_with_parent(os.getpid()),
        )  # fmt: skip
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise GitError(f"git {' '.join(args[:2])}: {exc}") from None
    if done.returncode != 0:
        raise GitError(f"git {' '.join(args[:2])}: {done.stderr.strip() or 'failed'}")
    return done.stdout.strip()


def try_git(repo: Path, *args: str) -> str | None:
    """git's stdout, or None where git cannot answer (no repository, no git)."""
    try:
        return run_git(repo, *args, timeout_s=10.0)
    except GitError:
        return None
