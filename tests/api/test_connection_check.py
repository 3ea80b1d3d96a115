"""A pooled connection is handed out after a look at its socket (config.database.check_idle_connection): no
round trip for a healthy one, and one the server has ended is still never handed to a request."""

import time

import psycopg
import pytest
from django.db import connection

import config.database

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def full_checks(monkeypatch) -> list:
    """The round-trip checks the pool makes (psycopg's check_connection, through config.database)."""
    made: list = []

    def counted(conn):
        made.append(conn.info.backend_pid)
        return psycopg.Connection.execute(conn, "") and None

    monkeypatch.setattr(config.database, "full_check", counted)
    return made


def checkout() -> int:
    """Gives this thread's connection back to the pool and takes one again, as two requests do; its pid."""
    connection.close()
    connection.ensure_connection()
    return connection.connection.info.backend_pid


def other_connection() -> psycopg.Connection:
    params = {**connection.get_connection_params(), "autocommit": True}
    for django_only in ("cursor_factory", "server_side_binding", "prepare_threshold"):
        params.pop(django_only, None)
    return psycopg.connect(**params)


def test_a_healthy_connection_is_handed_out_without_a_round_trip(full_checks):
    # given a pool whose connections have served a request
    checkout()
    assert connection.pool._check is config.database.check_idle_connection
    # when requests take connections again and again
    pids = {checkout() for _ in range(5)}
    # then none was checked with a statement, and each works
    assert full_checks == []
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        assert cursor.fetchone() == (1,)
    assert pids


def test_a_connection_the_server_ended_is_never_handed_to_a_request(full_checks):
    # given the pool's connections, idle in the pool
    checkout()
    connection.close()
    # when the server ends every one of them (as a restart or an administrator does)
    others = "FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"
    with other_connection() as other:
        ended = {pid for (pid,) in other.execute(f"SELECT pid {others}").fetchall()}
        other.execute(f"SELECT pg_terminate_backend(pid) {others}")
        deadline = time.monotonic() + 5
        while other.execute(f"SELECT count(*) {others}").fetchone() != (0,) and time.monotonic() < deadline:
            time.sleep(0.02)
    assert ended
    # then the next request gets a working connection, not one of those
    pid = checkout()
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        assert cursor.fetchone() == (1,)
    # and each ended connection the pool looked at was checked with a round trip before it was thrown away
    assert full_checks, "an ended connection was handed out on the look at its socket alone"
    assert set(full_checks) <= ended
    assert pid not in ended
