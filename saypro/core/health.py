"""``/healthz``: is this process able to serve? Checks the database and, when set, Redis."""

import time

import redis
from django.conf import settings
from django.db import connection
from django.http import JsonResponse


def _timed(check) -> dict:
    started = time.perf_counter()
    try:
        check()
    except Exception as error:  # a health check reports every failure, whatever its type
        return {"ok": False, "error": f"{type(error).__name__}: {error}"}
    return {"ok": True, "ms": round((time.perf_counter() - started) * 1000, 2)}


def _check_database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def _check_redis() -> None:
    client = redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=2, socket_timeout=2)
    try:
        client.ping()
    finally:
        client.close()


def healthz(request):
    checks = {"database": _timed(_check_database)}
    if settings.REDIS_URL:
        checks["redis"] = _timed(_check_redis)
    healthy = all(check["ok"] for check in checks.values())
    body = {
        "status": "ok" if healthy else "unavailable",
        "mode": "scale-out" if settings.REDIS_URL else "single-process",
        "database": connection.vendor,
        "checks": checks,
    }
    return JsonResponse(body, status=200 if healthy else 503)
