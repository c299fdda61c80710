"""bench's benchmark suites, in asv's convention: ``asv run`` and ``bench run`` both run them.

Where GitHub meets the engine: the mock server is a run-level fixture (``_fixtures``), and
``_mock.mock_url()`` finds it (or, under asv, starts one).
"""
