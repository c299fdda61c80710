"""Pagination links: parsing the ``Link`` header of a page, as the analyzer's client does.

The client reads ``response.links``, which requests builds with ``parse_header_links``.
"""

from __future__ import annotations

import requests
from pytest_benchmark.fixture import BenchmarkFixture
from requests.utils import parse_header_links

from mockgithub.messages import MockResponse


def test_parse_link_header(benchmark: BenchmarkFixture, page: MockResponse) -> None:
    header = page.header("link") or ""
    links = benchmark(parse_header_links, header)
    assert {link["rel"] for link in links} == {"first", "prev", "next", "last"}


def test_response_links(benchmark: BenchmarkFixture, page: MockResponse) -> None:
    response = requests.Response()
    response.headers["Link"] = page.header("link") or ""
    links = benchmark(lambda: response.links)
    assert links["next"]["url"].endswith("page=3")
