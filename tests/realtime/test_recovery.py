"""A killed web process and a dropped socket lose nothing and repeat nothing.

The guarantees under test: a send answered 2xx is stored; a retry with the
same ``client_id`` creates nothing; a receiver that reconnects with
``after=<last id it got>`` gets every later event exactly once, in order.
"""

import http.client
import random
import signal
import threading

import pytest

from tests.realtime.harness import Api, Receiver, wait_until

pytestmark = pytest.mark.realtime

SENDERS = 4
BURST = 1000  # per sender; the kill comes long before


def stored_messages(database, conversation_id: int, prefix: str) -> dict[str, int]:
    """``{client_id: message id}`` of the conversation's messages whose client_id has ``prefix``."""
    rows = database.rows(
        "SELECT client_id, id FROM messaging_message"
        " WHERE conversation_id = %s AND client_id LIKE %s",
        (conversation_id, f"{prefix}%"),
    )
    return dict(rows)


def assert_received_once_in_order(receiver: Receiver, message_ids: set[int]) -> None:
    event_ids = [frame["id"] for frame in receiver.frames]
    assert event_ids == sorted(set(event_ids)), "an event arrived twice or out of order"
    received = receiver.message_ids()
    assert sorted(received) == sorted(message_ids)
    assert received == sorted(received), "messages of one sender arrived out of order"


def test_a_web_process_killed_mid_burst_loses_and_duplicates_nothing(database, pair, new_server):
    server = new_server().start().wait_ready()
    conversation = pair["conversation_id"]
    receiver = Receiver(server.ws_url, pair["seller"]["token"]).start()
    acknowledged: dict[str, int] = {}
    texts: dict[str, str] = {}
    unanswered: list[str] = []
    refused: list[tuple[str, int]] = []

    def burst(sender: int) -> None:
        api = Api(server.url, pair["buyer"]["token"])
        for number in range(BURST):
            client_id = f"kill-{sender}-{number}"
            texts[client_id] = f"Message {number} of sender {sender}"
            try:
                status, body = api.send(conversation, texts[client_id], client_id)
            except (OSError, http.client.HTTPException):
                unanswered.append(client_id)  # it may or may not have been stored
                return
            if status not in (200, 201):
                refused.append((client_id, status))
                return
            acknowledged[client_id] = body["id"]

    senders = [threading.Thread(target=burst, args=(number,)) for number in range(SENDERS)]
    for thread in senders:
        thread.start()
    assert wait_until(lambda: len(acknowledged) >= 40, timeout=30), refused
    server.kill(signal.SIGKILL)
    for thread in senders:
        thread.join(timeout=30)
    assert not refused
    assert len(unanswered) == SENDERS  # every sender was cut off by the kill

    restarted = new_server(port=server.port).start().wait_ready()
    api = Api(restarted.url, pair["buyer"]["token"])
    for client_id in unanswered:
        status, body = api.send(conversation, texts[client_id], client_id)
        assert status in (200, 201), body
        acknowledged[client_id] = body["id"]
    for client_id in random.sample(sorted(acknowledged), 5):
        status, body = api.send(conversation, texts[client_id], client_id)
        assert (status, body["id"]) == (200, acknowledged[client_id])

    assert stored_messages(database, conversation, "kill-") == acknowledged
    expected = set(acknowledged.values())
    assert wait_until(lambda: set(receiver.message_ids()) >= expected, timeout=20)
    receiver.stop()
    assert_received_once_in_order(receiver, expected)
    assert receiver.connections >= 2


def test_a_socket_dropped_mid_stream_resumes_with_no_gap_and_no_duplicate(
    database, pair, new_server
):
    server = new_server().start().wait_ready()
    conversation = pair["conversation_id"]
    receiver = Receiver(server.ws_url, pair["seller"]["token"]).start()
    api = Api(server.url, pair["buyer"]["token"])
    drops = {15, 40, 41, 70, 99}
    sent = []
    for number in range(120):
        status, body = api.send(conversation, f"Stream {number}", f"drop-{number}")
        assert status == 201, body
        sent.append(body["id"])
        if number in drops:
            connections = receiver.connections
            receiver.drop()
            # Sends may outpace the reconnect: wait, so that each drop cuts a live socket.
            assert wait_until(lambda before=connections: receiver.connections > before, timeout=10)

    assert wait_until(lambda: len(set(receiver.message_ids())) >= len(sent), timeout=20)
    receiver.stop()
    assert_received_once_in_order(receiver, set(sent))
    assert receiver.message_ids() == sent
    assert receiver.connections == 1 + len(drops)
    assert sorted(stored_messages(database, conversation, "drop-").values()) == sent
