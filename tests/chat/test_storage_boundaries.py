"""Storing messages at its edges, on SQLite: what a send gets back is what was stored, a batch numbers each
conversation's messages after its last, a client id sent twice is stored once, a store that fails gives the
rate limit back and stores nothing, and the REST route refuses on the body field and broadcasts only what
members may see. The socket tests cover the same through the writer; these run under `make mutation`."""

import datetime

import pytest
from django.db import DatabaseError, connection
from django.utils import timezone
from redis.exceptions import ConnectionError as RedisConnectionError

from accounts.models import Role, User
from chat.events import conversation_group
from chat.models import Conversation, ConversationState, Message, MessageKind, MessageStatus
from chat.services import (
    ChatRefusal,
    Posted,
    Send,
    conversation_pause,
    message_post,
    messages_store,
    rate_limit,
    storage,
    validate_message,
)
from safeguarding.models import Action, Entry

# PostgreSQL also locks the conversations' rows (one SELECT ... FOR NO KEY UPDATE); SQLite has no row locks.
ROW_LOCK = int(connection.vendor == "postgresql")

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("vocabulary")]

CONTACT_DETAILS = "write to me at alice@example.org"  # held in a minor's conversation


def told_why(refusal: ChatRefusal) -> bool:
    """A refusal says what was wrong, not only the generic 'could not be done'."""
    return bool(refusal.message) and refusal.message != ChatRefusal.default_message


def codes(results) -> list[str]:
    return ["ok" if isinstance(result, Posted) else result.code for result in results]


def row(message: Message) -> tuple:
    return (
        message.pk,
        message.seq,
        message.conversation_id,
        message.sender_id,
        message.client_id,
        message.kind,
        message.body,
        message.status,
        message.held_reason,
        message.created_at,
    )


@pytest.fixture
def frozen(monkeypatch):
    """The chat's clock stands still at the start of a rate window, so no count expires during a test."""
    start = datetime.datetime(2026, 3, 2, 12, 0, 0, tzinfo=datetime.UTC)
    monkeypatch.setattr(timezone, "now", lambda: start)


@pytest.fixture
def broadcast(monkeypatch):
    """What message_post hands to the sockets' groups (after commit), as (group, event) pairs."""
    events: list = []
    monkeypatch.setattr(storage, "send_after_commit", lambda group, event: events.append((group, event)))
    return events


