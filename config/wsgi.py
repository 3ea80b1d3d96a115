"""WSGI entry point for the HTTP pages and API in the scaled layout: gunicorn workers behind the proxy
serve HTTP, daphne serves the WebSockets (docs/deploy.md). Plain WSGI costs less CPU per request than
running each request's synchronous work in a thread under ASGI; bench/api.py measures both."""

import os

from django.core.wsgi import get_wsgi_application

from config.heap import freeze_startup_heap

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

application = get_wsgi_application()
freeze_startup_heap()
