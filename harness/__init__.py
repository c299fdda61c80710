"""The engine behind ``bench``: discovery, isolated measurement, versioned results.

The engine knows nothing about GitHub; ``suites/`` supplies the benchmarks and the run-level
fixtures (such as the mock server) they need.
"""

__version__ = "0.1.0"

__all__ = ["__version__"]
