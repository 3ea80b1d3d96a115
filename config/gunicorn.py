"""gunicorn's settings for the HTTP side of the scaled layout (docs/deploy.md): `gunicorn -c config/gunicorn.py
config.wsgi:application` serves the pages and the API behind the proxy, daphne only the WebSockets (/ws/).

gthread workers: each process runs WEB_THREADS requests at once, each on a connection from its database
pool (keep WEB_THREADS <= DB_POOL_MAX_SIZE, or requests wait for one), and keeps the proxy's connections
alive. bench/api.py measured them against daphne and gunicorn's sync workers side by side (README).
"""

import os

bind = os.environ.get("WEB_BIND", "127.0.0.1:8001")
workers = int(os.environ.get("WEB_WORKERS", "2"))  # one per core is a good start
worker_class = "gthread"
# 2 threads: one request's database wait overlaps another's Python; more threads only fight for the GIL
# (bench/api.py on 2 cores, 16 clients: 2 x 2 gave more req/s and a lower p99 than 2 x 4 or 4 x 2)
threads = int(os.environ.get("WEB_THREADS", "2"))
keepalive = 5  # seconds an idle keep-alive connection (from the proxy) stays open
graceful_timeout = 20
