"""Baselines: named result files under ``baselines/``, meant to be committed."""

from __future__ import annotations

import re
from pathlib import Path

from harness.errors import InputError
from harness.records import RunResult
from harness.results import load, save

# Matched whole (fullmatch): with match and "$", "main\n" would pass, as "$" matches before
# a trailing newline.
NAME_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")


def check_name(name: str) -> str:
    if not NAME_RE.fullmatch(name):
        raise InputError(
            f"invalid baseline name {name!r}: use letters, digits, '.', '_' or '-' (max 64)"
        )
    return name


def baseline_path(directory: Path, name: str) -> Path:
    return directory / f"{check_name(name)}.json"


def latest_result(results_dir: Path) -> Path:
    """The newest ``results/<run-id>.json`` (run ids sort by time)."""
    candidates = sorted(results_dir.glob("*.json"))
    if not candidates:
        raise InputError(f"no results in {results_dir}/: run 'bench run' first")
    return candidates[-1]


def check_new_baseline(
    directory: Path, name: str, force: bool = False, flag: str = "--force"
) -> Path:
    """Where baseline ``name`` goes; an ``InputError`` if it exists and ``force`` is not set."""
    path = baseline_path(directory, name)
    if path.exists() and not force:
        raise InputError(
            f"baseline {name!r} exists ({path}): pass {flag} to replace it, or choose another name"
        )
    return path


def save_baseline(directory: Path, name: str, result: RunResult, force: bool = False) -> Path:
    """Save ``result`` as baseline ``name``; an existing baseline is replaced only if ``force``."""
    return save(result, check_new_baseline(directory, name, force))


def list_baselines(directory: Path) -> list[str]:
    return sorted(p.stem for p in directory.glob("*.json")) if directory.is_dir() else []


def delete_baseline(directory: Path, name: str) -> None:
    path = baseline_path(directory, name)
    if not path.exists():
        raise InputError(f"no baseline named {name!r} ({path})")
    path.unlink()


def resolve(ref: str, baselines_dir: Path = Path("baselines")) -> RunResult:
    """A result from a file path, or from a baseline name; missing or corrupt raises InputError."""
    as_path = Path(ref)
    if as_path.suffix == ".json" or as_path.exists():
        return load(as_path)
    path = baseline_path(baselines_dir, ref)
    if not path.exists():
        known = ", ".join(list_baselines(baselines_dir)) or "none"
        raise InputError(f"no baseline named {ref!r} ({path} not found; known: {known})")
    return load(path)
