"""The chat socket: who may connect, sending with acknowledgement, resends, sync, errors, safeguarding,
read marks, typing, reports and sockets closed when access ends."""

import asyncio

import pytest
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator

from chat.models import AccessRecord, Message, MessageStatus, Report
from config.asgi import application
from tests.chat.conftest import closed_with, connect

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("vocabulary")]


async def send(communicator, frame):
    await communicator.send_json_to(frame)
    return await communicator.receive_json_from(timeout=5)


async def receive_type(communicator, wanted: str, timeout=3):
    """The next frame of the wanted type, skipping others (e.g. the sender's own broadcast)."""
    while True:
        frame = await communicator.receive_json_from(timeout=timeout)
        if frame["type"] == wanted:
            return frame


async def count(model, **filters) -> int:
    return await database_sync_to_async(lambda: model.objects.filter(**filters).count())()


# Who may connect -----------------------------------------------------------------------------------


async def test_members_and_the_organisations_coordinators_connect(conversation, alice, bob, carol):
    for who in (alice, bob, carol):
        communicator = await connect(conversation.pk, who)
        assert await communicator.receive_nothing(timeout=0.2)
        await communicator.disconnect()
    assert await count(AccessRecord, conversation=conversation, coordinator=carol) == 1


async def test_an_anonymous_socket_is_closed_with_4401(conversation):
    communicator = await connect(conversation.pk)
    assert await closed_with(communicator) == 4401


async def test_strangers_are_closed_with_4403(conversation, victor, eve, dave, mallory):
    for who in (victor, eve, dave, mallory):
        communicator = await connect(conversation.pk, who)
        assert await closed_with(communicator) == 4403


async def test_an_unknown_conversation_is_closed_with_4404(conversation, alice):
    communicator = await connect(conversation.pk + 1000, alice)
    assert await closed_with(communicator) == 4404


async def test_a_foreign_origin_is_refused_at_the_handshake(conversation, alice):
    communicator = WebsocketCommunicator(
        application, f"/ws/conversations/{conversation.pk}/", headers=[(b"origin", b"https://evil.example")]
    )
    connected, _ = await communicator.connect()
    assert not connected


async def test_a_browser_connects_with_its_session_cookie(conversation, bob):
    from django.test import Client

    client = Client()
    await database_sync_to_async(client.force_login)(bob.user)
    cookie = f"sessionid={client.cookies['sessionid'].value}".encode()
    communicator = WebsocketCommunicator(
        application,
        f"/ws/conversations/{conversation.pk}/",
        headers=[(b"origin", b"http://testserver"), (b"cookie", cookie)],
    )
    connected, _ = await communicator.connect()
    assert connected
    assert await communicator.receive_nothing(timeout=0.2)
    await communicator.disconnect()


# Sending -------------------------------------------------------------------------------------------


async def test_a_message_is_stored_acknowledged_and_delivered_to_both(conversation, alice, bob):
    sender, receiver = await connect(conversation.pk, alice), await connect(conversation.pk, bob)
    await sender.send_json_to({"type": "message.send", "client_id": "a-1", "body": "Hello Bob!"})
    ack = await receive_type(sender, "message.ack")
    delivered = await receive_type(receiver, "message")
    echoed = await receive_type(sender, "message")
    assert ack["client_id"] == "a-1"
    assert delivered["id"] == ack["id"] == echoed["id"]
    assert delivered["body"] == "Hello Bob!"
    assert delivered["sender"] == {"id": alice.user_id, "display_name": "Alice", "role": "volunteer"}
    assert await count(Message, pk=ack["id"], body="Hello Bob!", status=MessageStatus.VISIBLE) == 1
    await sender.disconnect()
    await receiver.disconnect()


async def test_a_resent_client_id_gets_the_same_ack_and_stores_nothing_new(conversation, alice):
    communicator = await connect(conversation.pk, alice)
    first = await receive_type(await _sent(communicator, "dup-1", "Once"), "message.ack")
    again = await receive_type(await _sent(communicator, "dup-1", "Once"), "message.ack")
    assert first == again
    assert await count(Message, conversation=conversation, client_id="dup-1") == 1
    await communicator.disconnect()


async def _sent(communicator, client_id, body):
    await communicator.send_json_to({"type": "message.send", "client_id": client_id, "body": body})
    return communicator


async def test_a_reconnecting_client_gets_what_it_missed_in_order(conversation, alice, bob):
    # given bob saw the first message and then lost his connection
    sender = await connect(conversation.pk, alice)
    first = await receive_type(await _sent(sender, "m-1", "one"), "message.ack")
    for index in (2, 3, 4):
        await receive_type(await _sent(sender, f"m-{index}", f"message {index}"), "message.ack")
    # when he reconnects and syncs after the last id he saw
    receiver = await connect(conversation.pk, bob)
    await receiver.send_json_to({"type": "sync", "after": first["id"]})
    frames = [await receiver.receive_json_from(timeout=2) for _ in range(3)]
    # then he gets exactly the three he missed, in order
    assert [frame["body"] for frame in frames] == ["message 2", "message 3", "message 4"]
    assert await receiver.receive_nothing(timeout=0.2)
    await sender.disconnect()
    await receiver.disconnect()


