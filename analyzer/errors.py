"""The analyzer's error types; messages are meant for users and never carry the token.

::

    AnalyzerError
    ├── ConfigError          a knob, file or argument is invalid (the message names it)
    ├── ApiError             GitHub (or the mock) refused a request, or never answered
    │   ├── RetriesExhausted a request kept failing past its retry budget
    │   └── RateLimitError   the rate limit cannot be waited out within the allowed time
    └── AnalysisCancelled    the analysis was stopped (Ctrl-C); nothing partial is reported
"""


class AnalyzerError(Exception):
    """Base of every error the analyzer raises on purpose."""


class ConfigError(AnalyzerError):
    """A knob has a value outside its allowed range, or a config file is unreadable."""


class ApiError(AnalyzerError):
    """GitHub (or the mock) answered with an error, or not at all."""


class RetriesExhausted(ApiError):
    """A request failed on every attempt allowed by the per-request or per-analysis budget."""


class RateLimitError(ApiError):
    """The API's rate limit would need a longer wait than allowed."""


class AnalysisCancelled(AnalyzerError):
    """The analysis was interrupted before it finished."""
