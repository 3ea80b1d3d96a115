"""The API served by a real server process on PostgreSQL and Redis, under concurrent clients: no request
fails, and after warm-up no request opens a database or Redis connection, even with more clients than
the process' pool holds (they wait for a connection instead). Both servers: gunicorn's gthread worker on
config.wsgi (HTTP in the scaled layout, docs/deploy.md) and daphne on config.asgi (`make run`, WebSockets)."""

import http.client
import os
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from django.db import connection

from tests.chat.conftest import token_for
from tests.chat.realtime import ROOT, OwnRedis, free_port, wait_for_port

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.redis,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("vocabulary"),
]

POOL_SIZE = 4
CLIENTS = 16  # four times the pool
APP_NAME = "served-under-test"  # the served process' connections, not the test's own


def database_url() -> str:
    settings = connection.settings_dict
    return (
        f"postgres://{settings.get('USER') or 'postgres'}@{settings.get('HOST') or '127.0.0.1'}:"
        f"{settings.get('PORT') or 5432}/{settings['NAME']}"
    )


@pytest.fixture
def own_redis():
    redis = OwnRedis()
    yield redis
    redis.stop()


SERVERS = {
    # one worker of twice as many threads as pooled connections: threads wait for a connection too
    "gunicorn": lambda port: [
        str(Path(sys.executable).parent / "gunicorn"),
        *("-c", "config/gunicorn.py", "-b", f"127.0.0.1:{port}", "-w", "1", "--threads", str(2 * POOL_SIZE)),
        "config.wsgi:application",
    ],
    "daphne": lambda port: [
        sys.executable,
        *("-m", "daphne", "-b", "127.0.0.1", "-p", str(port)),
        "config.asgi:application",
    ],
}


@pytest.fixture(params=list(SERVERS))
def served(request, own_redis):
    port = free_port()
    env = dict(
        os.environ,
        DJANGO_SETTINGS_MODULE="config.settings_test",
        DATABASE_URL=database_url(),
        REDIS_URL=own_redis.url,
        DB_POOL_MIN_SIZE="1",
        DB_POOL_MAX_SIZE=str(POOL_SIZE),
        THROTTLE_USER="1000000/min",
        PYTHONUNBUFFERED="1",
        PGAPPNAME=APP_NAME,
    )
    env.pop("DB_POOL", None)
    env.pop("DB_CONN_MAX_AGE", None)
    log = open(f"/tmp/{request.param}-served-{port}.log", "wb")  # noqa: SIM115
    process = subprocess.Popen(
        SERVERS[request.param](port),
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    wait_for_port(port)
    yield port
    process.terminate()
    process.wait(timeout=10)
    log.close()


def hammer(port: int, token: str, paths: list[str], requests_per_client: int) -> list[int]:
    """CLIENTS keep-alive clients at once, each sending requests_per_client requests; the statuses."""

    def client(_):
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        statuses = []
        for i in range(requests_per_client):
            conn.request("GET", paths[i % len(paths)], headers={"Authorization": f"Token {token}"})
            response = conn.getresponse()
            response.read()
            statuses.append(response.status)
        conn.close()
        return statuses

    with ThreadPoolExecutor(CLIENTS) as pool:
        return [status for statuses in pool.map(client, range(CLIENTS)) for status in statuses]


class NewBackends:
    """Watches pg_stat_activity for the served process' connections that start while it runs."""

    def __init__(self):
        self.pids: set[int] = set()
        self.most_at_once = 0
        self.stop = threading.Event()

    def __enter__(self):
        import psycopg

        self.conn = psycopg.connect(database_url(), autocommit=True)
        self.started = self.conn.execute("SELECT now()").fetchone()[0]
        self.thread = threading.Thread(target=self._watch, daemon=True)
        self.thread.start()
        return self

    def _watch(self):
        while not self.stop.is_set():
            rows = self.conn.execute(
                "SELECT pid, backend_start FROM pg_stat_activity WHERE datname = current_database() "
                "AND application_name = %s",
                [APP_NAME],
            ).fetchall()
            self.most_at_once = max(self.most_at_once, len(rows))
            self.pids.update(pid for pid, started in rows if started > self.started)
            time.sleep(0.01)

    def __exit__(self, *exc):
        self.stop.set()
        self.thread.join()
        self.conn.close()


def redis_connections_received(redis) -> int:
    import redis as redis_py

    client = redis_py.Redis.from_url(redis.url)
    try:
        return client.info("stats")["total_connections_received"]
    finally:
        client.close()


def test_concurrent_clients_get_answers_without_opening_connections(served, own_redis, carol, alice, victor):
    token = token_for(carol)
    paths = [f"/api/volunteers/{alice.pk}/", f"/api/volunteers/{victor.pk}/", "/api/volunteers/"]
    # given a process that has served a first burst (its pool has grown to what the load needs)
    assert set(hammer(served, token, paths, 10)) == {200}
    redis_before = redis_connections_received(own_redis)
    # when four times as many clients as pooled connections keep asking
    with NewBackends() as backends:
        statuses = hammer(served, token, paths, 25)
    # then every request is answered, none opened a database or Redis connection, and the pool held
    assert statuses.count(200) == len(statuses) == CLIENTS * 25
    assert backends.pids == set(), f"{len(backends.pids)} new PostgreSQL connections for {len(statuses)} requests"
    # (Redis' client pool may still grow towards the number of threads at once, never per request)
    assert redis_connections_received(own_redis) - redis_before - 1 < CLIENTS // 4
    assert backends.most_at_once <= POOL_SIZE