async def test_sync_from_zero_starts_with_the_oversight_notice(conversation, bob):
    communicator = await connect(conversation.pk, bob)
    await communicator.send_json_to({"type": "sync", "after": 0})
    notice = await communicator.receive_json_from(timeout=2)
    assert notice["kind"] == "notice"
    assert "Coordinators of your organisation can read and write" in notice["body"]
    assert notice["sender"] is None
    await communicator.disconnect()


@pytest.mark.parametrize(
    ("frame", "code"),
    [
        ("not json at all", "bad_frame"),
        ('["a", "list"]', "bad_frame"),
        ('{"type": "dance"}', "bad_frame"),
        ('{"type": "message.send", "body": "no client id"}', "bad_frame"),
        ('{"type": "message.send", "client_id": "", "body": "x"}', "bad_frame"),
        ('{"type": "message.send", "client_id": "' + "x" * 65 + '", "body": "x"}', "bad_frame"),
        ('{"type": "message.send", "client_id": "c", "body": 42}', "bad_frame"),
        ('{"type": "message.send", "client_id": "c", "body": "   "}', "empty"),
        ('{"type": "message.send", "client_id": "c", "body": "' + "x" * 4001 + '"}', "too_long"),
        ('{"type": "sync", "after": "yesterday"}', "bad_frame"),
        ('{"type": "read", "up_to": -1}', "bad_frame"),
        ('{"type": "report", "message_id": 999999, "reason": "spam"}', "bad_frame"),
    ],
)
async def test_bad_frames_get_an_error_store_nothing_and_keep_the_socket_open(conversation, alice, frame, code):
    communicator = await connect(conversation.pk, alice)
    await communicator.send_to(text_data=frame)
    error = await communicator.receive_json_from(timeout=2)
    assert error["type"] == "error"
    assert error["code"] == code
    assert error["detail"]
    assert await count(Message, conversation=conversation, sender=alice.user) == 0
    # the socket still works
    ack = await receive_type(await _sent(communicator, "after-error", "still here"), "message.ack")
    assert ack["client_id"] == "after-error"
    await communicator.disconnect()


async def test_a_message_of_another_conversation_cannot_be_reported_from_here(conversation, org_a, alice, eve, carol):
    from tests.chat.conftest import approved_conversation

    other = await database_sync_to_async(approved_conversation)(org_a, alice, eve, carol)
    stranger = await connect(other.pk, alice)
    ack = await receive_type(await _sent(stranger, "x-1", "for Eve"), "message.ack")
    communicator = await connect(conversation.pk, alice)
    error = await send(communicator, {"type": "report", "message_id": ack["id"], "reason": "wrong place"})
    assert error["code"] == "bad_frame"
    assert await count(Report) == 0
    await stranger.disconnect()
    await communicator.disconnect()


async def test_sending_too_fast_is_refused_with_rate_limited(conversation, alice, settings):
    settings.CHAT_RATE_LIMIT = (3, 60)
    communicator = await connect(conversation.pk, alice)
    for index in range(3):
        await receive_type(await _sent(communicator, f"r-{index}", "hi"), "message.ack")
    error = await receive_type(await _sent(communicator, "r-3", "hi"), "error")
    assert error["code"] == "rate_limited"
    assert error["client_id"] == "r-3"
    assert await count(Message, conversation=conversation, sender=alice.user) == 3
    await communicator.disconnect()


# Safeguarding --------------------------------------------------------------------------------------


async def test_contact_details_in_a_minors_conversation_are_held_for_a_coordinator(
    minor_conversation, alice, mia, carol, api
):
    sender, receiver = await connect(minor_conversation.pk, alice), await connect(minor_conversation.pk, mia)
    await sender.send_json_to({"type": "message.send", "client_id": "h-1", "body": "Call me on 0034 612 345 678"})
    held = await receive_type(sender, "message.held")
    assert held["reason"]
    assert await receiver.receive_nothing(timeout=0.3)
    assert await count(Message, pk=held["id"], status=MessageStatus.HELD) == 1
    # when a coordinator releases it, it is delivered
    response = await database_sync_to_async(api(carol).post)(f"/api/messages/{held['id']}/release/")
    assert response.status_code == 200
    released = await receive_type(receiver, "message")
    # as a new message, after every message stored before it, with the send's client id
    assert released["id"] > held["id"]
    assert (released["client_id"], released["body"]) == ("h-1", "Call me on 0034 612 345 678")
    await sender.disconnect()
    await receiver.disconnect()


