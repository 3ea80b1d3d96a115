"""What erasure removes from chat and what safeguarding keeps, at the edges, on SQLite: which conversations
are under safeguarding, which of the person's messages and read marks go, and the exact day the kept
evidence is purged."""

import datetime

import pytest
from django.utils import timezone

from accounts.models import User
from chat.models import Conversation, Message, MessageKind, ReadMark, Report
from chat.services import (
    chat_erase,
    conversations_under_safeguarding,
    message_post,
    message_report,
    read_mark,
    report_resolve,
    retained_evidence_purge,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("vocabulary")]

CONTACT_DETAILS = "write to me at alice@example.org"  # held in a minor's conversation
RETENTION = 30


def say(conversation, who, client_id, body="hello") -> Message:
    return message_post(
        conversation=conversation, sender=getattr(who, "user", who), client_id=client_id, body=body
    ).message


def user_messages(conversation) -> set[str]:
    return set(
        Message.objects.filter(conversation=conversation, kind=MessageKind.USER).values_list("client_id", flat=True)
    )


class TestUnderSafeguarding:
    def test_an_open_report_or_a_held_message_puts_a_conversation_under_it(
        self, conversation, minor_conversation, alice, bob
    ):
        everything = Conversation.objects.all()
        assert list(conversations_under_safeguarding(everything)) == []
        say(minor_conversation, alice, "h-1", CONTACT_DETAILS)  # held
        assert list(conversations_under_safeguarding(everything)) == [minor_conversation]
        reported = say(conversation, alice, "a-1", "send me a photo")
        message_report(message=reported, reporter=bob.user, reason="inappropriate")
        message_report(message=reported, reporter=bob.user, reason="again")  # two reports: listed once
        assert sorted(c.pk for c in conversations_under_safeguarding(everything)) == sorted(
            [conversation.pk, minor_conversation.pk]
        )

    def test_a_resolved_report_no_longer_does(self, conversation, alice, bob, carol):
        reported = say(conversation, alice, "a-1", "send me a photo")
        report = message_report(message=reported, reporter=bob.user, reason="inappropriate")
        report_resolve(report=report, by=carol, resolution="talked to both")
        assert list(conversations_under_safeguarding(Conversation.objects.all())) == []

    def test_it_narrows_the_conversations_it_is_given(self, conversation, minor_conversation, alice):
        say(minor_conversation, alice, "h-1", CONTACT_DETAILS)
        assert list(conversations_under_safeguarding(Conversation.objects.filter(pk=conversation.pk))) == []


class TestChatErase:
    def test_only_the_persons_own_messages_go_where_nothing_is_under_safeguarding(self, conversation, alice, bob):
        say(conversation, alice, "a-1")
        say(conversation, bob, "b-1")
        chat_erase(alice.user)
        assert user_messages(conversation) == {"b-1"}

    def test_a_conversation_under_safeguarding_keeps_all_of_them(self, minor_conversation, alice, mia):
        say(minor_conversation, alice, "h-1", CONTACT_DETAILS)
        say(minor_conversation, alice, "a-1")
        chat_erase(alice.user)
        assert user_messages(minor_conversation) == {"h-1", "a-1"}

    def test_a_message_reported_once_stays_after_its_report_is_resolved(self, conversation, alice, bob, carol):
        reported = say(conversation, alice, "a-1", "send me a photo")
        say(conversation, alice, "a-2")
        report = message_report(message=reported, reporter=bob.user, reason="inappropriate")
        report_resolve(report=report, by=carol, resolution="talked to both")
        chat_erase(alice.user)
        assert user_messages(conversation) == {"a-1"}

    def test_their_read_marks_go_and_the_others_stay(self, conversation, alice, bob):
        notice = Message.objects.get(conversation=conversation)
        read_mark(conversation=conversation, user=alice.user, up_to=notice.pk)
        read_mark(conversation=conversation, user=bob.user, up_to=notice.pk)
        chat_erase(alice.user)
        assert list(ReadMark.objects.values_list("user_id", flat=True)) == [bob.user_id]


class TestRetainedEvidencePurge:
    @pytest.fixture(autouse=True)
    def _retention(self, settings):
        settings.SAFEGUARDING_RETENTION_DAYS = RETENTION

    def kept_evidence(self, conversation, alice, bob) -> Message:
        """alice's reported message, kept by her erasure a moment ago; bob's message."""
        reported = say(conversation, alice, "a-1", "send me a photo")
        say(conversation, bob, "b-1")
        message_report(message=reported, reporter=bob.user, reason="inappropriate")
        chat_erase(alice.user)
        return reported

    def erased(self, who, at) -> None:
        User.objects.filter(pk=who.user_id).update(erased_at=at)

    def test_it_goes_the_moment_the_retention_period_is_over_not_before(self, conversation, alice, bob):
        self.kept_evidence(conversation, alice, bob)
        erased_at = timezone.now()
        self.erased(alice, erased_at)
        over = erased_at + datetime.timedelta(days=RETENTION)
        assert retained_evidence_purge(now=over) == 0
        assert user_messages(conversation) == {"a-1", "b-1"}
        assert retained_evidence_purge(now=over + datetime.timedelta(microseconds=1)) > 0
        assert user_messages(conversation) == {"b-1"}

    def test_it_counts_what_it_deleted(self, conversation, alice, bob):
        self.kept_evidence(conversation, alice, bob)
        self.erased(alice, timezone.now() - datetime.timedelta(days=RETENTION + 1))
        assert retained_evidence_purge() == 1  # messages: its report goes with it, and is not counted
        assert not Report.objects.exists()

    def test_without_a_time_it_uses_now(self, conversation, alice, bob):
        self.kept_evidence(conversation, alice, bob)
        self.erased(alice, timezone.now() - datetime.timedelta(days=RETENTION - 1))
        assert retained_evidence_purge() == 0
        self.erased(alice, timezone.now() - datetime.timedelta(days=RETENTION, seconds=1))
        assert retained_evidence_purge() > 0

    def test_people_not_erased_keep_their_messages(self, conversation, alice, bob):
        self.kept_evidence(conversation, alice, bob)
        far_future = timezone.now() + datetime.timedelta(days=10 * RETENTION)
        self.erased(alice, None)
        assert retained_evidence_purge(now=far_future) == 0
        assert user_messages(conversation) == {"a-1", "b-1"}