class TestWhatASendGetsBack:
    def test_the_message_returned_is_the_row_stored(self, conversation, alice):
        (posted,) = messages_store([Send(conversation, alice.user, "c-1", "Hello Bob")])
        assert posted.created is True
        stored = Message.objects.get(client_id="c-1")
        assert row(posted.message) == row(stored)
        assert (stored.kind, stored.status, stored.held_reason, stored.body) == (
            MessageKind.USER,
            MessageStatus.VISIBLE,
            "",
            "Hello Bob",
        )

    def test_a_held_message_is_returned_and_stored_held_with_its_reason(self, minor_conversation, alice):
        (posted,) = messages_store([Send(minor_conversation, alice.user, "h-1", CONTACT_DETAILS)])
        stored = Message.objects.get(client_id="h-1")
        assert row(posted.message) == row(stored)
        assert stored.status == MessageStatus.HELD
        assert stored.held_reason

    def test_a_hold_is_logged_once_however_often_it_is_resent(self, minor_conversation, alice):
        sends = [
            Send(minor_conversation, alice.user, "h-1", CONTACT_DETAILS),
            Send(minor_conversation, alice.user, "v-1", "hi"),
        ]
        messages_store(sends)
        messages_store(sends)
        held = Message.objects.get(client_id="h-1")
        assert list(Entry.objects.filter(action=Action.MESSAGE_HELD).values_list("object_id", flat=True)) == [held.pk]

    @pytest.mark.parametrize("who", ["alice", "bob"])  # whichever of them has the conversation's id as user id
    def test_a_resend_gets_the_stored_message_not_created_again(self, conversation, who, request):
        user = request.getfixturevalue(who).user
        (first,) = messages_store([Send(conversation, user, "c-1", "Hello")])
        (again,) = messages_store([Send(conversation, user, "c-1", "Hello")])
        assert (again.created, row(again.message)) == (False, row(first.message))
        assert again.message.sender == user
        assert Message.objects.filter(client_id="c-1").count() == 1

    def test_a_client_id_sent_twice_in_one_batch_is_stored_once(self, conversation, alice):
        results = messages_store(
            [Send(conversation, alice.user, "twice", "first"), Send(conversation, alice.user, "twice", "first")]
        )
        stored = Message.objects.get(client_id="twice")
        assert [(r.created, r.message.pk) for r in results] == [(True, stored.pk), (False, stored.pk)]
        assert Message.objects.filter(client_id="twice").count() == 1

    def test_another_sender_may_use_the_same_client_id(self, conversation, alice, bob):
        results = messages_store(
            [Send(conversation, alice.user, "same", "mine"), Send(conversation, bob.user, "same", "mine")]
        )
        assert [(r.created, r.message.sender_id) for r in results] == [(True, alice.user.pk), (True, bob.user.pk)]
        assert Message.objects.filter(client_id="same").count() == 2

    def test_each_conversation_is_numbered_after_its_last_message(self, conversation, minor_conversation, alice):
        # the oversight notice is each conversation's first message (seq 1)
        results = messages_store(
            [
                Send(conversation, alice.user, "a-1", "one"),
                Send(minor_conversation, alice.user, "m-1", "one"),
                Send(conversation, alice.user, "a-2", "two"),
            ]
        )
        assert [(r.message.conversation_id, r.message.seq) for r in results] == [
            (conversation.pk, 2),
            (minor_conversation.pk, 2),
            (conversation.pk, 3),
        ]
        # ids and seqs differ here (each conversation's notice took an id): each send gets its row's id
        assert [r.message.pk for r in results] == [Message.objects.get(client_id=c).pk for c in ("a-1", "m-1", "a-2")]
        (later,) = messages_store([Send(conversation, alice.user, "a-3", "three")])
        assert later.message.seq == 4
        assert list(
            Message.objects.filter(conversation=conversation).order_by("seq").values_list("seq", flat=True)
        ) == [
            1,
            2,
            3,
            4,
        ]

    def test_a_resend_of_a_released_message_gets_the_message_that_shows_it(self, minor_conversation, alice, carol):
        from chat.services import message_review

        (held,) = messages_store([Send(minor_conversation, alice.user, "h-1", CONTACT_DETAILS)])
        shown = message_review(message=held.message, by=carol, release=True)
        (again,) = messages_store([Send(minor_conversation, alice.user, "h-1", CONTACT_DETAILS)])
        assert (again.created, again.message.pk, again.message.status) == (False, shown.pk, MessageStatus.VISIBLE)
        assert Message.objects.filter(client_id="h-1").count() == 2

    def test_a_batch_of_new_messages_costs_no_query_to_find_stored_ones(
        self, conversation, alice, django_assert_num_queries
    ):
        sends = [Send(conversation, alice.user, f"q-{i}", f"message {i}") for i in range(3)]
        with django_assert_num_queries(3 + ROW_LOCK):  # the INSERT, in its savepoint
            messages_store(sends)
        with django_assert_num_queries(4 + ROW_LOCK):  # the INSERT stores nothing: one more to find what was stored
            messages_store(sends)


class TestWhoMayWrite:
    def test_a_coordinator_may_write_in_a_paused_conversation_and_its_members_may_not(
        self, conversation, alice, bob, carol
    ):
        conversation_pause(conversation=conversation, by=carol, paused=True)
        sends = [
            Send(conversation, alice.user, "v", "still there?"),
            Send(conversation, bob.user, "m", "yes"),
            Send(conversation, carol, "c", "Let us all calm down."),
        ]
        assert codes(messages_store(sends)) == ["read_only", "read_only", "ok"]
        assert list(Message.objects.filter(kind=MessageKind.USER).values_list("client_id", flat=True)) == ["c"]

    def test_nobody_writes_in_a_suspended_conversation(self, conversation, alice, carol):
        Conversation.objects.filter(pk=conversation.pk).update(state=ConversationState.SUSPENDED)
        sends = [Send(conversation, alice.user, "v", "hello"), Send(conversation, carol, "c", "hello")]
        assert codes(messages_store(sends)) == ["read_only", "read_only"]
        assert not Message.objects.filter(kind=MessageKind.USER).exists()


