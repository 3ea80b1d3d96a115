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
    assert isinstance(connection.pool._check, config.database.PoolCheck)
    # when requests take connections again and again
    pids = {checkout() for _ in range(5)}
    # then none was checked with a statement, and each works
    assert full_checks == []
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        assert cursor.fetchone() == (1,)
    assert pids


def end_backend(pid: int) -> None:
    """Ends a server process as a restart or an administrator does, and waits until it is gone."""
    with other_connection() as other:
        other.execute("SELECT pg_terminate_backend(%s)", [pid])
        deadline = time.monotonic() + 5
        while other.execute("SELECT count(*) FROM pg_stat_activity WHERE pid = %s", [pid]).fetchone() != (0,):
            assert time.monotonic() < deadline
            time.sleep(0.02)


def test_a_connection_the_server_ended_is_never_handed_to_a_request(full_checks):
    # given a pooled connection whose server process is ended while it is out of the pool, then given back
    ended = checkout()
    end_backend(ended)
    connection.close()
    # when requests take connections, more times than the pool holds
    for _ in range(connection.pool.get_stats()["pool_size"] + 2):
        pid = checkout()
        # then each gets a working connection, never the ended one
        assert pid != ended
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            assert cursor.fetchone() == (1,)
    # and the ended one was checked with a round trip (which failed) before the pool threw it away
    assert ended in full_checks


def test_the_check_refuses_a_connection_the_server_ended_and_passes_a_healthy_one(full_checks):
    with other_connection() as healthy, other_connection() as ended:
        ended_pid = ended.info.backend_pid
        end_backend(ended_pid)
        config.database.check_idle_connection(healthy)
        assert full_checks == []
        with pytest.raises(psycopg.OperationalError):
            config.database.check_idle_connection(ended)
        assert full_checks == [ended_pid]


def test_after_a_restart_the_next_request_gets_a_connection(full_checks):
    # given a pool of four idle connections
    held = [connection.pool.getconn() for _ in range(4)]
    ended = [conn.info.backend_pid for conn in held]
    for conn in held:
        connection.pool.putconn(conn)
    # when the server ends them all, as a restart does
    for pid in ended:
        end_backend(pid)
    # then the next request gets a working connection within the pool's wait (it failed after 3 s when the
    # pool handed the ended ones out one by one, with its back-off between them)
    started = time.monotonic()
    pid = checkout()
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    assert time.monotonic() - started < connection.pool.timeout
    # and no later one gets an ended connection
    for _ in range(connection.pool.get_stats()["pool_size"] + 2):
        assert pid not in ended
        pid = checkout()
