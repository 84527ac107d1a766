"""Settings derived from the environment: the stored secret key, SQLite in WAL mode, the modes."""

import json
import os
import stat
import subprocess
import sys

import pytest
from django.conf import settings
from django.db import connection

import saypro.settings as settings_module
from saypro.core.backends.sqlite3.base import DatabaseWrapper as SQLiteDatabaseWrapper

# --- the secret key -------------------------------------------------------------------------


@pytest.fixture
def var_dir(tmp_path, monkeypatch):
    monkeypatch.setattr(settings_module, "VAR_DIR", tmp_path)
    return tmp_path


def test_secret_key_is_generated_once_with_mode_0600(var_dir):
    key = settings_module.stored_secret_key()

    path = var_dir / "secret_key"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert len(key) == 50
    assert path.read_text() == key
    assert settings_module.stored_secret_key() == key
    assert settings_module.stored_secret_key() == key
    assert [p.name for p in var_dir.iterdir()] == ["secret_key"]


def test_secret_key_file_is_private_whatever_the_umask(var_dir):
    previous = os.umask(0)
    try:
        settings_module.stored_secret_key()
    finally:
        os.umask(previous)

    assert stat.S_IMODE((var_dir / "secret_key").stat().st_mode) == 0o600


def test_an_existing_secret_key_is_reused_as_is(var_dir):
    (var_dir / "secret_key").write_text("  kept-from-last-deploy\n")

    assert settings_module.stored_secret_key() == "kept-from-last-deploy"
    assert (var_dir / "secret_key").read_text() == "  kept-from-last-deploy\n"


def test_each_var_dir_gets_its_own_key(tmp_path, monkeypatch):
    keys = []
    for name in ("one", "two"):
        (tmp_path / name).mkdir()
        monkeypatch.setattr(settings_module, "VAR_DIR", tmp_path / name)
        keys.append(settings_module.stored_secret_key())

    assert keys[0] != keys[1]


# --- environment helpers --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "default", "expected"),
    [
        (None, True, True),
        ("", False, False),
        ("1", False, True),
        (" Yes ", False, True),
        ("on", False, True),
        ("TRUE", False, True),
        ("0", True, False),
        ("no", True, False),
        ("off", True, False),
        ("nonsense", True, False),
    ],
)
def test_env_bool(monkeypatch, value, default, expected):
    if value is None:
        monkeypatch.delenv("SAYPRO_TEST_FLAG", raising=False)
    else:
        monkeypatch.setenv("SAYPRO_TEST_FLAG", value)

    assert settings_module.env_bool("SAYPRO_TEST_FLAG", default=default) is expected


def test_env_list(monkeypatch):
    monkeypatch.delenv("SAYPRO_TEST_LIST", raising=False)
    assert settings_module.env_list("SAYPRO_TEST_LIST", default="a, b") == ["a", "b"]

    monkeypatch.setenv("SAYPRO_TEST_LIST", " shop.example , ,admin.example,")
    assert settings_module.env_list("SAYPRO_TEST_LIST", default="a") == [
        "shop.example",
        "admin.example",
    ]


def test_tests_run_tasks_inline_with_a_fast_hasher():
    assert settings.HUEY_IMMEDIATE is True
    assert settings.HUEY["immediate"] is True
    assert settings.PASSWORD_HASHERS == ["django.contrib.auth.hashers.MD5PasswordHasher"]


# --- SQLite in WAL mode ------------------------------------------------------------------------


@pytest.mark.skipif(
    settings.DATABASES["default"]["ENGINE"] != "saypro.core.backends.sqlite3",
    reason="the SQLite options apply to the embedded mode only",
)
def test_sqlite_file_database_runs_in_wal_mode(tmp_path, django_db_blocker):
    """pytest-django's SQLite database is in memory (no WAL there), so open a file database."""
    options = settings.DATABASES["default"]["OPTIONS"]
    assert options["transaction_mode"] == "IMMEDIATE"
    assert settings.DATABASES["default"]["CONN_MAX_AGE"] is None  # kept by reused threads
    wrapper = SQLiteDatabaseWrapper(
        {**connection.settings_dict, "NAME": str(tmp_path / "db.sqlite3"), "OPTIONS": options},
        alias="wal_check",
    )
    with django_db_blocker.unblock():
        try:
            with wrapper.cursor() as cursor:
                pragmas = {}
                for pragma in ("journal_mode", "synchronous", "foreign_keys", "busy_timeout"):
                    cursor.execute(f"PRAGMA {pragma}")
                    pragmas[pragma] = cursor.fetchone()[0]
        finally:
            wrapper.close()

    assert pragmas == {
        "journal_mode": "wal",
        "synchronous": 1,  # NORMAL
        "foreign_keys": 1,
        "busy_timeout": 20_000,
    }
    assert wrapper.transaction_mode == "IMMEDIATE"
    assert options["init_command"].startswith("PRAGMA journal_mode=WAL;")


# --- the two modes, as a fresh process sees them ---------------------------------------------

PROBE = """
import json, stat
import saypro.settings as s
key_file = s.VAR_DIR / "secret_key"
print(json.dumps({
    "engine": s.DATABASES["default"]["ENGINE"],
    "options": sorted(s.DATABASES["default"].get("OPTIONS", {})),
    "health_checks": s.DATABASES["default"].get("CONN_HEALTH_CHECKS", False),
    "huey": s.HUEY["huey_class"],
    "channels": s.CHANNEL_LAYERS["default"]["BACKEND"],
    "secret_key": s.SECRET_KEY,
    "key_mode": oct(stat.S_IMODE(key_file.stat().st_mode)) if key_file.exists() else None,
}))
"""


def settings_in_fresh_process(var_dir, **environment) -> dict:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"SECRET_KEY", "DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE"}
    }
    env.update(SAYPRO_VAR_DIR=str(var_dir), **environment)
    result = subprocess.run(
        [sys.executable, "-c", PROBE],
        env=env,
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return json.loads(result.stdout)


def test_embedded_mode_in_a_fresh_var_dir(tmp_path):
    var_dir = tmp_path / "var"

    first = settings_in_fresh_process(var_dir)
    second = settings_in_fresh_process(var_dir)

    assert first["engine"] == "saypro.core.backends.sqlite3"
    assert first["options"] == ["init_command", "timeout", "transaction_mode"]
    assert (first["huey"], first["channels"]) == (
        "huey.SqliteHuey",
        "channels.layers.InMemoryChannelLayer",
    )
    assert first["key_mode"] == "0o600"
    assert second["secret_key"] == first["secret_key"]
    assert (var_dir / "secret_key").read_text() == first["secret_key"]


def test_scale_out_mode_from_the_environment(tmp_path):
    seen = settings_in_fresh_process(
        tmp_path,
        DATABASE_URL="postgres://saypro@db.internal:5432/saypro",
        REDIS_URL="redis://cache.internal:6379/0",
        SECRET_KEY="from-the-environment",
    )

    assert seen["engine"] == "django.db.backends.postgresql"
    assert seen["options"] == ["pool"]  # a psycopg connection pool per process
    assert seen["health_checks"] is True
    assert (seen["huey"], seen["channels"]) == (
        "huey.RedisHuey",
        "channels_redis.pubsub.RedisPubSubChannelLayer",
    )
    assert seen["secret_key"] == "from-the-environment"
    assert seen["key_mode"] is None  # no key file written when the environment gives one
