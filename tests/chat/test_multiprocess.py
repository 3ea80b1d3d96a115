"""Real daphne processes, Redis and PostgreSQL: messages cross processes, an idle socket survives past
redis-py's old 5 s time-out, and nothing acknowledged is lost when a process dies, when Redis restarts
or while PostgreSQL is unreachable."""

import asyncio
import contextlib
import os

import pytest
import websockets
from django.db import connection

from tests.chat.conftest import token_for
from tests.chat.realtime import ChatClient, CuttableProxy, Daphne, OwnRedis

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.redis,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("vocabulary"),
]


def database_url(port: int = 5432) -> str:
    settings = connection.settings_dict
    user = settings.get("USER") or "postgres"
    host = settings.get("HOST") or "127.0.0.1"
    return f"postgres://{user}@{host}:{port}/{settings['NAME']}"


@pytest.fixture
def processes():
    started: list = []

    def start(count=2, *, db_port=None, redis_url=None):
        for _ in range(count):
            started.append(
                Daphne(
                    database_url(db_port or connection.settings_dict.get("PORT") or 5432),
                    redis_url or os.environ["REDIS_URL"],
                )
            )
        return started[-count:]

    yield start
    for process in started:
        process.stop()


@pytest.fixture
def tokens(alice, bob):
    return {"alice": token_for(alice), "bob": token_for(bob)}


def origin(process) -> str:
    return f"http://127.0.0.1:{process.port}"


async def send_and_ack(client, client_id, body, timeout=10):
    await client.send(client_id, body)
    await client.wait_for(lambda: client_id in client.acks, timeout)
    return client.acks[client_id]


async def test_messages_cross_two_daphne_processes_in_both_directions(conversation, alice, tokens, processes):
    first, second = processes(2)
    volunteer, mentee = ChatClient(tokens["alice"]), ChatClient(tokens["bob"])
    await volunteer.connect(first.url(conversation.pk), origin(first))
    await mentee.connect(second.url(conversation.pk), origin(second))
    await asyncio.sleep(0.5)
    # idle past redis-py 8's default 5 s socket time-out: the layer's blocking reads must survive it
    await asyncio.sleep(6)
    from_volunteer = await send_and_ack(volunteer, "v-1", "Hello from process one")
    await mentee.wait_for(lambda: from_volunteer in mentee.seen)
    from_mentee = await send_and_ack(mentee, "m-1", "Hello from process two")
    await volunteer.wait_for(lambda: from_mentee in volunteer.seen)
    assert mentee.seen[from_volunteer] == "Hello from process one"
    assert volunteer.seen[from_mentee] == "Hello from process two"
    await volunteer.close()
    await mentee.close()


async def test_a_killed_process_loses_nothing_acknowledged(conversation, alice, tokens, processes):
    # given each member on a different process, the volunteer sending steadily
    first, second = processes(2)
    volunteer, mentee = ChatClient(tokens["alice"]), ChatClient(tokens["bob"])
    await volunteer.connect(first.url(conversation.pk), origin(first))
    await mentee.connect(second.url(conversation.pk), origin(second))
    for index in range(10):
        await send_and_ack(volunteer, f"k-{index}", f"before {index}")
    # when the volunteer's process is killed mid-conversation
    for index in range(10, 15):
        await volunteer.send(f"k-{index}", f"around {index}")
    first.kill()
    await volunteer.close()
    # then the volunteer reconnects to the other process, syncs, and resends what was not acknowledged
    await volunteer.connect(second.url(conversation.pk), origin(second))
    for index in range(10, 20):
        await send_and_ack(volunteer, f"k-{index}", f"around {index}" if index < 15 else f"after {index}")
    await mentee.wait_for(lambda: set(volunteer.acks.values()) <= set(mentee.seen), timeout=10)
    # every acknowledged message is there exactly once, in both views and in the database
    from chat.models import Message

    mine = Message.objects.filter(conversation=conversation, sender=alice.user)
    stored = await asyncio.to_thread(lambda: list(mine.values_list("client_id", flat=True)))
    assert sorted(stored) == sorted(f"k-{index}" for index in range(20))
    assert len(volunteer.acks) == 20
    assert set(volunteer.acks.values()) <= set(volunteer.seen)
    await volunteer.close()
    await mentee.close()


