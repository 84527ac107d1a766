"""Real servers for the realtime tests and the messaging benchmark (``bench.messaging``).

Everything here runs the project as it runs in production, in other processes:
a throwaway database (a SQLite file, or a temporary PostgreSQL database on the
server of ``DATABASE_URL``), ``saypro migrate``, buyer–seller pairs seeded by
``tests.realtime.seed`` through the project's services, and uvicorn processes
started as ``saypro serve`` starts them (``saypro.core.webserver``) whose
environment points at that database. Clients talk to them over HTTP (``Api``,
stdlib keep-alive) and WebSocket (``Receiver``, the ``websockets`` sync
client), so a kill, a dropped socket or a Redis restart is real. Only loopback
addresses are used.
"""

import contextlib
import http.client
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from websockets.exceptions import ConnectionClosed, InvalidHandshake
from websockets.sync.client import connect

from saypro.core import webserver

ROOT = Path(__file__).resolve().parents[2]
PYTHON = sys.executable
# Variables of the calling process that must not reach the servers: pytest's marker
# (it switches settings to test mode) and the caller's own database and Redis.
DROPPED = ("PYTEST_VERSION", "PYTEST_CURRENT_TEST", "PYTEST_XDIST_WORKER", "DATABASE_URL")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until(condition: Callable[[], bool], *, timeout: float, every: float = 0.05) -> bool:
    """Poll ``condition`` until it is true (True) or ``timeout`` seconds pass (False)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(every)
    return condition()


# --- The database -------------------------------------------------------------------------------


class Database:
    """A fresh database: a SQLite file under ``folder``, or a temporary PostgreSQL database.

    ``base_url`` is a ``postgres://`` URL naming the server to use (its database
    name is ignored: a new ``saypro_rt_…`` database is created and dropped by
    ``drop``); anything else gives SQLite.
    """

    def __init__(self, folder: Path, base_url: str | None = None):
        self.postgres = bool(base_url) and base_url.split(":", 1)[0] in {"postgres", "postgresql"}
        if self.postgres:
            parts = urlsplit(base_url)
            self.name = f"saypro_rt_{os.getpid()}_{secrets.token_hex(3)}"
            self.url = urlunsplit(parts._replace(path=f"/{self.name}"))
            self._admin_url = urlunsplit(parts._replace(path="/postgres"))
            self._admin(f'CREATE DATABASE "{self.name}"')
        else:
            self.name = str(folder / "db.sqlite3")
            self.url = f"sqlite:///{self.name}"

    @property
    def vendor(self) -> str:
        return "postgresql" if self.postgres else "sqlite"

    def _admin(self, statement: str) -> None:
        import psycopg

        with psycopg.connect(self._admin_url, autocommit=True) as connection:
            connection.execute(statement)

    def rows(self, sql: str, params: tuple = ()) -> list[tuple]:
        """Run one read query (``%s`` placeholders) directly against the database."""
        if self.postgres:
            import psycopg

            with psycopg.connect(self.url) as connection:
                return connection.execute(sql, params).fetchall()
        import sqlite3

        with contextlib.closing(sqlite3.connect(self.name, timeout=20)) as connection:
            return connection.execute(sql.replace("%s", "?"), params).fetchall()

    def drop(self) -> None:
        if self.postgres:
            self._admin(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')


def server_env(database: Database, folder: Path, *, redis_url: str | None = None, **extra) -> dict:
    """The environment of a server (or a command) using ``database`` and, if given, Redis.

    Per-person send limits and the API throttle are lifted: the tests and the
    benchmark send far faster than a person does.
    """
    env = {key: value for key, value in os.environ.items() if key not in DROPPED}
    env.pop("REDIS_URL", None)
    env.update(
        DATABASE_URL=database.url,
        SAYPRO_VAR_DIR=str(folder),
        SECRET_KEY="realtime-tests-" + "x" * 40,
        MESSAGING_RATE_LIMIT_SEND="1000000/m",
        MESSAGING_RATE_LIMIT_START="1000000/h",
        API_RATE_LIMIT_AUTHENTICATED="1000000/min",
        LOG_LEVEL="WARNING",
        PYTHONUNBUFFERED="1",
    )
    if redis_url:
        env["REDIS_URL"] = redis_url
    env.update({key: str(value) for key, value in extra.items()})
    return env


def _python(env: dict, *arguments: str, what: str) -> str:
    """Run ``python -m ARGUMENTS`` in the project with ``env``; its standard output."""
    done = subprocess.run(
        [PYTHON, "-m", *arguments],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    if done.returncode:
        raise RuntimeError(f"{what} failed:\n{done.stderr[-3000:]}")
    return done.stdout


def manage(env: dict, *arguments: str) -> str:
    """Run ``python -m saypro ARGUMENTS`` with ``env``; its standard output."""
    return _python(env, "saypro", *arguments, what=f"saypro {' '.join(arguments)}")


def seed(env: dict, pairs: int) -> list[dict]:
    """Seed ``pairs`` buyer–seller pairs (``tests.realtime.seed``); their ids and tokens."""
    output = _python(env, "tests.realtime.seed", "--pairs", str(pairs), what="seeding")
    return json.loads(output)["pairs"]


# --- Servers --------------------------------------------------------------------------------------


class Server:
    """One uvicorn process, as in production, on a loopback port; its log in ``folder``."""

    def __init__(self, env: dict, folder: Path, *, port: int | None = None, name: str = "web"):
        self.env = env
        self.port = port or free_port()
        self.log_path = folder / f"{name}-{self.port}.log"
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def ws_url(self) -> str:
        return f"ws://127.0.0.1:{self.port}/ws/"

    def start(self) -> "Server":
        with open(self.log_path, "ab") as log:
            self.process = subprocess.Popen(
                webserver.command("127.0.0.1", self.port),
                env=self.env,
                cwd=ROOT,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        return self

    def wait_ready(self, timeout: float = 30) -> "Server":
        """Block until ``/healthz`` answers 200; the log's tail in the error if it never does."""
        if not wait_until(self._healthy, timeout=timeout, every=0.1):
            self.stop()
            raise RuntimeError(f"{self.url} did not start:\n{self.log()[-3000:]}")
        return self

    def _healthy(self) -> bool:
        if self.process is None or self.process.poll() is not None:
            raise RuntimeError(f"{self.url} exited:\n{self.log()[-3000:]}")
        try:
            connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=2)
            connection.request("GET", "/healthz")
            return connection.getresponse().status == 200
        except OSError:
            return False

    def kill(self, signum: int = signal.SIGKILL) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signum)
            self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.kill()

    def peak_rss_mib(self) -> float | None:
        """The process's peak resident memory (``VmHWM``), while it is alive."""
        try:
            status = Path(f"/proc/{self.process.pid}/status").read_text()
        except (OSError, AttributeError):
            return None
        for line in status.splitlines():
            if line.startswith("VmHWM:"):
                return round(int(line.split()[1]) / 1024, 1)
        return None

    def log(self) -> str:
        try:
            return self.log_path.read_text(errors="replace")
        except OSError:
            return ""


