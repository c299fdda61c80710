"""A tiny suites package for the harness's own tests: fast, failing, hanging, greedy."""
