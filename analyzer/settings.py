"""Layered configuration: defaults < profile < config file < environment < command-line flags.

A profile (development, ci, production, auto) is chosen by the ``--profile`` flag, else the
``ANALYZER_PROFILE`` environment variable, else a ``profile`` key in the config file; it sits just
above the defaults, so anything set explicitly in the file, environment or flags still wins.
Config files are TOML (``*.toml``; top-level keys or an ``[analyzer]`` table) or the toolkit's
``KEY=VALUE`` defaults file. Keys are the toolkit's environment names, in any case.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from analyzer.config import KNOBS, Config, build_config, knob_for, parse_value
from analyzer.errors import ConfigError

PROFILE_ENV = "ANALYZER_PROFILE"
GiB = 1024**3

# The toolkit guide's profiles.
PROFILES: dict[str, dict[str, Any]] = {
    "development": {"MAX_PARALLEL_JOBS": 2, "CACHE_TTL": 300, "OUTPUT_FORMAT": "console"},
    "ci": {"MAX_PARALLEL_JOBS": 4, "CACHE_TTL": 1800, "OUTPUT_FORMAT": "json"},
    "production": {
        "MAX_PARALLEL_JOBS": 8,
        "CACHE_TTL": 3600,
        "OUTPUT_FORMAT": "json",
        "LOG_LEVEL": "WARN",
    },
}
PROFILE_NAMES = (*PROFILES, "auto")
# Toolkit settings that mean nothing here; accepted in its defaults file and ignored.
IGNORED_KEYS = frozenset({"ENABLE_BENCHMARKS", "BENCHMARK_ITERATIONS", "PROFILE"})


def auto_profile(cores: int, memory_bytes: int) -> dict[str, Any]:
    """The toolkit's auto-tune: jobs from cores, cache TTL and run limit from memory."""
    jobs = 8 if cores >= 8 else 4 if cores >= 4 else 2
    if memory_bytes >= 8 * GiB:
        ttl, limit = 3600, 100
    elif memory_bytes >= 4 * GiB:
        ttl, limit = 1800, 50
    else:
        ttl, limit = 900, 25
    return {"MAX_PARALLEL_JOBS": jobs, "CACHE_TTL": ttl, "WORKFLOW_ANALYSIS_LIMIT": limit}


def profile_settings(name: str) -> dict[str, Any]:
    """The settings of profile ``name``; ``auto`` measures this machine."""
    if name == "auto":
        import psutil

        return auto_profile(os.cpu_count() or 1, psutil.virtual_memory().total)
    if name not in PROFILES:
        raise ConfigError(f"profile must be one of {', '.join(PROFILE_NAMES)}, got {name!r}")
    return dict(PROFILES[name])


def read_config_file(path: Path) -> dict[str, Any]:
    """Raw settings from a TOML or ``KEY=VALUE`` file (keys as written)."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(f"cannot read config file {path}: {exc.strerror}") from None
    if path.suffix == ".toml":
        return _parse_toml(text, path)
    return _parse_key_values(text, path)


def _parse_toml(text: str, path: Path) -> dict[str, Any]:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"config file {path} is not valid TOML: {exc}") from None
    table = data.get("analyzer", data)
    if not isinstance(table, dict):
        raise ConfigError(f"config file {path}: [analyzer] must be a table")
    return {k: v for k, v in table.items() if k != "analyzer"}


def _parse_key_values(text: str, path: Path) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        line = line.removeprefix("export ").strip()
        key, sep, value = line.partition("=")
        if not sep or not key.strip():
            raise ConfigError(f"config file {path}, line {number}: expected KEY=VALUE")
        values[key.strip()] = _unquote(value.strip())
    return values


def _unquote(value: str) -> str:
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
        return value[1:-1]
    return value.split(" #", 1)[0].strip()


def parse_layer(raw: Mapping[str, Any], source: str) -> dict[str, Any]:
    """``{field: value}`` from raw settings, each checked; errors name the knob and ``source``."""
    layer: dict[str, Any] = {}
    for name, value in raw.items():
        if name.upper() in IGNORED_KEYS:
            continue
        try:
            attr, parsed = parse_value(name, value)
            knob_for(name).check(parsed)
        except ConfigError as exc:
            raise ConfigError(f"{exc} ({source})") from None
        layer[attr] = parsed
    return layer


def environment_settings(environ: Mapping[str, str]) -> dict[str, str]:
    """The knobs set (non-empty) in ``environ``, by their environment names."""
    return {name: environ[name] for name in KNOBS if environ.get(name, "").strip()}


def load_config(
    *,
    config_file: Path | None = None,
    environ: Mapping[str, str] | None = None,
    flags: Mapping[str, Any] | None = None,
    profile: str | None = None,
    base: Mapping[str, Any] | None = None,
) -> Config:
    """The effective configuration.

    ``base`` holds caller defaults just above the built-in ones (``bench analyze`` uses it to
    switch off client-side pacing against its own mock). ``flags`` uses environment names
    (``{"MAX_PARALLEL_JOBS": 8}``); ``None`` values mean "flag not given".
    """
    environ = os.environ if environ is None else environ
    file_raw = read_config_file(config_file) if config_file else {}
    chosen = profile or environ.get(PROFILE_ENV, "").strip() or _file_profile(file_raw)
    values: dict[str, Any] = {}
    values.update(parse_layer(base or {}, "caller defaults"))
    if chosen:
        values.update(parse_layer(profile_settings(chosen), f"profile {chosen}"))
    values.update(parse_layer(file_raw, f"config file {config_file}"))
    values.update(parse_layer(environment_settings(environ), "environment"))
    given = {k: v for k, v in (flags or {}).items() if v is not None}
    values.update(parse_layer(given, "command line"))
    return build_config(values)


def _file_profile(raw: Mapping[str, Any]) -> str | None:
    for key, value in raw.items():
        if key.upper() == "PROFILE":
            return str(value)
    return None
