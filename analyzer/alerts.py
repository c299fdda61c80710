"""The guide's monitoring alerts as thresholds on one analysis: ``usage>80%,hit-rate<50%``.

An alert names a measure of :class:`~analyzer.diagnose.Observation`, a comparison and a bound;
:func:`crossed` returns the alerts an observation crosses. A measure the analysis could not
observe (no response carried a quota; the cache was never consulted) crosses nothing: an alert
fires on evidence, never on its absence.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

from analyzer.diagnose import Observation
from analyzer.errors import ConfigError


class Measure(StrEnum):
    """What an alert can watch; shares are written as percentages."""

    USAGE = "usage"  # share of the primary quota used
    HIT_RATE = "hit-rate"  # share of cache lookups answered fresh
    REQUESTS = "requests"  # HTTP requests sent
    WAITS = "rate-limit-waits"  # waits for the server's limit
    RETRIES = "retries"


_READERS: dict[Measure, Callable[[Observation], float | None]] = {
    Measure.USAGE: lambda o: o.quota_used_share,
    Measure.HIT_RATE: lambda o: o.hit_rate,
    Measure.REQUESTS: lambda o: float(o.requests),
    Measure.WAITS: lambda o: o.count("rate_limit_waits"),
    Measure.RETRIES: lambda o: o.count("retries"),
}
_SHARES = (Measure.USAGE, Measure.HIT_RATE)
_ALERT = re.compile(r"\s*([a-z-]+)\s*([<>])\s*(\d+(?:\.\d+)?)\s*(%?)\s*")


@dataclass(frozen=True)
class Alert:
    """``measure`` above (``>``) or below (``<``) ``bound`` (a fraction for shares)."""

    measure: Measure
    above: bool
    bound: float

    def __str__(self) -> str:
        shown = f"{self.bound:.0%}" if self.measure in _SHARES else f"{self.bound:g}"
        return f"{self.measure}{'>' if self.above else '<'}{shown}"

    def value(self, obs: Observation) -> float | None:
        return _READERS[self.measure](obs)

    def crossed_by(self, obs: Observation) -> bool:
        value = self.value(obs)
        if value is None:
            return False
        return value > self.bound if self.above else value < self.bound


def parse_alerts(text: str) -> tuple[Alert, ...]:
    """``usage>80%,hit-rate<50%`` as alerts; :class:`ConfigError` names the bad part."""
    alerts = []
    for part in text.split(","):
        match = _ALERT.fullmatch(part)
        names = ", ".join(m.value for m in Measure)
        if not match or match.group(1) not in {m.value for m in Measure}:
            raise ConfigError(f"alert {part.strip()!r}: expected NAME>VALUE or NAME<VALUE, "
                              f"NAME one of {names} (e.g. usage>80%)")  # fmt: skip
        measure, number, percent = Measure(match.group(1)), float(match.group(3)), match.group(4)
        if measure in _SHARES and not percent:
            raise ConfigError(f"alert {part.strip()!r}: {measure} is a share; write it in %")
        if measure not in _SHARES and percent:
            raise ConfigError(f"alert {part.strip()!r}: {measure} is a count, not a share")
        alerts.append(Alert(measure, match.group(2) == ">", number / 100 if percent else number))
    return tuple(alerts)


def crossed(alerts: tuple[Alert, ...], obs: Observation) -> tuple[Alert, ...]:
    """The alerts ``obs`` crosses, in the order given."""
    return tuple(alert for alert in alerts if alert.crossed_by(obs))


def describe(alert: Alert, obs: Observation) -> str:
    """``usage 85% > 80%``: the observed value against the bound."""
    value = alert.value(obs)
    if value is None:
        return f"{alert.measure} not observed"
    shown = f"{value:.0%}" if alert.measure in _SHARES else f"{value:g}"
    bound = f"{alert.bound:.0%}" if alert.measure in _SHARES else f"{alert.bound:g}"
    return f"{alert.measure} {shown} {'>' if alert.above else '<'} {bound}"
