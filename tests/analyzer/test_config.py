"""Knobs: defaults, validation messages, layering, files, profiles, and the token's secrecy."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from analyzer import KNOBS, Config, ConfigError
from analyzer.config import default_cache_dir
from analyzer.settings import auto_profile, load_config

GiB = 1024**3
SECRET = "ghp_verysecretvalue000"


def test_defaults_are_the_toolkits() -> None:
    config = load_config(environ={})
    assert (config.max_parallel_jobs, config.cache_ttl, config.api_cache_ttl) == (4, 1800, 300)
    assert (config.report_cache_ttl, config.rate_limit_requests_per_minute) == (900, 30)
    assert (config.rate_limit_delay, config.burst_size, config.workflow_analysis_limit) == (
        2.0,
        5,
        50,
    )
    assert (config.enable_cache, config.output_format, config.log_level) == (
        True,
        "console",
        "INFO",
    )
    assert config.github_api_cache_dir == default_cache_dir()
    assert config.api_url == "https://api.github.com" and config.token is None


@pytest.mark.parametrize(
    ("mode", "token", "effective"),
    [("auto", "ghp_x", "graphql"), ("auto", None, "rest"), ("rest", "ghp_x", "rest"),
     ("graphql", "ghp_x", "graphql")],
)  # fmt: skip
def test_auto_reads_graphql_with_a_token_and_rest_without(mode, token, effective) -> None:
    assert load_config(environ={}).github_api_mode == "auto"
    assert Config(github_api_mode=mode, token=token).effective_api_mode == effective


def test_cache_dir_defaults_to_a_ram_disk_where_there_is_one(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr("os.path.isdir", lambda path: path == "/dev/shm")
    monkeypatch.setattr("os.access", lambda path, mode: True)
    assert default_cache_dir() == f"/dev/shm/github-api-cache-{os.getuid()}"
    monkeypatch.setattr("os.path.isdir", lambda path: False)
    assert default_cache_dir().endswith("github-api-cache")


@pytest.mark.parametrize(
    ("env", "value", "message"),
    [
        ("MAX_PARALLEL_JOBS", "40", "MAX_PARALLEL_JOBS must be 1..16, got 40"),
        ("MAX_PARALLEL_JOBS", "0", "MAX_PARALLEL_JOBS must be 1..16, got 0"),
        ("MAX_PARALLEL_JOBS", "four", "MAX_PARALLEL_JOBS must be an integer, got 'four'"),
        ("WORKFLOW_ANALYSIS_LIMIT", "100001", "WORKFLOW_ANALYSIS_LIMIT must be 1..100000"),
        ("CACHE_TTL", "-1", "CACHE_TTL must be 0..604800, got -1"),
        ("RATE_LIMIT_DELAY", "61", "RATE_LIMIT_DELAY must be 0..60, got 61.0"),
        ("BURST_SIZE", "0", "BURST_SIZE must be 1..1000, got 0"),
        ("ENABLE_CACHE", "maybe", "ENABLE_CACHE must be true or false, got 'maybe'"),
        ("OUTPUT_FORMAT", "xml", "OUTPUT_FORMAT must be one of console, json, markdown"),
        ("LOG_LEVEL", "LOUD", "LOG_LEVEL must be one of DEBUG, INFO, WARN, ERROR"),
        ("GITHUB_API_URL", "ftp://x", "GITHUB_API_URL must be an http:// or https:// URL"),
        ("CACHE_BACKEND", "disk", "CACHE_BACKEND must be one of memory, file, redis"),
        ("GITHUB_API_MODE", "soap", "GITHUB_API_MODE must be one of auto, rest, graphql"),
    ],
)
def test_a_bad_knob_is_named_with_its_range(env: str, value: str, message: str) -> None:
    with pytest.raises(ConfigError) as caught:
        load_config(environ={env: value})
    assert message in str(caught.value)
    assert "(environment)" in str(caught.value)


def test_direct_construction_is_validated_too() -> None:
    with pytest.raises(ConfigError, match="MAX_PARALLEL_JOBS must be 1..16, got 40"):
        Config(max_parallel_jobs=40)
    with pytest.raises(ConfigError, match="MAX_PARALLEL_JOBS must be an integer"):
        Config(max_parallel_jobs=4.5)  # type: ignore[arg-type]


def test_layers_override_in_order(tmp_path: Path) -> None:
    file = tmp_path / "analyzer.toml"
    file.write_text('profile = "production"\nCACHE_TTL = 100\nburst_size = 7\nBURST_SIZE_X = 1\n')
    with pytest.raises(ConfigError, match="unknown setting 'BURST_SIZE_X'"):
        load_config(config_file=file, environ={})
    file.write_text(
        'profile = "production"\nCACHE_TTL = 100\nburst_size = 7\nRATE_LIMIT_DELAY = 3\n'
    )
    environ = {"BURST_SIZE": "9", "RATE_LIMIT_DELAY": "1.5"}
    config = load_config(config_file=file, environ=environ, flags={"RATE_LIMIT_DELAY": 0.5})
    assert config.max_parallel_jobs == 8  # profile
    assert config.log_level == "WARN"  # profile
    assert config.cache_ttl == 100  # file over profile
    assert config.burst_size == 9  # environment over file
    assert config.rate_limit_delay == 0.5  # flag over environment
    flagged = load_config(config_file=file, environ={}, flags={"MAX_PARALLEL_JOBS": None})
    assert flagged.max_parallel_jobs == 8  # a flag that was not given changes nothing


def test_the_toolkits_key_value_file_is_read(tmp_path: Path) -> None:
    file = tmp_path / "defaults.conf"
    file.write_text(
        "# toolkit defaults\nexport MAX_PARALLEL_JOBS=6\nCACHE_TTL='600'\n"
        'OUTPUT_FORMAT="markdown"\nENABLE_BENCHMARKS=false\nENABLE_CACHE=no  # off\n'
    )
    config = load_config(config_file=file, environ={})
    assert (config.max_parallel_jobs, config.cache_ttl) == (6, 600)
    assert (config.output_format, config.enable_cache) == ("markdown", False)


def test_a_bad_value_in_a_file_names_the_file(tmp_path: Path) -> None:
    file = tmp_path / "bad.toml"
    file.write_text("[analyzer]\nMAX_PARALLEL_JOBS = 99\n")
    with pytest.raises(
        ConfigError, match=r"MAX_PARALLEL_JOBS must be 1\.\.16, got 99 \(config file .*bad\.toml\)"
    ):
        load_config(config_file=file, environ={})


def test_an_unreadable_file_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="cannot read config file"):
        load_config(config_file=tmp_path / "missing.toml", environ={})


@pytest.mark.parametrize(
    ("profile", "jobs", "ttl", "fmt"),
    [("development", 2, 300, "console"), ("ci", 4, 1800, "json"), ("production", 8, 3600, "json")],
)
def test_profiles(profile: str, jobs: int, ttl: int, fmt: str) -> None:
    config = load_config(environ={"ANALYZER_PROFILE": profile})
    assert (config.max_parallel_jobs, config.cache_ttl, config.output_format) == (jobs, ttl, fmt)


def test_an_unknown_profile_is_refused() -> None:
    with pytest.raises(
        ConfigError, match="profile must be one of development, ci, production, auto"
    ):
        load_config(environ={}, profile="turbo")


@pytest.mark.parametrize(
    ("cores", "memory", "expected"),
    [(16, 16 * GiB, (8, 3600, 100)), (4, 6 * GiB, (4, 1800, 50)), (2, 2 * GiB, (2, 900, 25))],
)
def test_auto_tune(cores: int, memory: int, expected: tuple[int, int, int]) -> None:
    tuned = auto_profile(cores, memory)
    assert (
        tuned["MAX_PARALLEL_JOBS"],
        tuned["CACHE_TTL"],
        tuned["WORKFLOW_ANALYSIS_LIMIT"],
    ) == expected


def test_the_token_never_shows(tmp_path: Path) -> None:
    config = load_config(environ={"GITHUB_TOKEN": SECRET})
    assert config.token == SECRET
    assert SECRET not in repr(config) and SECRET not in str(config) and "token=***" in repr(config)
    with pytest.raises(ConfigError) as caught:
        load_config(environ={"GITHUB_TOKEN": SECRET, "MAX_PARALLEL_JOBS": "99"})
    assert SECRET not in str(caught.value)


def test_every_knob_has_a_doc() -> None:
    assert all(knob.doc for knob in KNOBS.values())
    assert {
        "MAX_PARALLEL_JOBS",
        "CACHE_TTL",
        "ENABLE_CACHE",
        "RATE_LIMIT_REQUESTS_PER_MINUTE",
        "RATE_LIMIT_DELAY",
        "BURST_SIZE",
        "WORKFLOW_ANALYSIS_LIMIT",
        "OUTPUT_FORMAT",
        "LOG_LEVEL",
        "GITHUB_API_CACHE_DIR",
        "GITHUB_TOKEN",
        "GITHUB_API_URL",
    } <= set(KNOBS)
