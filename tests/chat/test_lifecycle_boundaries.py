"""A conversation follows its pairing, on SQLite: approval opens it once with the oversight notice, each
later change sets its state, ending and suspending close the members' sockets, resuming closes none; a
log-out and a revoked token close exactly their sockets."""

import pytest

from chat.events import conversation_group, token_group, user_group
from chat.models import Conversation, ConversationState, Message, MessageKind
from chat.services import (
    OVERSIGHT_NOTICE,
    conversation_follow_pairing,
    lifecycle,
    token_sockets_close,
    user_sockets_close,
)
from common.events import PairingChange
from scheduling.models import Pairing

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("vocabulary")]


@pytest.fixture
def closed(monkeypatch):
    """What the lifecycle hands to the sockets' groups (after commit), as (group, event) pairs."""
    events: list = []
    monkeypatch.setattr(lifecycle, "send_after_commit", lambda group, event: events.append((group, event)))
    return events


def state(conversation) -> str:
    conversation.refresh_from_db()
    return conversation.state


class TestApproval:
    def test_it_opens_the_conversation_in_the_pairings_organisation_with_the_notice_first(self, conversation):
        pairing = conversation.pairing
        assert (conversation.organisation_id, conversation.state) == (pairing.organisation_id, ConversationState.OPEN)
        (notice,) = Message.objects.filter(conversation=conversation)
        assert (notice.kind, notice.client_id, notice.body, notice.seq, notice.sender_id) == (
            MessageKind.NOTICE,
            "oversight-notice",
            OVERSIGHT_NOTICE,
            1,
            None,
        )

    def test_approving_again_adds_no_second_conversation_or_notice(self, conversation, closed):
        conversation_follow_pairing(pairing=conversation.pairing, change=PairingChange.APPROVED)
        assert Conversation.objects.filter(pairing=conversation.pairing).count() == 1
        assert Message.objects.filter(conversation=conversation).count() == 1
        assert closed == []


class TestLaterChanges:
    def test_ending_makes_it_read_only_and_closes_both_members_sockets(self, conversation, alice, bob, closed):
        conversation_follow_pairing(pairing=conversation.pairing, change=PairingChange.ENDED)
        assert state(conversation) == ConversationState.READ_ONLY
        assert closed == [
            (conversation_group(conversation.pk), {"type": "access.revoked", "user_ids": [alice.user_id, bob.user_id]})
        ]

    def test_suspending_suspends_it_and_closes_both_members_sockets(self, conversation, alice, bob, closed):
        conversation_follow_pairing(pairing=conversation.pairing, change=PairingChange.SUSPENDED)
        assert state(conversation) == ConversationState.SUSPENDED
        assert closed == [
            (conversation_group(conversation.pk), {"type": "access.revoked", "user_ids": [alice.user_id, bob.user_id]})
        ]

    def test_resuming_reopens_it_and_closes_nothing(self, conversation, closed):
        conversation_follow_pairing(pairing=conversation.pairing, change=PairingChange.SUSPENDED)
        closed.clear()
        conversation_follow_pairing(pairing=conversation.pairing, change=PairingChange.RESUMED)
        assert state(conversation) == ConversationState.OPEN
        assert closed == []

    def test_only_its_own_conversation_changes(self, conversation, minor_conversation, closed):
        conversation_follow_pairing(pairing=conversation.pairing, change=PairingChange.ENDED)
        assert (state(conversation), state(minor_conversation)) == (ConversationState.READ_ONLY, ConversationState.OPEN)

    def test_a_pairing_never_approved_has_no_conversation_to_close(self, org_a, alice, bob, closed):
        pairing = Pairing.objects.create(organisation=org_a, volunteer=alice, mentee=bob)
        for change in (PairingChange.SUSPENDED, PairingChange.ENDED):
            conversation_follow_pairing(pairing=pairing, change=change)
        assert not Conversation.objects.filter(pairing=pairing).exists()
        assert closed == []


class TestSocketsClosing:
    def test_a_log_out_closes_that_users_sockets(self, alice, closed):
        user_sockets_close(user=alice.user)
        assert closed == [(user_group(alice.user_id), {"type": "access.revoked", "user_ids": [alice.user_id]})]

    def test_a_revoked_token_closes_the_sockets_opened_with_it(self, alice, closed):
        token_sockets_close(user=alice.user, key="0123abcd")
        assert closed == [(token_group("0123abcd"), {"type": "access.revoked", "user_ids": [alice.user_id]})]