class TestWhenStorageFails:
    def test_while_the_rate_counters_are_unreachable_nothing_is_stored_and_malformed_sends_keep_their_refusal(
        self, conversation, alice, monkeypatch
    ):
        def unreachable(*args, **kwargs):
            raise RedisConnectionError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

        monkeypatch.setattr(rate_limit, "rate_refusals", unreachable)
        results = messages_store(
            [Send(conversation, alice.user, "", "no client id"), Send(conversation, alice.user, "ok", "hi")]
        )
        assert codes(results) == ["bad_frame", "unavailable"]
        assert not Message.objects.filter(kind=MessageKind.USER).exists()

    @pytest.mark.usefixtures("frozen")
    def test_a_failed_insert_is_raised_and_gives_back_what_it_counted(self, conversation, alice, settings, monkeypatch):
        settings.CHAT_RATE_LIMIT = (3, 60)

        def storage_down(*args, **kwargs):
            raise DatabaseError("server closed the connection unexpectedly")

        with monkeypatch.context() as patched:
            patched.setattr(storage, "_insert", storage_down)
            for attempt in range(4):
                with pytest.raises(DatabaseError):
                    messages_store([Send(conversation, alice.user, f"try-{attempt}", "hello")])
        sends = [Send(conversation, alice.user, f"c-{i}", "hello") for i in range(4)]
        assert codes(messages_store(sends)) == ["ok", "ok", "ok", "rate_limited"]

    def test_a_failed_look_up_of_resent_messages_answers_them_unavailable_and_keeps_what_was_inserted(
        self, conversation, alice, monkeypatch
    ):
        messages_store([Send(conversation, alice.user, "old", "sent before")])

        class Unreachable:
            def filter(self, *args, **kwargs):
                raise DatabaseError("server closed the connection unexpectedly")

        monkeypatch.setattr(storage.Message, "objects", Unreachable())
        results = messages_store(
            [Send(conversation, alice.user, "old", "sent before"), Send(conversation, alice.user, "new", "hi")]
        )
        monkeypatch.undo()
        assert codes(results) == ["unavailable", "ok"]
        assert results[1].created is True
        assert set(Message.objects.filter(kind=MessageKind.USER).values_list("client_id", flat=True)) == {"old", "new"}


@pytest.mark.django_db(transaction=True)
class TestWhenARowIsGone:
    """On SQLite the foreign keys are checked at commit: only a test whose store commits sees them."""

    @pytest.mark.usefixtures("frozen")
    def test_a_sender_whose_account_is_gone_is_refused_and_the_rest_of_the_batch_is_stored(
        self, conversation, alice, settings
    ):
        settings.CHAT_RATE_LIMIT = (2, 60)
        gone = User(pk=10**6, email="gone@example.org", role=Role.VOLUNTEER)
        results = messages_store(
            [Send(conversation, gone, "g-1", "hello"), Send(conversation, alice.user, "a-1", "hello")]
        )
        assert codes(results) == ["read_only", "ok"]
        assert list(Message.objects.filter(kind=MessageKind.USER).values_list("client_id", flat=True)) == ["a-1"]
        # alice's first try in the failed batch was given back: two more fit her limit of two, not one
        assert codes(messages_store([Send(conversation, alice.user, f"a-{i}", "hi") for i in (2, 3, 4)])) == [
            "ok",
            "rate_limited",
            "rate_limited",
        ]

    def test_a_single_send_from_a_sender_who_is_gone_is_refused(self, conversation):
        gone = User(pk=10**6, email="gone@example.org", role=Role.VOLUNTEER)
        results = messages_store([Send(conversation, gone, "g-1", "hello")])
        assert codes(results) == ["read_only"]
        assert told_why(results[0])
        assert not Message.objects.filter(kind=MessageKind.USER).exists()


