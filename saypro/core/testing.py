"""Test helpers: the API error check, real concurrency (PostgreSQL only), a Redis outage."""

import threading

import pytest
from django.db import connection
from django.test import override_settings

postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs a database that runs transactions concurrently (PostgreSQL)",
)


def run_at_once(calls) -> list:
    """Run each callable in its own thread, released together; return results or errors."""
    results: list = [None] * len(calls)
    barrier = threading.Barrier(len(calls))

    def run(index, call):
        try:
            barrier.wait(timeout=10)
            results[index] = call()
        except Exception as error:  # every outcome is returned to the test to assert on
            results[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=pair) for pair in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads)
    return results


def assert_error(response, status: int, code: str) -> dict:
    assert response.status_code == status, response.content
    error = response.json()["error"]
    assert error["code"] == code
    assert error["message"]
    return error


def redis_down():
    """Settings under which the cache is the scale-out Redis cache, with Redis unreachable.

    Port 1 refuses connections at once, as a restarting Redis does.
    """
    return override_settings(
        CACHES={
            "default": {
                "BACKEND": "saypro.core.cache.FailOpenRedisCache",
                "LOCATION": "redis://127.0.0.1:1/0",
                "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
            }
        }
    )
