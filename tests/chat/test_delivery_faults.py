"""Acknowledged means delivered: each of the three ways an acknowledged message used to reach nobody,
reproduced on real daphne processes, Redis and PostgreSQL, and what the partner sees afterwards."""

import asyncio
import contextlib
import threading

import pytest
import websockets
from django.db import connection, transaction

from tests.chat.realtime import ChatClient, OwnRedis
from tests.chat.test_multiprocess import origin, processes, send_and_ack, tokens  # noqa: F401 - fixtures

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.redis,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("vocabulary"),
]


async def sees(client: ChatClient, message_ids, timeout: float = 10.0) -> bool:
    """Whether the client comes to hold every one of the ids, reconnecting (and syncing) as a contract
    client does whenever its socket closes."""
    wanted = set(message_ids)
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while loop.time() < deadline:
        if wanted <= set(client.seen):
            return True
        if not client.connected:
            await client.ensure_connected()
        await asyncio.sleep(0.05)
    return wanted <= set(client.seen)


def store_without_publishing(conversation, sender, client_id: str, body: str) -> int:
    """What a process that died between the commit and the publish leaves behind: a stored message."""
    from chat import services

    (posted,) = services.messages_store([services.Send(conversation, sender, client_id, body)])
    return posted.message.pk


async def connected_pair(conversation, tokens, first, second):  # noqa: F811
    volunteer, mentee = ChatClient(tokens["alice"]), ChatClient(tokens["bob"])
    await volunteer.connect(first.url(conversation.pk), origin(first))
    await mentee.connect(second.url(conversation.pk), origin(second))
    await asyncio.sleep(0.3)
    return volunteer, mentee


async def test_a_resent_message_its_process_stored_but_never_published_reaches_the_partner(
    conversation,
    alice,
    tokens,
    processes,  # noqa: F811
):
    # given the volunteer's process stored a message and died before publishing it
    first, second = processes(2)
    volunteer, mentee = await connected_pair(conversation, tokens, first, second)
    await asyncio.to_thread(store_without_publishing, conversation, alice.user, "orphan-1", "Stored, then died")
    # when the volunteer, unacknowledged, resends it by its client id
    acked = await send_and_ack(volunteer, "orphan-1", "Stored, then died")
    # then the partner, connected all along, receives it
    assert await sees(mentee, [acked], timeout=5)
    await volunteer.close()
    await mentee.close()


async def test_a_message_stored_but_never_published_reaches_a_partner_who_saw_a_later_one(
    conversation,
    alice,
    tokens,
    processes,  # noqa: F811
):
    # given a stored message nobody heard of (its process died), and a later message the partner sees
    first, second = processes(2)
    volunteer, mentee = await connected_pair(conversation, tokens, first, second)
    orphan = await asyncio.to_thread(store_without_publishing, conversation, alice.user, "orphan-2", "Lost?")
    later = await send_and_ack(mentee, "later-1", "A later message")
    await mentee.wait_for(lambda: later in mentee.seen)
    # when the partner reconnects and syncs after the largest id it has seen
    await mentee.close()
    await mentee.connect(second.url(conversation.pk), origin(second))
    # then it holds the earlier message too, and so does the volunteer
    assert orphan < later
    assert await sees(mentee, [orphan, later], timeout=5)
    assert await sees(volunteer, [orphan, later], timeout=5)
    await volunteer.close()
    await mentee.close()


async def test_the_first_message_after_a_redis_restart_reaches_the_partner(conversation, alice, tokens, processes):  # noqa: F811
    redis = OwnRedis()
    try:
        first, second = processes(2, redis_url=redis.url)
        volunteer, mentee = await connected_pair(conversation, tokens, first, second)
        before = await send_and_ack(volunteer, "r-0", "Before the restart")
        await mentee.wait_for(lambda: before in mentee.seen)
        # when Redis restarts and both clients are back on their processes
        redis.stop()
        await volunteer.wait_for(lambda: not volunteer.connected and not mentee.connected, timeout=10)
        redis.start()
        await asyncio.sleep(1.5)  # the processes' subscriptions come back
        await volunteer.ensure_connected()
        await mentee.ensure_connected()
        await asyncio.sleep(0.5)
        # then the first message sent, once acknowledged, reaches the partner
        after = await volunteer.send_until_acked("r-1", "After the restart")
        assert await sees(mentee, [after], timeout=5)
        await volunteer.close()
        await mentee.close()
    finally:
        redis.stop()


