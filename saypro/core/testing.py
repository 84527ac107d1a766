"""Test helpers: the API error check, form errors as screen readers get them, real concurrency
(PostgreSQL only), a Redis outage."""

import threading
from html.parser import HTMLParser

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


VOID_ELEMENTS = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "wbr"}


class _Descriptions(HTMLParser):
    """Each element's text by id, and the ids each invalid control's descriptions come from."""

    def __init__(self):
        super().__init__()
        self.open: list[tuple[str, str | None, list[str]]] = []  # tag, id, fieldset's describedby
        self.text: dict[str, str] = {}
        self.describedby: dict[str, list[str]] = {}

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        own = (attrs.get("aria-describedby") or "").split()
        if attrs.get("aria-invalid") == "true":
            groups = [i for _, _, described in self.open for i in described]
            self.describedby[attrs.get("name") or attrs.get("id")] = groups + own
        self.handle_data(" ")  # elements (list items, paragraphs) read as separate words
        if tag not in VOID_ELEMENTS:
            self.open.append((tag, attrs.get("id"), own if tag == "fieldset" else []))
            if attrs.get("id"):
                self.text[attrs["id"]] = ""

    def handle_endtag(self, tag):
        if any(name == tag for name, _, _ in self.open):
            while self.open.pop()[0] != tag:
                pass
        self.handle_data(" ")

    def handle_data(self, data):
        for _, element_id, _ in self.open:
            if element_id:
                self.text[element_id] += data


def described_errors(html: str) -> dict[str, str]:
    """What a screen reader reads with each control marked invalid (aria-invalid="true"):
    {its name, else its id: the text of the elements named by its aria-describedby and by those
    of the fieldsets around it (a radio group's), those that exist, whitespace collapsed}."""
    parser = _Descriptions()
    parser.feed(html)
    return {
        key: " ".join(" ".join(parser.text[i] for i in ids if i in parser.text).split())
        for key, ids in parser.describedby.items()
    }


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
