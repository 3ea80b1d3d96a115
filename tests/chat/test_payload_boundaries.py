"""A message's shape down to each field, on SQLite: what every client receives for a user's message and for
a platform notice, the timestamp's exact text, and which messages are announced to the conversation."""

import datetime

import pytest
from django.utils import translation

from chat.events import conversation_group
from chat.models import Message, MessageKind, MessageStatus
from chat.services import (
    OVERSIGHT_NOTICE,
    Posted,
    broadcast_event,
    message_event,
    message_payload,
    message_post,
    message_withdraw,
    timestamp,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("vocabulary")]

PLUS_TWO = datetime.timezone(datetime.timedelta(hours=2))


class TestTimestamp:
    def test_it_is_written_in_utc_with_a_z(self):
        moment = datetime.datetime(2026, 12, 2, 20, 36, 56, 123456, tzinfo=PLUS_TWO)
        assert timestamp(moment) == "2026-12-02T18:36:56.123456Z"

    def test_it_is_utc_whatever_the_servers_time_zone(self, settings):
        settings.TIME_ZONE = "Asia/Nicosia"  # Django sets the process's time zone from it
        moment = datetime.datetime(2026, 7, 2, 18, 36, 56, tzinfo=datetime.UTC)
        assert timestamp(moment) == "2026-07-02T18:36:56Z"

    def test_a_whole_second_has_no_fraction(self):
        assert timestamp(datetime.datetime(2026, 12, 2, 0, 0, 0, tzinfo=datetime.UTC)) == "2026-12-02T00:00:00Z"


class TestPayload:
    def test_a_users_message_carries_its_sender(self, conversation, alice):
        message = message_post(conversation=conversation, sender=alice.user, client_id="c-1", body="Hello").message
        message.created_at = datetime.datetime(2026, 12, 2, 18, 36, 56, tzinfo=datetime.UTC)
        assert message_payload(message) == {
            "id": message.pk,
            "client_id": "c-1",
            "kind": MessageKind.USER,
            "sender": {"id": alice.user.pk, "display_name": "Alice", "role": "volunteer"},
            "body": "Hello",
            "created_at": "2026-12-02T18:36:56Z",
        }

    def test_a_sender_given_is_shown_instead_of_a_look_up(self, conversation, alice, carol):
        message = message_post(conversation=conversation, sender=alice.user, client_id="c-1", body="Hello").message
        assert message_payload(message, sender=carol)["sender"] == {
            "id": carol.pk,
            "display_name": carol.display_name,
            "role": "coordinator",
        }

    def test_a_notice_has_no_sender_and_is_shown_in_the_readers_language(self, conversation):
        notice = Message.objects.get(conversation=conversation, kind=MessageKind.NOTICE)
        with translation.override("fr"):
            payload = message_payload(notice)
            shown = translation.gettext(OVERSIGHT_NOTICE)
        assert shown != OVERSIGHT_NOTICE  # the French catalogue has it
        assert (payload["sender"], payload["kind"], payload["body"], payload["client_id"]) == (
            None,
            MessageKind.NOTICE,
            shown,
            "oversight-notice",
        )

    def test_the_event_carries_the_payload_and_the_seq(self, conversation, alice):
        message = message_post(conversation=conversation, sender=alice.user, client_id="c-1", body="Hello").message
        assert message_event(message) == {"type": "chat.message", "message": message_payload(message), "seq": 2}


class TestBroadcast:
    def test_a_visible_message_is_announced_to_its_conversation(self, conversation, alice):
        posted = message_post(conversation=conversation, sender=alice.user, client_id="c-1", body="Hello")
        assert broadcast_event(posted) == (conversation_group(conversation.pk), message_event(posted.message))

    def test_a_resent_message_is_announced_again(self, conversation, alice):
        posted = message_post(conversation=conversation, sender=alice.user, client_id="c-1", body="Hello")
        again = Posted(posted.message, created=False)
        assert broadcast_event(again) == (conversation_group(conversation.pk), message_event(posted.message))

    def test_held_and_withdrawn_messages_are_not_announced(self, minor_conversation, alice):
        held = message_post(
            conversation=minor_conversation, sender=alice.user, client_id="h-1", body="write to me at alice@example.org"
        )
        assert held.message.status == MessageStatus.HELD
        visible = message_post(conversation=minor_conversation, sender=alice.user, client_id="v-1", body="Hi")
        withdrawn = message_withdraw(message=visible.message, by=alice.user)
        assert (broadcast_event(held), broadcast_event(Posted(withdrawn, created=True))) == (None, None)
