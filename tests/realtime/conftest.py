"""Fixtures of the realtime tests: one migrated, seeded database per session; real servers.

The database is a SQLite file, or, when ``DATABASE_URL`` names a PostgreSQL
server, a temporary database created on it and dropped at the end. Servers are
uvicorn processes started per test; their logs are printed at teardown, so a
failing test shows them.
"""

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.realtime.harness import Database, Server, manage, redis_reachable, seed, server_env

PAIRS = 8  # more than the tests use together: each test takes its own pairs


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "realtime: real uvicorn processes on a throwaway database (tests/realtime)"
    )


@pytest.fixture(scope="session")
def realtime_folder(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("realtime")


@pytest.fixture(scope="session")
def database(realtime_folder) -> Iterator[Database]:
    database = Database(realtime_folder, os.environ.get("DATABASE_URL"))
    try:
        manage(server_env(database, realtime_folder), "migrate", "--no-input", "-v", "0")
        yield database
    finally:
        database.drop()


@pytest.fixture(scope="session")
def _pairs(database, realtime_folder) -> Iterator[dict]:
    return iter(seed(server_env(database, realtime_folder), PAIRS))


@pytest.fixture
def new_pair(_pairs):
    """A buyer–seller pair (ids, tokens, their conversation) no other test uses."""
    return lambda: next(_pairs)


@pytest.fixture
def pair(new_pair) -> dict:
    return new_pair()


@pytest.fixture
def new_server(database, realtime_folder):
    """Make a server on ``database`` (``redis_url``, settings as keywords); stopped at the end."""
    made: list[Server] = []

    def make(*, redis_url: str | None = None, port: int | None = None, **settings) -> Server:
        env = server_env(database, realtime_folder, redis_url=redis_url, **settings)
        server = Server(env, realtime_folder, port=port)
        made.append(server)
        return server

    yield make
    for server in made:
        server.stop()
        print(f"--- {server.log_path.name}\n{server.log()[-4000:]}")


@pytest.fixture
def shared_redis() -> str:
    """The machine's Redis, database 7 (``REALTIME_REDIS_URL`` overrides), emptied."""
    import redis

    url = os.environ.get("REALTIME_REDIS_URL", "redis://127.0.0.1:6379/7")
    if not redis_reachable(url):
        pytest.skip(f"Redis is not reachable at {url}")
    client = redis.Redis.from_url(url)
    client.flushdb()
    client.close()
    return url
