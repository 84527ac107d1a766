"""Per-person rate limits: rates, windows, Retry-After, and failing open without a cache."""

import re

import pytest
from django.test import RequestFactory

from saypro.core import ratelimit
from saypro.core.api import AccountRateThrottle
from saypro.core.cache import cache_outage
from saypro.core.ratelimit import RateLimited, parse_rate
from saypro.core.testing import redis_down


@pytest.mark.parametrize(
    ("rate", "parsed"),
    [("30/m", (30, 60)), ("10/15m", (10, 900)), (" 5 / h ", (5, 3600)), ("1/2d", (1, 172800))],
)
def test_rates_parse(rate, parsed):
    assert parse_rate(rate) == parsed


@pytest.mark.parametrize("rate", ["", "30", "m/30", "30/w", "-1/m"])
def test_bad_rates_are_refused(rate):
    with pytest.raises(ValueError, match="count"):
        parse_rate(rate)


def test_the_limit_counts_per_scope_and_key():
    for _ in range(3):
        ratelimit.hit("send", 1, "3/m", action="send")
    ratelimit.hit("send", 2, "3/m", action="send")
    ratelimit.hit("start", 1, "3/m", action="start")
    with pytest.raises(RateLimited) as limited:
        ratelimit.hit("send", 1, "3/m", action="send a message")
    assert 1 <= limited.value.retry_after <= 60
    assert "at most 3 times per minute" in limited.value.message


def outage_lines(caplog) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == "saypro.core.cache"]


def test_an_unreachable_cache_lets_actions_through_and_logs_the_outage_once(caplog):
    request = RequestFactory().get("/api/v1/conversations")
    request.user = type("Someone", (), {"is_authenticated": True, "pk": 7})()
    request.auth = request.user
    throttle = AccountRateThrottle("1/min")
    with redis_down():
        for _ in range(5):
            ratelimit.hit("send", 1, "1/m", action="send")
            assert throttle.allow_request(request) is True
        assert cache_outage.is_down
    [started] = outage_lines(caplog)
    assert started.startswith("The cache is unavailable: rate limits (send) skipped")

    # Back: counting resumes from zero (nothing was counted meanwhile), the end is logged once.
    ratelimit.hit("send", 1, "1/m", action="send")
    assert not cache_outage.is_down
    with pytest.raises(RateLimited):
        ratelimit.hit("send", 1, "1/m", action="send")
    assert throttle.allow_request(request) is True
    assert throttle.allow_request(request) is False
    lines = outage_lines(caplog)
    assert len(lines) == 2
    back = re.fullmatch(
        r"The cache is back after [\d.]+ s; (\d+) calls were skipped meanwhile", lines[1]
    )
    assert back and int(back[1]) >= 10  # at least one per limit and one per throttle
