"""Several web processes share one database and Redis; Redis may restart under traffic.

Redis carries the live pushes between processes (channels-redis) and nothing
else that delivery depends on: the event table is the record, so a restart
(which empties Redis: groups and queued pushes) delays delivery but loses
nothing. The two-process test uses the machine's Redis (database 7, emptied);
the restart test runs a private ``redis-server`` that it kills and starts again.
"""

import http.client
import threading
import time

import pytest

from tests.realtime.harness import Api, Receiver, RedisServer, start_servers, wait_until

pytestmark = pytest.mark.realtime

LIVE = 1.0  # seconds within which a live push arrives (well under any resync period)


def arrival(receiver: Receiver, message_id: int, *, timeout: float) -> float | None:
    """Seconds until ``message_id`` reached ``receiver``; None if it did not in ``timeout``."""
    started = time.monotonic()
    if wait_until(lambda: message_id in receiver.message_ids(), timeout=timeout, every=0.005):
        return time.monotonic() - started
    return None


def test_a_message_sent_through_one_process_reaches_a_socket_on_another(
    new_pair, new_server, shared_redis
):
    # A long resync period: only a live push through Redis can arrive in time.
    settings = {"redis_url": shared_redis, "MESSAGING_SOCKET_RESYNC_SECONDS": 60}
    first, second = start_servers([new_server(**settings), new_server(**settings)])
    pair = new_pair()
    conversation = pair["conversation_id"]
    seller_on_second = Receiver(second.ws_url, pair["seller"]["token"]).start()
    buyer_on_first = Receiver(first.ws_url, pair["buyer"]["token"]).start()
    other = new_pair()
    outsider_on_first = Receiver(first.ws_url, other["seller"]["token"]).start()

    buyer_api = Api(first.url, pair["buyer"]["token"])
    seller_api = Api(second.url, pair["seller"]["token"])
    for number in range(5):
        status, message = buyer_api.send(conversation, f"Question {number}", f"two-q{number}")
        assert status == 201, message
        assert arrival(seller_on_second, message["id"], timeout=LIVE) is not None
        status, answer = seller_api.send(conversation, f"Answer {number}", f"two-a{number}")
        assert status == 201, answer
        assert arrival(buyer_on_first, answer["id"], timeout=LIVE) is not None

    time.sleep(0.2)
    for receiver in (seller_on_second, buyer_on_first, outsider_on_first):
        receiver.stop()
    # Every message once (notification frames come along; saypro/notifications tests them).
    assert len(seller_on_second.message_ids()) == len(buyer_on_first.message_ids()) == 10
    assert seller_on_second.message_ids() == buyer_on_first.message_ids()
    for receiver in (seller_on_second, buyer_on_first):
        event_ids = [frame["id"] for frame in receiver.frames]
        assert event_ids == sorted(set(event_ids))
    assert outsider_on_first.frames == []


def test_redis_restarted_during_traffic_loses_and_duplicates_nothing(
    database, pair, new_server, realtime_folder
):
    if not RedisServer.available():
        pytest.skip("redis-server is not installed")
    redis = RedisServer(realtime_folder).start()
    try:
        _restart_under_traffic(database, pair, new_server, redis)
    finally:
        redis.kill()


def _restart_under_traffic(database, pair, new_server, redis):
    resync = 3.0
    settings = {"redis_url": redis.url, "MESSAGING_SOCKET_RESYNC_SECONDS": resync}
    sending, receiving = start_servers([new_server(**settings), new_server(**settings)])
    conversation = pair["conversation_id"]
    receiver = Receiver(receiving.ws_url, pair["seller"]["token"]).start()
    acknowledged: dict[str, int] = {}
    attempts: list[tuple[float, str, int | None]] = []  # (when, client_id, status or None)
    stop = threading.Event()

    def send_until_stopped() -> None:
        api = Api(sending.url, pair["buyer"]["token"], timeout=5)
        number = 0
        while not stop.is_set():
            client_id = f"redis-{number}"
            try:
                status, body = api.send(conversation, f"Message {number}", client_id)
            except (OSError, http.client.HTTPException):
                status, body = None, {}
            attempts.append((time.monotonic(), client_id, status))
            if status in (200, 201):
                acknowledged[client_id] = body["id"]
                number += 1  # otherwise retry the same client_id
            time.sleep(0.02)

    sender = threading.Thread(target=send_until_stopped)
    sender.start()
    try:
        assert wait_until(lambda: len(receiver.message_ids()) >= 10, timeout=15)
        down_at = time.monotonic()
        redis.kill()
        time.sleep(1.5)
        redis.start()
        up_at = time.monotonic()
        stored_when_up = len(acknowledged)
        assert wait_until(lambda: len(acknowledged) >= stored_when_up + 10, timeout=15)
    finally:
        stop.set()
        sender.join(timeout=15)

    # Every acknowledged send is stored once; retries created nothing.
    rows = database.rows(
        "SELECT client_id, id FROM messaging_message"
        " WHERE conversation_id = %s AND client_id LIKE %s",
        (conversation, "redis-%"),
    )
    assert dict(rows) == acknowledged
    # The receiver catches up from the table (reconnecting when the server closed
    # its socket), then gets each message exactly once, in order.
    expected = sorted(acknowledged.values())
    assert wait_until(lambda: set(receiver.message_ids()) >= set(expected), timeout=2 * resync + 5)
    event_ids = [frame["id"] for frame in receiver.frames]
    assert event_ids == sorted(set(event_ids))
    assert receiver.message_ids() == expected

    # Live delivery is back: probes arrive far sooner than a resync would bring them.
    time.sleep(resync + 0.5)  # every socket has re-joined its group by now
    api = Api(sending.url, pair["buyer"]["token"])
    for number in range(5):
        status, probe = api.send(conversation, f"Probe {number}", f"redis-probe-{number}")
        assert status == 201, probe
        seconds = arrival(receiver, probe["id"], timeout=resync + 2)
        assert seconds is not None and seconds < 0.5, seconds
    receiver.stop()

    during = [status for when, _, status in attempts if down_at <= when <= up_at]
    assert during, "no send was attempted while Redis was down"
    # Rate limits and the API throttle fail open while the cache is down: sends go on.
    failed = [status for status in during if status not in (200, 201)]
    assert not failed, f"{len(failed)} of {len(during)} sends failed while Redis was down"
