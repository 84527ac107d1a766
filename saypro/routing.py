"""WebSocket routes. Each domain app that pushes live events adds its consumer here."""

websocket_urlpatterns: list = []
