"""WebSocket authentication by API token in the `Authorization: Token <key>` header (never the URL)."""

import logging

from channels.db import database_sync_to_async
from channels.middleware import BaseMiddleware
from django.contrib.auth.models import AnonymousUser
from django.db import DatabaseError, InterfaceError

logger = logging.getLogger(__name__)

# The contract's "reconnect (to any process) and sync" close code (chat.consumers.CLOSE_RECONNECT).
CLOSE_RECONNECT = 4503


@database_sync_to_async
def _user_for_token(key: str):
    from accounts.authentication import token_owner

    found = token_owner(key)
    if found is None or not found[0].is_active:
        return AnonymousUser()
    return found[0]


class TokenAuthMiddleware(BaseMiddleware):
    """Sits inside the session middleware: a token header, when present, decides who the caller is."""

    async def __call__(self, scope, receive, send):
        for name, value in scope.get("headers", []):
            if name == b"authorization":
                kind, _, key = value.decode("latin-1").partition(" ")
                key = key.strip()
                user = await _user_for_token(key) if kind == "Token" else AnonymousUser()
                scope = dict(scope, user=user, auth_token=key if user.is_authenticated else None)
                break
        return await super().__call__(scope, receive, send)


class RefuseWhileStorageIsDown:
    """Outermost on the socket stack: opening a socket reads the database (the session, the user, the
    token) before any consumer runs, and while the database is unreachable that raised, which daphne
    answers with an HTTP 500. Instead the socket is accepted and closed with 4503, so the client tries
    again (another process, later) as after any 4503."""

    def __init__(self, inner):
        self.inner = inner

    async def __call__(self, scope, receive, send):
        state = {"connect": False, "answered": False}

        async def receiving():
            message = await receive()
            state["connect"] = state["connect"] or message["type"] == "websocket.connect"
            return message

        async def sending(message):
            state["answered"] = state["answered"] or message["type"] in ("websocket.accept", "websocket.close")
            await send(message)

        try:
            return await self.inner(scope, receiving, sending)
        except (DatabaseError, InterfaceError) as exc:
            if state["answered"]:  # the socket was open (or refused): not an opening failure
                raise
            logger.warning("storage unavailable when opening a socket, closing it with %d: %r", CLOSE_RECONNECT, exc)
        if state["connect"] or (await receive())["type"] == "websocket.connect":
            await send({"type": "websocket.accept"})
            await send({"type": "websocket.close", "code": CLOSE_RECONNECT})
