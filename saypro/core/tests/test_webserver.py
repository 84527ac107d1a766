"""The web server's log lines never show an API token from a socket's URL; what it loads
at start stays out of the garbage collector's full passes."""

import gc
import logging

from django.urls import get_resolver
from uvicorn.config import LOGGING_CONFIG

from saypro import asgi
from saypro.core import webserver

TOKEN = "sp_7d975e57_Us6HGa-9qPrIMSntesrpzsqGPtzMZLzZ"


def record(message: str, *args) -> logging.LogRecord:
    return logging.LogRecord("uvicorn.error", logging.INFO, __file__, 1, message, args, None)


def test_a_token_in_a_socket_path_is_hidden():
    line = record('%s - "WebSocket %s" [accepted]', "127.0.0.1:5000", f"/ws/?token={TOKEN}&after=7")

    assert webserver.HideTokens().filter(line) is True
    assert line.getMessage() == (
        '127.0.0.1:5000 - "WebSocket /ws/?token=[hidden]&after=7" [accepted]'
    )


def test_an_access_line_keeps_its_arguments_and_other_parameters():
    arguments = ("127.0.0.1:5000", "GET", "/api/v1/events?after=7&tokens=2", "1.1", 200)
    line = record('%s - "%s %s HTTP/%s" %d', *arguments)

    webserver.HideTokens().filter(line)

    assert line.args == arguments


def test_the_log_config_filters_the_loggers_uvicorn_writes_paths_to():
    config = webserver.log_config()

    assert config["loggers"]["uvicorn.error"]["filters"] == ["hide_tokens"]
    assert config["loggers"]["uvicorn.access"]["filters"] == ["hide_tokens"]
    assert "filters" not in LOGGING_CONFIG["loggers"]["uvicorn.access"]  # changed a copy


def test_the_command_runs_this_module():
    assert webserver.command("0.0.0.0", 8001)[1:] == [
        "-m", "saypro.core.webserver", "--host", "0.0.0.0", "--port", "8001",
    ]  # fmt: skip


def test_the_served_application_is_loaded_whole_then_frozen():
    gc.unfreeze()
    try:
        assert webserver.settled_application() is asgi.application
        assert gc.get_freeze_count() > 10_000
        patterns = get_resolver().url_patterns
        assert not any(item is patterns for item in gc.get_objects())  # not collectable
    finally:
        gc.unfreeze()