class TestValidation:
    @pytest.mark.parametrize("client_id", [None, 7, ["c"], b"c"])
    def test_a_client_id_that_is_not_a_string_is_refused(self, client_id):
        with pytest.raises(ChatRefusal) as refused:
            validate_message(client_id, "hi")
        assert refused.value.code == "bad_frame"

    def test_a_one_character_client_id_is_accepted(self):
        assert validate_message("c", "hi") == ("c", "hi")

    @pytest.mark.parametrize("body", [None, 7, ["hi"], b"hi"])
    def test_a_body_that_is_not_a_string_is_refused(self, body):
        with pytest.raises(ChatRefusal) as refused:
            validate_message("c", body)
        assert refused.value.code == "bad_frame"

    @pytest.mark.parametrize("body", ["", " ", "\n\t "])
    def test_a_blank_body_is_refused_as_empty(self, body):
        with pytest.raises(ChatRefusal) as refused:
            validate_message("c", body)
        assert refused.value.code == "empty"

    def test_a_body_with_one_visible_character_is_accepted(self):
        assert validate_message("c", " . ") == ("c", " . ")

    def test_a_batch_of_malformed_sends_only_stores_nothing(self, conversation, alice):
        results = messages_store([Send(conversation, alice.user, "c", ""), Send(conversation, alice.user, 5, "hi")])
        assert codes(results) == ["empty", "bad_frame"]
        assert not Message.objects.filter(kind=MessageKind.USER).exists()


class TestMessagePost:
    def test_a_refusal_is_on_the_body_field(self, conversation, alice, broadcast):
        with pytest.raises(ChatRefusal) as refused:
            message_post(conversation=conversation, sender=alice.user, client_id="c", body=" ")
        assert (refused.value.code, refused.value.field) == ("empty", "body")
        assert broadcast == []

    def test_a_visible_message_is_broadcast_to_its_conversation(self, conversation, alice, broadcast):
        posted = message_post(conversation=conversation, sender=alice.user, client_id="c", body="Hello")
        assert [(group, event["type"], event["message"]["id"]) for group, event in broadcast] == [
            (conversation_group(conversation.pk), "chat.message", posted.message.pk)
        ]

    def test_a_resend_is_announced_again_with_one_query_to_find_it_and_its_sender(
        self, conversation, alice, broadcast, django_assert_num_queries
    ):
        first = message_post(conversation=conversation, sender=alice.user, client_id="c", body="Hello").message
        with django_assert_num_queries(4 + ROW_LOCK):  # the INSERT in its savepoint, then the look-up
            again = message_post(conversation=conversation, sender=alice.user, client_id="c", body="Hello")
        assert (again.created, again.message.pk) == (False, first.pk)
        assert [event["message"]["sender"]["id"] for _group, event in broadcast] == [alice.user.pk, alice.user.pk]

    def test_a_held_message_is_not_broadcast(self, minor_conversation, alice, broadcast):
        posted = message_post(conversation=minor_conversation, sender=alice.user, client_id="h", body=CONTACT_DETAILS)
        assert posted.message.status == MessageStatus.HELD
        assert broadcast == []


class TestEveryRefusalSaysWhy:
    @pytest.mark.parametrize(
        ("client_id", "body"), [("x" * 65, "hi"), ("c", 7), ("c", "a\x00b"), ("c", " "), ("c", "b" * 4001)]
    )
    def test_a_malformed_send(self, client_id, body):
        with pytest.raises(ChatRefusal) as refused:
            validate_message(client_id, body)
        assert told_why(refused.value)

    @pytest.mark.usefixtures("frozen")
    def test_over_the_limit_and_in_a_closed_conversation(self, conversation, alice, carol, settings):
        settings.CHAT_RATE_LIMIT = (1, 60)
        (_first, over) = messages_store([Send(conversation, alice.user, f"a-{i}", "hi") for i in (1, 2)])
        settings.CHAT_RATE_LIMIT = (10, 60)
        conversation_pause(conversation=conversation, by=carol, paused=True)
        (closed,) = messages_store([Send(conversation, alice.user, "a-3", "hi")])
        assert (over.code, closed.code) == ("rate_limited", "read_only")
        assert told_why(over)
        assert told_why(closed)

    def test_while_storage_is_unavailable(self, conversation, alice, monkeypatch):
        def unreachable(*args, **kwargs):
            raise RedisConnectionError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

        monkeypatch.setattr(rate_limit, "rate_refusals", unreachable)
        (refusal,) = messages_store([Send(conversation, alice.user, "c", "hi")])
        assert refusal.code == "unavailable"
        assert told_why(refusal)
