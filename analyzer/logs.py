"""The analyzer's logging: ``LOG_LEVEL`` applied to the ``analyzer`` logger, token redacted."""

from __future__ import annotations

import logging

from analyzer.config import Config

LEVELS = {"DEBUG": logging.DEBUG, "INFO": logging.INFO, "WARN": logging.WARNING}
LOGGER = "analyzer"


class RedactToken(logging.Filter):
    """Replaces the token in any record that would carry it (defence in depth)."""

    def __init__(self, token: str) -> None:
        super().__init__()
        self._token = token

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if self._token in message:
            record.msg, record.args = message.replace(self._token, "***"), None
        return True


def configure_logging(config: Config, handler: logging.Handler | None = None) -> logging.Logger:
    """Set the ``analyzer`` logger's level; attach ``handler`` (or stderr) once, redacting."""
    logger = logging.getLogger(LOGGER)
    logger.setLevel(LEVELS.get(config.log_level, logging.ERROR))
    if handler is None and not logger.handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("analyzer: %(levelname)s: %(message)s"))
    if handler is not None:
        if config.token:
            handler.addFilter(RedactToken(config.token))
        logger.addHandler(handler)
    return logger
