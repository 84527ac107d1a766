"""WebSocket routes: one socket per client at ``/ws/`` carries every live event."""

from django.urls import path

from saypro.messaging.realtime import EventConsumer

websocket_urlpatterns = [path("ws/", EventConsumer.as_asgi())]