async def test_a_message_committed_late_is_not_skipped_by_a_partner_who_synced_meanwhile(
    conversation,
    alice,
    bob,
    tokens,
    processes,  # noqa: F811
):
    from chat import events, services

    first, second = processes(2)
    volunteer, mentee = await connected_pair(conversation, tokens, first, second)
    inserted, release = threading.Event(), threading.Event()
    slow_id: list[int] = []

    def slow_commit():
        # a send whose transaction takes long to commit (a lock wait, a slow disk), as the REST path may
        with transaction.atomic():
            (posted,) = services.messages_store([services.Send(conversation, alice.user, "slow-1", "Slow")])
            inserted.set()
            release.wait(10)
        slow_id.append(posted.message.pk)
        group, event = services.broadcast_event(posted)
        events._broadcast(group, event)
        connection.close()

    writer = threading.Thread(target=slow_commit)
    writer.start()
    try:
        await asyncio.to_thread(inserted.wait, 10)
        # when the mentee sends meanwhile, and the volunteer, having seen what it could, reconnects and syncs
        await mentee.send("fast-1", "Fast")
        with pytest.raises(TimeoutError):  # held back behind the uncommitted message, not acknowledged
            await mentee.wait_for(lambda: "fast-1" in mentee.acks, timeout=1.5)
        await volunteer.close()
        await volunteer.connect(first.url(conversation.pk), origin(first))
    finally:
        release.set()
        await asyncio.to_thread(writer.join, 10)
    # then the ids follow the commits, and the volunteer gets both messages
    fast = await mentee.send_until_acked("fast-1", "Fast")
    assert slow_id[0] < fast
    assert await sees(volunteer, [slow_id[0], fast], timeout=5)
    await volunteer.close()
    await mentee.close()


async def test_a_stopping_process_closes_its_sockets_with_4503(conversation, alice, tokens, processes):  # noqa: F811
    (process,) = processes(1)
    volunteer = ChatClient(tokens["alice"])
    await volunteer.connect(process.url(conversation.pk), origin(process))
    await asyncio.sleep(0.3)
    process.process.terminate()  # SIGTERM, as a rolling restart sends
    await volunteer.wait_for(lambda: not volunteer.connected, timeout=10)
    assert volunteer.ws.close_code == 4503
    await asyncio.to_thread(process.process.wait, 10)


async def test_while_redis_is_down_a_new_socket_is_refused_with_4503_and_no_subscription_outlives_it(
    conversation,
    alice,
    tokens,
    processes,  # noqa: F811
):
    import redis as redis_client

    redis = OwnRedis()
    try:
        (process,) = processes(1, redis_url=redis.url)
        clients = [ChatClient(tokens["alice"]) for _ in range(3)]
        for client in clients:
            await client.connect(process.url(conversation.pk), origin(process))
        await asyncio.sleep(0.3)
        redis.stop()
        for client in clients:
            await client.wait_for(lambda client=client: not client.connected, timeout=10)
        # when a client connects while Redis is down, it is told to come back, not given an HTTP 500
        late = ChatClient(tokens["alice"])
        with contextlib.suppress(websockets.ConnectionClosed):
            await late.connect(process.url(conversation.pk), origin(process))
        await late.wait_for(lambda: not late.connected, timeout=10)
        assert late.ws.close_code == 4503
        redis.start()
        await asyncio.sleep(2.5)  # the process resubscribes
        # then after the restart only the sockets open now are subscribed
        survivor = ChatClient(tokens["alice"])
        await survivor.connect(process.url(conversation.pk), origin(process))
        await asyncio.sleep(0.5)
        channels = redis_client.Redis.from_url(redis.url).pubsub_channels()
        # the survivor's own channel, its conversation's group, its user's group and its API token's group
        assert len(channels) == 4
        await survivor.close()
    finally:
        redis.stop()


async def test_while_redis_stops_answering_a_send_is_answered_within_seconds_and_acknowledged_after(
    conversation,
    alice,
    tokens,
    processes,  # noqa: F811
):
    from tests.chat.test_publish_timeout import frozen

    redis = OwnRedis()
    try:
        (process,) = processes(1, redis_url=redis.url)
        volunteer = ChatClient(tokens["alice"])
        await volunteer.connect(process.url(conversation.pk), origin(process))
        await send_and_ack(volunteer, "f-0", "Before")
        # when Redis stops answering (frozen: it takes the bytes and never replies) and the volunteer sends
        with frozen(redis):
            await volunteer.send("f-1", "While Redis is frozen")
            # then the send is answered (unavailable, or the socket closes with 4503) instead of never
            await volunteer.wait_for(
                lambda: not volunteer.connected or any(e.get("client_id") == "f-1" for e in volunteer.errors), timeout=8
            )
            assert "f-1" not in volunteer.acks
        # and once Redis answers again, the resend is acknowledged
        assert await volunteer.send_until_acked("f-1", "While Redis is frozen")
        await volunteer.close()
    finally:
        redis.stop()
