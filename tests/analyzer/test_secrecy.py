"""The token never appears in logs, cache entries, reports or exception messages."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from analyzer import ApiError, Config
from analyzer.logs import configure_logging
from analyzer.service import analyze_repository, build_report, open_client
from tests.analyzer.conftest import TOKEN
from tests.analyzer.fakegithub import REPO, FakeGitHub


def test_token_absent_from_logs_cache_reports_and_errors(
    fake: FakeGitHub, config: Config, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    config = config.updated(
        enable_cache=True,
        cache_backend="file",
        github_api_cache_dir=str(tmp_path),
        log_level="DEBUG",
        workflow_analysis_limit=20,
    )
    configure_logging(config, logging.NullHandler())
    caplog.set_level(logging.DEBUG)
    fake.faults = [None, 502, "reset"]  # retries log at INFO
    texts = [build_report(REPO, config, fmt).text for fmt in ("console", "json", "markdown")]
    fake.faults = [401]
    with pytest.raises(ApiError) as caught:
        analyze_repository("octo/other", config)
    stored = b"".join(p.read_bytes() for p in tmp_path.rglob("*") if p.is_file())
    assert stored and "retry" in caplog.text
    haystacks = [*texts, caplog.text, str(caught.value), repr(caught.value), repr(config)]
    for haystack in haystacks:
        assert TOKEN not in haystack
    assert TOKEN.encode() not in stored
    assert fake.auth_headers[0] == f"Bearer {TOKEN}"  # it was used, just never shown
    # Only ever in the Authorization header: never in a URL or its query string.
    assert len(fake.urls) > 20
    assert not [u for u in fake.urls if TOKEN in u or "access_token" in u.lower()]


def test_the_log_filter_redacts_a_token_that_slips_into_a_message(config: Config) -> None:
    records: list[str] = []

    class Collect(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            records.append(self.format(record))

    logger = configure_logging(config.updated(log_level="DEBUG"), Collect())
    logger.warning("header was %s", f"Bearer {TOKEN}")
    assert records and TOKEN not in records[-1] and "Bearer ***" in records[-1]


def test_open_client_uses_the_configured_cache(config: Config, tmp_path: Path) -> None:
    client = open_client(
        config.updated(
            enable_cache=True, cache_backend="memory", github_api_cache_dir=str(tmp_path)
        )
    )
    assert client.cache is not None and client.cache.ttl("api") == 300.0
    client.close()
