"""The web server: uvicorn (HTTP and WebSockets) running ``saypro.asgi``, set up in one place.

``saypro serve``, the realtime tests' and the benchmark's servers and the
tutorial recorder start ``python -m saypro.core.webserver`` (``command``); the
browser journeys' in-process server uses ``OPTIONS`` and ``log_config``. So
what is tested and measured is what runs in production.

uvicorn rather than daphne: the same sends cost about 1.4 ms less server CPU on
SQLite (docs/performance.md, seventh round), where a profile had shown daphne's
HTTP parsing and Twisted's write path. The implementations are named, not left to "auto", so a
missing one fails at start instead of silently falling back to a slower one.
WebSocket frames are small JSON: per-message compression is off (daphne never
offered it), which saves a compressor per socket and its CPU per push.
Channels has no lifespan events (``lifespan`` off, instead of a log line that
says so), and a SIGTERM waits at most ``timeout_graceful_shutdown`` seconds for
open requests and sockets, less than ``saypro serve`` and the tests wait
before a SIGKILL.

The access log stays on (standard output, uvicorn's format). uvicorn logs
paths with their query string, and an API client's socket authenticates with
``/ws/?token=<API token>``: ``HideTokens`` blanks those before any handler
sees them.
"""

import argparse
import copy
import gc
import importlib
import logging
import re
import sys

import uvicorn
from django.urls import get_resolver
from uvicorn.config import LOGGING_CONFIG

APPLICATION = "saypro.asgi:application"

# uvicorn.Config's keyword arguments.
OPTIONS = {
    "loop": "uvloop",
    "http": "httptools",
    "ws": "websockets-sansio",
    "ws_per_message_deflate": False,
    "lifespan": "off",
    "timeout_graceful_shutdown": 5,
}

TOKEN_VALUE = re.compile(r"(?<=[?&]token=)[^&\s]+")


class HideTokens(logging.Filter):
    """Replaces the value of a ``token`` query parameter in a record's arguments by
    ``[hidden]`` (uvicorn passes the path as an argument of a fixed format)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple):
            record.args = tuple(
                TOKEN_VALUE.sub("[hidden]", argument) if isinstance(argument, str) else argument
                for argument in record.args
            )
        return True


def log_config() -> dict:
    """uvicorn's own logging setup, with ``HideTokens`` on the two loggers it writes
    paths to (a logger's filter sees only records logged to it, not its children's)."""
    config = copy.deepcopy(LOGGING_CONFIG)
    config["filters"] = {"hide_tokens": {"()": HideTokens}}
    for name in ("uvicorn.error", "uvicorn.access"):
        config["loggers"][name]["filters"] = ["hide_tokens"]
    return config


def command(host: str, port: int) -> list[str]:
    """The command that serves the project on ``host:port`` (``main`` in a new process)."""
    return [sys.executable, "-m", "saypro.core.webserver", "--host", host, "--port", str(port)]


def settled_application():
    """The application, loaded whole, with what loading it made kept out of the
    garbage collector's full passes.

    Loading the project makes a few hundred thousand long-lived objects (modules,
    classes, API schemas, URL patterns). A full collection walks all of them, and on
    a busy server ran every few seconds for up to 150 ms (docs/performance.md, eleventh
    round). ``gc.freeze`` after loading moves them to a generation that is never
    collected; the URL configuration is loaded first, since Django would otherwise
    import the views and API schemas on the first request.
    """
    application = importlib.import_module(APPLICATION.partition(":")[0]).application
    get_resolver().url_patterns  # noqa: B018  (loads every app's views and APIs)
    gc.collect()
    gc.freeze()
    return application


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Serve saypro.asgi with uvicorn.")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    arguments = parser.parse_args(argv)
    uvicorn.run(
        settled_application(),
        host=arguments.host,
        port=arguments.port,
        log_config=log_config(),
        **OPTIONS,
    )


if __name__ == "__main__":
    main()
