"""ASGI entry point: HTTP through Django, WebSockets through Channels.

Token-authenticated calls to the hot API endpoints take ``core.lane`` instead
of Django's full request handling.

The socket (``saypro.routing``) authenticates by session cookie or API token;
a browser's Origin must be an allowed host (see ``ApiClientOriginValidator``).
"""

import os

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "saypro.settings")
django.setup(set_prefix=False)

from saypro.core.handlers import SyncMiddlewareASGIHandler  # noqa: E402  (needs Django set up)
from saypro.core.lane import TokenLane  # noqa: E402

django_asgi_application = SyncMiddlewareASGIHandler()

from channels.auth import AuthMiddlewareStack  # noqa: E402  (needs Django set up)
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402

from saypro.messaging.realtime import ApiClientOriginValidator, TokenAuthMiddleware  # noqa: E402
from saypro.routing import websocket_urlpatterns  # noqa: E402

application = ProtocolTypeRouter(
    {
        "http": TokenLane(django_asgi_application),
        "websocket": ApiClientOriginValidator(
            AuthMiddlewareStack(TokenAuthMiddleware(URLRouter(websocket_urlpatterns)))
        ),
    }
)
