"""A chat message has one shape, built in one place (services.message_payload): the socket's frames, live
and through sync, and the REST API answer alike, down to the timestamp's format and the notices' language."""

import re

import pytest
from channels.db import database_sync_to_async
from django.utils import translation

from chat.models import Message, MessageKind
from chat.serializers import MessageSerializer, ModerationMessageSerializer
from chat.services import OVERSIGHT_NOTICE, message_payload
from tests.chat.conftest import connect
from tests.chat.test_consumer import receive_type

pytestmark = pytest.mark.usefixtures("vocabulary")

ISO_UTC = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$")


def without_type(frame: dict) -> dict:
    return {key: value for key, value in frame.items() if key != "type"}


@pytest.mark.django_db(transaction=True)
async def test_the_socket_frames_and_the_rest_answer_for_the_same_message_are_equal(conversation, alice, bob, api):
    # given bob listens while alice sends
    receiver, sender = await connect(conversation.pk, bob), await connect(conversation.pk, alice)
    await sender.send_json_to({"type": "message.send", "client_id": "shape-1", "body": "Hello Bob, ça va?"})
    ack = await receive_type(sender, "message.ack")
    live = await receive_type(receiver, "message")
    # when bob syncs from the start on another socket, and reads the history over REST
    syncing = await connect(conversation.pk, bob)
    await syncing.send_json_to({"type": "sync", "after": 0})
    notice_frame, synced = await receive_type(syncing, "message"), await receive_type(syncing, "message")
    history = await database_sync_to_async(
        lambda: api(bob).get(f"/api/conversations/{conversation.pk}/messages/").json()["results"]
    )()
    # then every route gives the same message, with a timestamp in ISO 8601 UTC with a Z
    rest_message, rest_notice = history
    assert without_type(live) == without_type(synced) == rest_message
    assert without_type(notice_frame) == rest_notice
    assert ISO_UTC.match(rest_message["created_at"])
    assert ISO_UTC.match(rest_notice["created_at"])
    assert ack["created_at"] == rest_message["created_at"]
    await sender.disconnect()
    await receiver.disconnect()
    await syncing.disconnect()


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["en", "ar", "fr"])
def test_a_notice_is_shown_in_the_readers_language_by_the_builder_and_the_serializers(conversation, language):
    notice = Message.objects.select_related("sender").get(conversation=conversation, kind=MessageKind.NOTICE)
    with translation.override(language):
        payload = message_payload(notice)
        assert payload["body"] == translation.gettext(notice.body)
        assert MessageSerializer(notice).data == payload
        assert {key: ModerationMessageSerializer(notice).data[key] for key in payload} == payload


@pytest.mark.django_db
def test_only_notices_go_through_gettext_a_users_words_are_shown_as_written(conversation, alice, monkeypatch):
    from chat.services import message_post, payloads

    message = message_post(
        conversation=conversation, sender=alice.user, client_id="as-is", body=OVERSIGHT_NOTICE
    ).message  # a user who copies the notice's words
    notice = Message.objects.get(conversation=conversation, kind=MessageKind.NOTICE)
    monkeypatch.setattr(payloads, "gettext", lambda text: f"<{text}>")
    assert MessageSerializer(notice).data["body"] == f"<{OVERSIGHT_NOTICE}>"
    assert MessageSerializer(message).data["body"] == message_payload(message)["body"] == OVERSIGHT_NOTICE


@pytest.mark.django_db
def test_the_moderation_serializer_adds_its_fields_to_the_same_shape(conversation, alice):
    from chat.services import message_post

    message = message_post(conversation=conversation, sender=alice.user, client_id="mod-1", body="Hi").message
    data = ModerationMessageSerializer(message).data
    assert list(data) == [
        "id",
        "client_id",
        "kind",
        "sender",
        "body",
        "created_at",
        "conversation",
        "status",
        "held_reason",
        "reviewed_at",
        "withdrawn_at",
    ]
    assert (data["conversation"], data["status"], data["reviewed_at"]) == (conversation.pk, "visible", None)