async def test_the_same_words_in_an_adults_conversation_are_delivered(conversation, alice):
    communicator = await connect(conversation.pk, alice)
    ack = await receive_type(await _sent(communicator, "p-1", "Call me on 0034 612 345 678"), "message.ack")
    assert ack["id"]
    await communicator.disconnect()


# Read marks, typing, reports, withdrawal --------------------------------------------------------------


async def test_read_marks_and_typing_reach_the_other_member(conversation, alice, bob):
    sender, receiver = await connect(conversation.pk, alice), await connect(conversation.pk, bob)
    ack = await receive_type(await _sent(sender, "t-1", "hi"), "message.ack")
    await receiver.send_json_to({"type": "read", "up_to": ack["id"]})
    assert await receive_type(sender, "read") == {"type": "read", "user_id": bob.user_id, "up_to": ack["id"]}
    await receiver.send_json_to({"type": "typing"})
    assert await receive_type(sender, "typing") == {"type": "typing", "user_id": bob.user_id}
    await sender.disconnect()
    await receiver.disconnect()


async def test_a_reported_message_stays_as_evidence_after_its_sender_withdraws_it(conversation, alice, bob, api):
    sender, receiver = await connect(conversation.pk, alice), await connect(conversation.pk, bob)
    ack = await receive_type(await _sent(sender, "w-1", "something rude"), "message.ack")
    answer = await send(receiver, {"type": "report", "message_id": ack["id"], "reason": "rude"})
    while answer["type"] != "report.received":
        answer = await receiver.receive_json_from(timeout=2)
    response = await database_sync_to_async(api(alice).post)(f"/api/messages/{ack['id']}/withdraw/")
    assert response.status_code == 200
    assert (await receive_type(receiver, "message.withdrawn"))["id"] == ack["id"]
    message = await database_sync_to_async(Message.objects.get)(pk=ack["id"])
    assert message.status == MessageStatus.WITHDRAWN
    assert message.body == "something rude"
    assert await count(Report, message_id=ack["id"]) == 1
    await sender.disconnect()
    await receiver.disconnect()


# Access ending -------------------------------------------------------------------------------------


async def test_a_paused_conversation_is_read_only_for_members(conversation, alice, carol, api):
    response = await database_sync_to_async(api(carol).post)(
        f"/api/conversations/{conversation.pk}/pause/", {"paused": True}, format="json"
    )
    assert response.status_code == 200
    communicator = await connect(conversation.pk, alice)
    error = await receive_type(await _sent(communicator, "z-1", "hello?"), "error")
    assert error["code"] == "read_only"
    await communicator.disconnect()


async def test_logging_out_closes_open_sockets_with_4409(conversation, alice):
    from accounts.services import sessions_end_all

    communicator = await connect(conversation.pk, alice)
    await database_sync_to_async(sessions_end_all)(user=alice.user)
    assert await closed_with(communicator) == 4409


async def test_ending_the_pairing_closes_members_sockets_and_refuses_later_connects(conversation, alice, bob, carol):
    from scheduling.services.pairings import pairing_end

    volunteer, coordinator = await connect(conversation.pk, alice), await connect(conversation.pk, carol)
    await database_sync_to_async(pairing_end)(
        pairing_id=conversation.pairing_id, by=carol, kind="completed", reason="CV done"
    )
    assert await closed_with(volunteer) == 4409
    assert await coordinator.receive_nothing(timeout=0.3)  # coordinators keep reading
    later = await connect(conversation.pk, bob)
    assert await closed_with(later) == 4403
    await coordinator.disconnect()


async def test_an_expired_vetting_closes_a_minors_conversation(minor_conversation, alice, carol):
    from scheduling.tasks import suspend_unvetted_pairings

    communicator = await connect(minor_conversation.pk, alice)

    def expire():
        import datetime

        from django.utils import timezone

        alice.vetting_expires_on = timezone.localdate() - datetime.timedelta(days=1)
        alice.save()
        return suspend_unvetted_pairings()

    assert await database_sync_to_async(expire)() == 1
    assert await closed_with(communicator) == 4409


async def test_messages_cross_between_two_sockets_without_loss_under_a_burst(conversation, alice, bob, settings):
    settings.CHAT_RATE_LIMIT = (100, 10)
    sender, receiver = await connect(conversation.pk, alice), await connect(conversation.pk, bob)
    for index in range(30):
        await sender.send_json_to({"type": "message.send", "client_id": f"b-{index}", "body": f"n{index}"})
    bodies = []
    while len(bodies) < 30:
        frame = await asyncio.wait_for(receiver.receive_json_from(timeout=5), 5)
        if frame["type"] == "message":
            bodies.append(frame["body"])
    assert bodies == [f"n{index}" for index in range(30)]
    await sender.disconnect()
    await receiver.disconnect()
