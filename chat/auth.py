"""WebSocket authentication by API token in the `Authorization: Token <key>` header (never the URL)."""

from channels.db import database_sync_to_async
from channels.middleware import BaseMiddleware
from django.contrib.auth.models import AnonymousUser


@database_sync_to_async
def _user_for_token(key: str):
    from rest_framework.authtoken.models import Token

    token = Token.objects.select_related("user").filter(key=key).first()
    if token is None or not token.user.is_active:
        return AnonymousUser()
    return token.user


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