def start_servers(servers: list[Server]) -> list[Server]:
    """Start several servers at once (each takes ~1.5 s to import Django) and wait for all."""
    for server in servers:
        server.start()
    for server in servers:
        server.wait_ready()
    return servers


class RedisServer:
    """A private ``redis-server`` on a free port (no persistence), to stop and start again."""

    def __init__(self, folder: Path):
        self.port = free_port()
        self.folder = folder
        self.process: subprocess.Popen | None = None

    @staticmethod
    def available() -> bool:
        return shutil.which("redis-server") is not None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> "RedisServer":
        command = ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1"]
        command += ["--save", "", "--appendonly", "no", "--dir", str(self.folder)]
        self.process = subprocess.Popen(
            command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        if not wait_until(self._answers, timeout=10):
            raise RuntimeError("redis-server did not start")
        return self

    def _answers(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=1) as connection:
                connection.sendall(b"PING\r\n")
                return connection.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def kill(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=10)


def redis_reachable(url: str) -> bool:
    import redis

    try:
        client = redis.Redis.from_url(url, socket_connect_timeout=1, socket_timeout=1)
        try:
            return bool(client.ping())
        finally:
            client.close()
    except Exception:  # any failure means "not usable here"
        return False


# --- Clients --------------------------------------------------------------------------------------


class Api:
    """A keep-alive JSON client of one server for one token (one per thread)."""

    def __init__(self, base_url: str, token: str, *, timeout: float = 10):
        parts = urlsplit(base_url)
        self.host, self.port = parts.hostname, parts.port
        self.headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
        self.timeout = timeout
        self._connection: http.client.HTTPConnection | None = None

    def request(self, method: str, path: str, body: dict | None = None) -> tuple[int, dict]:
        """``(status, JSON body)``; a broken connection raises (``OSError``/``HTTPException``)."""
        if self._connection is None:
            self._connection = http.client.HTTPConnection(
                self.host, self.port, timeout=self.timeout
            )
        try:
            payload = None if body is None else json.dumps(body)
            self._connection.request(method, path, body=payload, headers=self.headers)
            response = self._connection.getresponse()
            data = response.read()
        except (OSError, http.client.HTTPException):
            self.close()
            raise
        try:
            return response.status, json.loads(data) if data else {}
        except ValueError:
            return response.status, {"raw": data[:500].decode(errors="replace")}

    def send(self, conversation_id: int, text: str, client_id: str) -> tuple[int, dict]:
        path = f"/api/v1/conversations/{conversation_id}/messages"
        return self.request("POST", path, {"text": text, "client_id": client_id})

    def close(self) -> None:
        if self._connection is not None:
            self._connection.close()
            self._connection = None


class Receiver:
    """A person's socket read in a thread, reconnecting with ``after`` = the last id it got.

    ``frames`` holds every event frame in arrival order (duplicates included, so a
    test can see them). The first connection asks ``ping`` for the person's last
    event id, so the receiver starts "from now" and knows where to resume from.
    ``url`` may be changed while it runs (the next reconnect uses it).
    """

    def __init__(self, url: str, token: str, *, after: int | None = None):
        self.url = url
        self.token = token
        self.last = after
        self.frames: list[dict] = []
        self.connections = 0
        self.ready = threading.Event()
        self._stopping = threading.Event()
        self._socket = None
        self._lock = threading.Lock()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def start(self, *, timeout: float = 10) -> "Receiver":
        self._thread.start()
        if not self.ready.wait(timeout):
            raise RuntimeError(f"could not connect to {self.url}")
        return self

    def stop(self) -> None:
        self._stopping.set()
        self.drop()
        self._thread.join(timeout=5)

    def drop(self) -> None:
        """Cut the current socket without a closing handshake (a lost network)."""
        with self._lock:
            if self._socket is not None:
                with contextlib.suppress(OSError):
                    self._socket.socket.shutdown(socket.SHUT_RDWR)

    def message_ids(self) -> list[int]:
        return [frame["data"]["id"] for frame in self.frames if frame["type"] == "message.created"]

    def _run(self) -> None:
        while not self._stopping.is_set():
            with contextlib.suppress(OSError, ConnectionClosed, InvalidHandshake, TimeoutError):
                self._read_one_connection()
            if not self._stopping.is_set():
                time.sleep(0.1)

    def _read_one_connection(self) -> None:
        url = f"{self.url}?token={self.token}"
        if self.last is not None:
            url += f"&after={self.last}"
        with connect(url, open_timeout=5, proxy=None, compression=None) as websocket:
            with self._lock:
                self._socket = websocket
            self.connections += 1
            if self.last is None:
                websocket.send(json.dumps({"type": "ping"}))
            else:
                self.ready.set()
            try:
                while not self._stopping.is_set():
                    try:
                        frame = json.loads(websocket.recv(timeout=0.2))
                    except TimeoutError:
                        continue
                    if frame.get("type") == "pong":
                        if self.last is None:
                            self.last = frame["last_event_id"]
                        self.ready.set()
                    elif "id" in frame:
                        self.frames.append(frame)
                        self.last = frame["id"]
            finally:
                with self._lock:
                    self._socket = None
