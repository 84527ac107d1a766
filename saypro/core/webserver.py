"""How the web server (uvicorn, HTTP and WebSockets) runs ``saypro.asgi``, in one place.

``saypro serve``, the realtime tests' and the benchmark's servers, the
tutorial recorder and the browser journeys' in-process server all use these
options, so what is tested and measured is what runs in production.

uvicorn rather than daphne: the same sends cost about 1 ms less server CPU
(docs/performance.md, seventh round), mostly daphne's HTTP parsing and
Twisted's write path. The implementations are named, not left to "auto", so a
missing one fails at start instead of silently falling back to a slower one.
WebSocket frames are small JSON: per-message compression is off (daphne never
offered it), which saves a compressor per socket and its CPU per push.
Channels has no lifespan events (``lifespan`` off, instead of a log line that
says so), and a SIGTERM waits at most ``timeout_graceful_shutdown`` seconds for
open requests and sockets, less than ``saypro serve`` and the tests wait
before a SIGKILL.
"""

import sys

APPLICATION = "saypro.asgi:application"

# uvicorn.Config's keyword arguments; ``command`` turns them into its command-line flags.
OPTIONS = {
    "loop": "uvloop",
    "http": "httptools",
    "ws": "websockets-sansio",
    "ws_per_message_deflate": False,
    "lifespan": "off",
    "timeout_graceful_shutdown": 5,
}


def command(host: str, port: int) -> list[str]:
    """``python -m uvicorn`` serving the project on ``host:port`` with ``OPTIONS``.

    The access log stays on (uvicorn's default, on standard output), as operators
    expect; the benchmark figures were measured with it.
    """
    arguments = [sys.executable, "-m", "uvicorn", "--host", host, "--port", str(port)]
    for name, value in OPTIONS.items():
        flag = "--" + name.replace("_", "-")
        arguments += [flag, str(value).lower() if isinstance(value, bool) else str(value)]
    return [*arguments, APPLICATION]
