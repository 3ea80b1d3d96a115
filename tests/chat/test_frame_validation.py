"""Frames a client forges (huge or negative ids, bools for ids, deep nesting, oversized frames) get an
`error` frame with code `bad_frame`; the socket stays open and nothing is stored."""

import json

import pytest

from chat.models import Message, ReadMark, Report
from tests.chat.conftest import connect
from tests.chat.test_consumer import count, send

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("vocabulary")]

HUGE = [10**30, 2**63, -(2**63) - 1, -1, True, False, 1.5, "12", None, [1], {"id": 1}, 1e308]


@pytest.mark.parametrize("value", HUGE)
async def test_a_forged_id_in_any_frame_is_a_bad_frame_and_the_socket_stays_open(conversation, alice, value):
    communicator = await connect(conversation.pk, alice)
    for frame in (
        {"type": "read", "up_to": value},
        {"type": "sync", "after": value},
        {"type": "report", "message_id": value, "reason": "spam"},
    ):
        answer = await send(communicator, frame)
        assert answer["type"] == "error", frame
        assert answer["code"] == "bad_frame", frame
    # the socket still works
    ack = await send(communicator, {"type": "message.send", "client_id": "c-1", "body": "still here"})
    assert ack["type"] in ("message.ack", "message")
    await communicator.disconnect()
    assert await count(Report) == 0
    assert await count(ReadMark, up_to__gt=10**6) == 0


async def test_the_largest_bigint_is_a_valid_id_that_simply_matches_nothing(conversation, alice):
    communicator = await connect(conversation.pk, alice)
    await communicator.send_json_to({"type": "sync", "after": 2**63 - 1})
    assert await communicator.receive_nothing(timeout=0.3)
    answer = await send(communicator, {"type": "report", "message_id": 2**63 - 1, "reason": "spam"})
    assert answer["code"] == "bad_frame"
    await communicator.disconnect()


@pytest.mark.parametrize("depth", [5, 100, 5_000, 100_000])
async def test_a_deeply_nested_frame_is_a_bad_frame(conversation, alice, depth):
    communicator = await connect(conversation.pk, alice)
    body = "[" * depth + "]" * depth
    await communicator.send_to(text_data=f'{{"type": "message.send", "client_id": "x", "body": {body}}}')
    answer = await communicator.receive_json_from(timeout=3)
    assert answer["type"] == "error"
    assert answer["code"] == "bad_frame"
    await communicator.send_to(text_data="[" * depth + "]" * depth)
    assert (await communicator.receive_json_from(timeout=3))["code"] == "bad_frame"
    assert await count(Message, client_id="x") == 0
    await communicator.disconnect()


async def test_an_oversized_frame_is_a_bad_frame(conversation, alice):
    communicator = await connect(conversation.pk, alice)
    frame = {"type": "message.send", "client_id": "big", "body": "a" * 100_000}
    answer = await send(communicator, frame)
    assert answer["code"] == "bad_frame"
    await communicator.send_to(text_data=json.dumps({"type": "typing", "pad": "x" * 200_000}))
    assert (await communicator.receive_json_from(timeout=3))["code"] == "bad_frame"
    await communicator.disconnect()
