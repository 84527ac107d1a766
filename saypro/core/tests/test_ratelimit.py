"""Per-person rate limits: rates, windows, Retry-After, and failing open without a cache."""

import pytest
from django.core.cache import cache
from django.test import RequestFactory

from saypro.core import ratelimit
from saypro.core.api import AccountRateThrottle
from saypro.core.ratelimit import RateLimited, parse_rate


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


def test_an_unreachable_cache_lets_actions_through(monkeypatch, caplog):
    def down(*args, **kwargs):
        raise ConnectionError("Redis is restarting")

    monkeypatch.setattr(cache, "add", down)
    for _ in range(5):
        ratelimit.hit("send", 1, "1/m", action="send")
    assert "not counted" in caplog.text

    monkeypatch.setattr(cache, "get", down)
    request = RequestFactory().get("/api/v1/conversations")
    request.user = type("Someone", (), {"is_authenticated": True, "pk": 7})()
    request.auth = request.user
    assert AccountRateThrottle("1/min").allow_request(request) is True
