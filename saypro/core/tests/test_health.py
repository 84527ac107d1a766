"""``/healthz``: 200 when the database (and Redis, when configured) answer, 503 otherwise."""

import pytest
import redis
from django.db import connection

from saypro.core import health

pytestmark = pytest.mark.django_db

REAL_REDIS = "redis://127.0.0.1:6379/0"
CLOSED_PORT_REDIS = "redis://127.0.0.1:1/0"


def redis_is_reachable() -> bool:
    client = redis.Redis.from_url(REAL_REDIS, socket_connect_timeout=0.5, socket_timeout=0.5)
    try:
        return bool(client.ping())
    except redis.RedisError:
        return False
    finally:
        client.close()


def test_healthz_single_process(client, settings):
    settings.REDIS_URL = ""

    response = client.get("/healthz")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert set(body) == {"status", "mode", "database", "checks"}
    assert (body["status"], body["mode"], body["database"]) == (
        "ok",
        "single-process",
        connection.vendor,
    )
    assert list(body["checks"]) == ["database"]
    assert body["checks"]["database"]["ok"] is True
    assert body["checks"]["database"]["ms"] >= 0


def test_healthz_reports_unreachable_redis_as_unavailable(client, settings):
    settings.REDIS_URL = CLOSED_PORT_REDIS

    response = client.get("/healthz")

    assert response.status_code == 503
    body = response.json()
    assert (body["status"], body["mode"]) == ("unavailable", "scale-out")
    assert body["checks"]["database"]["ok"] is True
    assert body["checks"]["redis"]["ok"] is False
    assert body["checks"]["redis"]["error"].startswith("ConnectionError: ")


def test_healthz_reports_a_failing_database(client, settings, monkeypatch):
    settings.REDIS_URL = ""

    def broken():
        raise RuntimeError("database is locked")

    monkeypatch.setattr(health, "_check_database", broken)

    response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json()["checks"] == {
        "database": {"ok": False, "error": "RuntimeError: database is locked"}
    }


@pytest.mark.skipif(not redis_is_reachable(), reason=f"no Redis at {REAL_REDIS}")
def test_healthz_with_real_redis(client, settings):
    settings.REDIS_URL = REAL_REDIS

    response = client.get("/healthz")

    assert response.status_code == 200
    body = response.json()
    assert (body["status"], body["mode"]) == ("ok", "scale-out")
    assert body["checks"]["redis"]["ok"] is True
    assert body["checks"]["database"]["ok"] is True


def test_healthz_needs_no_login_and_only_reads(client, settings, django_assert_num_queries):
    settings.REDIS_URL = ""

    with django_assert_num_queries(1):  # SELECT 1
        response = client.get("/healthz")

    assert response.status_code == 200
