"""Delivery in one process (SQLite or PostgreSQL, in-memory layer): messages numbered in their order,
gaps filled from storage, no ack without a publish, unavailable rather than a crash when the rate
counters are unreachable, resends that do not count against the rate limit, and sockets closed with
4503 on shutdown."""

import pytest
from channels.db import database_sync_to_async
from channels.layers import get_channel_layer
from django.db import DatabaseError
from redis.exceptions import ConnectionError as RedisConnectionError

from chat import consumers, services
from chat.models import Message
from chat.services import rate_limit, storage
from tests.chat.conftest import closed_with, connect
from tests.chat.test_consumer import receive_type

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("vocabulary")]


async def synced(conversation, who, after=0):
    communicator = await connect(conversation.pk, who)
    await communicator.send_json_to({"type": "sync", "after": after})
    return communicator


async def sent(communicator, client_id, body="Hello"):
    await communicator.send_json_to({"type": "message.send", "client_id": client_id, "body": body})


async def messages_until(communicator, wanted_body, timeout=3):
    bodies = []
    while wanted_body not in bodies:
        bodies.append((await receive_type(communicator, "message", timeout))["body"])
    return bodies


async def test_it_numbers_a_conversations_messages_in_the_order_of_their_ids(conversation, alice, bob):
    volunteer = await synced(conversation, alice)
    for index in range(5):
        await sent(volunteer, f"n-{index}")
        await receive_type(volunteer, "message.ack")
    rows = await database_sync_to_async(
        lambda: list(Message.objects.filter(conversation=conversation).order_by("id").values_list("seq", flat=True))
    )()
    assert rows == [1, 2, 3, 4, 5, 6]  # the oversight notice, then the five
    await volunteer.disconnect()


async def test_a_partner_gets_a_message_that_was_stored_but_never_announced_before_the_next_one(
    conversation, alice, bob
):
    mentee = await synced(conversation, bob)
    await messages_until(mentee, services.OVERSIGHT_NOTICE)
    # a message whose process died between the commit and the publish
    await database_sync_to_async(services.messages_store)(
        [services.Send(conversation, alice.user, "orphan", "Never announced")]
    )
    volunteer = await synced(conversation, alice)
    await sent(volunteer, "next", "Announced")
    assert await messages_until(mentee, "Announced") == ["Never announced", "Announced"]
    await volunteer.disconnect()
    await mentee.disconnect()


async def test_a_resend_announces_its_stored_message_again_and_a_socket_passes_it_on_once(conversation, alice, bob):
    mentee = await synced(conversation, bob)
    await messages_until(mentee, services.OVERSIGHT_NOTICE)
    await database_sync_to_async(services.messages_store)(
        [services.Send(conversation, alice.user, "orphan", "Never announced")]
    )
    volunteer = await synced(conversation, alice)
    for _ in range(2):
        await sent(volunteer, "orphan", "Never announced")
        await receive_type(volunteer, "message.ack")
    assert await messages_until(mentee, "Never announced") == ["Never announced"]
    assert await mentee.receive_nothing(timeout=0.3)
    await volunteer.disconnect()
    await mentee.disconnect()


async def test_a_message_that_could_not_be_published_is_not_acknowledged_and_the_socket_closes_with_4503(
    conversation, alice, bob, monkeypatch
):
    volunteer = await synced(conversation, alice)
    await messages_until(volunteer, services.OVERSIGHT_NOTICE)
    layer = get_channel_layer()  # in memory, or Redis when REDIS_URL is set
    original = layer.group_send

    async def failing(group, message):
        if message["type"] == "chat.message":
            raise RedisConnectionError("Redis went away")
        return await original(group, message)

    monkeypatch.setattr(layer, "group_send", failing)
    await sent(volunteer, "unsure")
    assert await closed_with(volunteer) == 4503
    monkeypatch.setattr(layer, "group_send", original)
    # the client reconnects and resends: the stored message is acknowledged and announced
    volunteer = await synced(conversation, alice, after=0)
    await sent(volunteer, "unsure")
    ack = await receive_type(volunteer, "message.ack")
    assert await count_stored(conversation, "unsure") == 1
    assert ack["client_id"] == "unsure"
    await volunteer.disconnect()


