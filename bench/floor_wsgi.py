"""The served floor for bench/api.py: behind the same gunicorn layout as the API (config/gunicorn.py), each
request answers with its page's rows read with `values()` and dumped to JSON (bench.api.floor_page), and
nothing else: no middleware, no token's query, no throttle, no serializer, no pagination. The caller's user
is looked up once per token and kept."""

import django

django.setup()

from accounts.models import User  # noqa: E402
from bench.api import floor_page  # noqa: E402

_users: dict[str, User] = {}


def application(environ, start_response):
    key = environ.get("HTTP_AUTHORIZATION", "").removeprefix("Token ")
    user = _users.get(key) or _users.setdefault(key, User.objects.get(auth_token__key=key))
    body = floor_page(environ["PATH_INFO"], user).encode()
    start_response("200 OK", [("Content-Type", "application/json"), ("Content-Length", str(len(body)))])
    return [body]
