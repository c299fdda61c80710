"""The analyzer's error types; messages are meant for users and never carry the token."""


class AnalyzerError(Exception):
    """Base of every error the analyzer raises on purpose."""


class ConfigError(AnalyzerError):
    """A knob has a value outside its allowed range."""


class ApiError(AnalyzerError):
    """GitHub (or the mock) answered with an error, or not at all."""
