"""ASGI entry point: daphne serves HTTP and WebSockets from this one application."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

django_asgi_app = get_asgi_application()

# These import models, so Django must be set up first.
from channels.auth import AuthMiddlewareStack  # noqa: E402
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from channels.security.websocket import AllowedHostsOriginValidator  # noqa: E402

from chat.auth import RefuseWhileStorageIsDown, TokenAuthMiddleware  # noqa: E402
from chat.routing import websocket_urlpatterns  # noqa: E402

application = ProtocolTypeRouter(
    {
        "http": django_asgi_app,
        # A foreign Origin is refused at the handshake (HTTP 403); session cookie or token header decide who;
        # while the database they are read from is unreachable, the socket is closed with 4503.
        "websocket": AllowedHostsOriginValidator(
            RefuseWhileStorageIsDown(AuthMiddlewareStack(TokenAuthMiddleware(URLRouter(websocket_urlpatterns))))
        ),
    }
)

# Under daphne, SIGTERM first closes the chat's sockets with 4503 (reconnect elsewhere and sync).
from chat.consumers import close_sockets_on_sigterm  # noqa: E402

close_sockets_on_sigterm()

from config.heap import freeze_startup_heap  # noqa: E402

freeze_startup_heap()
