"""Facts about where a run happens: machine, Python, packages, git state."""

from __future__ import annotations

import platform
import socket
import sys
from importlib import metadata
from pathlib import Path
from typing import Any

import psutil

from harness.git import try_git

PACKAGES = ("bench", "requests", "orjson", "click", "rich", "psutil", "scipy", "numpy", "asv")


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def machine_info() -> dict[str, Any]:
    return {
        "hostname": socket.gethostname(),
        "cpu_model": cpu_model(),
        "cores": psutil.cpu_count(logical=True),
        "memory_bytes": psutil.virtual_memory().total,
        "os": f"{platform.system()} {platform.release()}",
        "arch": platform.machine(),
    }


def python_info() -> dict[str, str]:
    return {
        "version": platform.python_version(),
        "implementation": platform.python_implementation(),
        "executable": sys.executable,
    }


def package_versions() -> dict[str, str]:
    versions = {}
    for name in PACKAGES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            continue
    return versions


def git_info(cwd: Path) -> dict[str, Any]:
    """Commit, its subject, branch and dirty flag of the checkout at ``cwd`` (nulls outside
    git)."""
    status = try_git(cwd, "status", "--porcelain", "--untracked-files=no")
    return {
        "commit": try_git(cwd, "rev-parse", "HEAD"),
        "branch": try_git(cwd, "rev-parse", "--abbrev-ref", "HEAD"),
        "dirty": bool(status) if status is not None else None,
        "subject": try_git(cwd, "log", "-1", "--format=%s"),
    }
