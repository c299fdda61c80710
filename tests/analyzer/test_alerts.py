"""``--fail-on``'s alerts: parsed strictly, crossed only on evidence."""

from __future__ import annotations

import pytest

from analyzer.alerts import Alert, Measure, crossed, describe, parse_alerts
from analyzer.errors import ConfigError
from tests.analyzer.test_diagnose import observed


def test_the_guides_two_alerts_parse_as_shares() -> None:
    assert parse_alerts("usage>80%,hit-rate<50%") == (
        Alert(Measure.USAGE, True, 0.8),
        Alert(Measure.HIT_RATE, False, 0.5),
    )


def test_counts_parse_without_a_percent_sign() -> None:
    assert parse_alerts(" requests > 100 , rate-limit-waits>0") == (
        Alert(Measure.REQUESTS, True, 100.0),
        Alert(Measure.WAITS, True, 0.0),
    )


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("usage>80", "usage is a share; write it in %"),
        ("requests>10%", "requests is a count, not a share"),
        ("latency>5", "expected NAME>VALUE or NAME<VALUE"),
        ("usage=80%", "expected NAME>VALUE or NAME<VALUE"),
        ("", "expected NAME>VALUE"),
    ],
)
def test_a_malformed_alert_is_refused_by_name(text: str, says: str) -> None:
    with pytest.raises(ConfigError, match=says):
        parse_alerts(text)


def test_an_alert_crosses_strictly_past_its_bound() -> None:
    alerts = parse_alerts("usage>80%")
    assert crossed(alerts, observed({"rate_limit_remaining": 1000})) == ()  # exactly 80%
    at_81 = observed({"rate_limit_remaining": 950})
    assert crossed(alerts, at_81) == alerts
    assert describe(alerts[0], at_81) == "usage 81% > 80%"


def test_a_low_hit_rate_crosses_and_an_unobserved_one_does_not() -> None:
    alerts = parse_alerts("hit-rate<50%")
    assert crossed(alerts, observed(cache={"hits": 1, "misses": 3})) == alerts
    never_looked_up = observed(cache={}, cache_enabled=False)
    assert crossed(alerts, never_looked_up) == ()
    assert describe(alerts[0], never_looked_up) == "hit-rate not observed"
