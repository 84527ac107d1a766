"""The runtime plumbing later domains rely on: ASGI, the channel layer and Huey, in this mode."""

import pytest
from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from channels.testing import HttpCommunicator, WebsocketCommunicator
from django.conf import settings
from huey import RedisHuey, SqliteHuey
from huey.contrib.djhuey import HUEY

from saypro.asgi import application


@pytest.mark.django_db(transaction=True)
def test_asgi_serves_http():
    communicator = HttpCommunicator(
        application, "GET", "/healthz", headers=[(b"host", b"testserver")]
    )
    # The first request imports every URLconf and view: far more than the default 1 s under load.
    response = async_to_sync(communicator.get_response)(timeout=15)
    assert response["status"] == 200


def test_asgi_refuses_websocket_from_foreign_origin():
    communicator = WebsocketCommunicator(
        application, "/ws/", headers=[(b"origin", b"https://evil.example")]
    )
    connected, _ = async_to_sync(communicator.connect)()
    assert connected is False


def test_channel_layer_round_trip():
    layer = get_channel_layer()
    expected = "RedisPubSubChannelLayer" if settings.REDIS_URL else "InMemoryChannelLayer"
    assert type(layer).__name__ == expected

    async def round_trip():
        channel = await layer.new_channel()
        await layer.group_add("wiring-test", channel)
        await layer.group_send("wiring-test", {"type": "ping", "n": 7})
        message = await layer.receive(channel)
        await layer.group_discard("wiring-test", channel)
        return message

    assert async_to_sync(round_trip)() == {"type": "ping", "n": 7}


def test_huey_storage_follows_the_mode():
    assert isinstance(HUEY, RedisHuey if settings.REDIS_URL else SqliteHuey)
    assert HUEY.immediate is True  # tests run tasks inline