async def count_stored(conversation, client_id) -> int:
    return await database_sync_to_async(
        lambda: Message.objects.filter(conversation=conversation, client_id=client_id).count()
    )()


async def test_while_the_rate_counters_are_unreachable_a_send_gets_unavailable_and_the_socket_stays_open(
    conversation, alice, monkeypatch
):
    volunteer = await synced(conversation, alice)

    def unreachable(*args, **kwargs):
        raise RedisConnectionError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(rate_limit, "rate_refusals", unreachable)
    await sent(volunteer, "while-down")
    error = await receive_type(volunteer, "error")
    assert (error["code"], error["client_id"]) == ("unavailable", "while-down")
    assert await count_stored(conversation, "while-down") == 0
    monkeypatch.undo()
    await sent(volunteer, "while-down")
    assert (await receive_type(volunteer, "message.ack"))["client_id"] == "while-down"
    await volunteer.disconnect()


async def test_resends_after_unavailable_do_not_count_against_the_rate_limit(
    conversation, alice, settings, monkeypatch
):
    settings.CHAT_RATE_LIMIT = (3, 60)
    volunteer = await synced(conversation, alice)
    original = storage._insert

    def storage_down(*args, **kwargs):
        raise DatabaseError("server closed the connection unexpectedly")

    monkeypatch.setattr(storage, "_insert", storage_down)
    for _ in range(5):
        await sent(volunteer, "retry-me")
        assert (await receive_type(volunteer, "error"))["code"] == "unavailable"
    monkeypatch.setattr(storage, "_insert", original)
    for client_id in ("retry-me", "fresh-1", "fresh-2"):  # the client's three sends of the window are its own
        await sent(volunteer, client_id)
        assert (await receive_type(volunteer, "message.ack"))["client_id"] == client_id
    await volunteer.disconnect()


async def test_shutting_down_closes_every_socket_with_4503(conversation, alice, bob):
    volunteer, mentee = await synced(conversation, alice), await synced(conversation, bob)
    await messages_until(volunteer, services.OVERSIGHT_NOTICE)
    await messages_until(mentee, services.OVERSIGHT_NOTICE)
    assert await consumers.close_open_sockets(grace=0.5) == 2
    assert await closed_with(volunteer) == 4503
    assert await closed_with(mentee) == 4503


async def test_a_member_who_synced_past_a_held_message_gets_it_through_sync_once_released(
    minor_conversation, alice, mia, carol
):
    # given a held message, and a later one the minor has seen
    volunteer, mentee = await synced(minor_conversation, alice), await synced(minor_conversation, mia)
    await sent(volunteer, "held-1", "Call me on 0034 612 345 678")
    held = await receive_type(volunteer, "message.held")
    await sent(volunteer, "later-1", "See you on Thursday")
    later = (await receive_type(volunteer, "message.ack"))["id"]
    assert await messages_until(mentee, "See you on Thursday")
    await mentee.disconnect()
    # when a coordinator releases the held message while the minor is away
    shown = await database_sync_to_async(
        lambda: services.message_review(message=Message.objects.get(pk=held["id"]), by=carol, release=True)
    )()
    # then the minor, syncing after the largest id it saw, gets it
    mentee = await synced(minor_conversation, mia, after=later)
    frame = await receive_type(mentee, "message")
    assert (frame["id"], frame["client_id"], frame["body"]) == (shown.pk, "held-1", "Call me on 0034 612 345 678")
    assert frame["id"] > later
    # and a resend of its client id is answered with the message that shows it, storing nothing new
    await sent(volunteer, "held-1", "Call me on 0034 612 345 678")
    assert (await receive_type(volunteer, "message.ack"))["id"] == shown.pk
    assert await database_sync_to_async(Message.objects.filter(client_id="held-1").count)() == 2
    await volunteer.disconnect()
    await mentee.disconnect()


async def test_a_socket_opened_while_the_database_is_unreachable_is_closed_with_4503_not_refused_with_500(
    conversation, alice, monkeypatch
):
    from django.db import OperationalError

    from chat import auth

    async def unreachable(key):
        raise OperationalError("connection failed: Connection refused")

    monkeypatch.setattr(auth, "_user_for_token", unreachable)  # who holds the token is read from the database
    communicator = await connect(conversation.pk, alice)
    assert await closed_with(communicator) == 4503