async def test_a_redis_restart_loses_nothing_acknowledged(conversation, alice, tokens, processes):
    redis = OwnRedis()
    try:
        first, second = processes(2, redis_url=redis.url)
        volunteer, mentee = ChatClient(tokens["alice"]), ChatClient(tokens["bob"])
        await volunteer.connect(first.url(conversation.pk), origin(first))
        await mentee.connect(second.url(conversation.pk), origin(second))
        for index in range(5):
            await send_and_ack(volunteer, f"r-{index}", f"before {index}")
        # when Redis restarts mid-conversation
        redis.stop()
        # then a socket that only listens is told its process may have missed messages: reconnect and sync
        await mentee.wait_for(lambda: not mentee.connected, timeout=10)
        assert mentee.ws.close_code == 4503
        redis.start()
        # then clients find their sockets closed, reconnect (sync after their last id) and carry on
        for index in range(5, 10):
            await volunteer.send_until_acked(f"r-{index}", f"after {index}")
        await mentee.ensure_connected()
        await mentee.wait_for(lambda: not mentee.connected or set(volunteer.acks.values()) <= set(mentee.seen), 15)
        await mentee.ensure_connected()
        await mentee.wait_for(lambda: set(volunteer.acks.values()) <= set(mentee.seen), timeout=15)
        assert len(volunteer.acks) == 10
        await volunteer.close()
        await mentee.close()
    finally:
        redis.stop()


async def test_while_postgresql_is_unreachable_a_send_gets_an_error_and_works_again_after(
    conversation, alice, tokens, processes
):
    proxy = CuttableProxy(int(connection.settings_dict.get("PORT") or 5432))
    (process,) = processes(1, db_port=proxy.port)
    volunteer = ChatClient(tokens["alice"])
    await volunteer.connect(process.url(conversation.pk), origin(process))
    await send_and_ack(volunteer, "p-0", "before the outage")
    # when the database becomes unreachable
    proxy.cut()
    await volunteer.send("p-1", "during the outage")
    await volunteer.wait_for(lambda: any(e.get("client_id") == "p-1" for e in volunteer.errors), timeout=20)
    error = next(e for e in volunteer.errors if e.get("client_id") == "p-1")
    assert error["code"] == "unavailable"
    assert "p-1" not in volunteer.acks
    # then, once it is back, sending works without restarting anything
    proxy.restore()
    await send_and_ack(volunteer, "p-1", "during the outage", timeout=20)
    await send_and_ack(volunteer, "p-2", "after the outage")
    await volunteer.close()
    proxy.cut()


async def test_while_postgresql_is_unreachable_a_new_socket_is_closed_with_4503_not_refused_with_500(
    conversation, alice, tokens, processes
):
    proxy = CuttableProxy(int(connection.settings_dict.get("PORT") or 5432))
    (process,) = processes(1, db_port=proxy.port)
    proxy.cut()
    # when a client connects while the database (its token, its session) cannot be read
    volunteer = ChatClient(tokens["alice"])
    with contextlib.suppress(websockets.ConnectionClosed):  # closed before its sync went out
        await volunteer.connect(process.url(conversation.pk), origin(process))
    # then it is told to come back (4503), not given an HTTP 500
    await volunteer.wait_for(lambda: not volunteer.connected, timeout=15)
    assert volunteer.ws.close_code == 4503
    # and once the database is back it connects and sends (coming back as a client does: the pool may take a
    # moment to reconnect, and until then a socket is closed with 4503 again)
    proxy.restore()
    for _attempt in range(20):
        with contextlib.suppress(websockets.ConnectionClosed):
            await volunteer.connect(process.url(conversation.pk), origin(process))
            break
        assert volunteer.ws.close_code == 4503
        await asyncio.sleep(1)
    await send_and_ack(volunteer, "c-1", "after the outage", timeout=20)
    await volunteer.close()
    proxy.cut()
