"""A conversation opens and closes with its pairing; ended access closes sockets."""

from django.utils.translation import gettext_noop

from accounts.models import User
from chat.events import conversation_group, send_after_commit, token_group, user_group
from chat.models import Conversation, ConversationState, Message, MessageKind
from common.events import PairingChange
from scheduling.models import Pairing

# Shown to both members when their conversation opens (translated on display).
OVERSIGHT_NOTICE = gettext_noop(
    "Coordinators of your organisation can read and write in this conversation to keep everyone safe."
)


def conversation_follow_pairing(*, pairing: Pairing, change: PairingChange) -> None:
    """Approval opens the conversation, suspension and ending close it to members, resuming reopens it."""
    if change == PairingChange.APPROVED:
        opened, created = Conversation.objects.get_or_create(
            pairing=pairing, defaults={"organisation_id": pairing.organisation_id}
        )
        if created:
            Message.objects.create(
                conversation=opened, kind=MessageKind.NOTICE, client_id="oversight-notice", body=OVERSIGHT_NOTICE, seq=1
            )  # the conversation's first message
        return
    conversation = Conversation.objects.filter(pairing=pairing).first()
    if conversation is None:
        return
    state = {
        PairingChange.ENDED: ConversationState.READ_ONLY,
        PairingChange.SUSPENDED: ConversationState.SUSPENDED,
        PairingChange.RESUMED: ConversationState.OPEN,
    }[change]
    Conversation.objects.filter(pk=conversation.pk).update(state=state)
    if change in (PairingChange.ENDED, PairingChange.SUSPENDED):
        members = [pairing.volunteer.user_id, pairing.mentee.user_id]
        send_after_commit(conversation_group(conversation.pk), {"type": "access.revoked", "user_ids": members})


def user_sockets_close(*, user: User) -> None:
    """Log-out, password change, deactivation and erasure close the user's sockets."""
    send_after_commit(user_group(user.pk), {"type": "access.revoked", "user_ids": [user.pk]})


def token_sockets_close(*, user: User, key: str) -> None:
    """A revoked API token closes the sockets opened with it; the user's other sockets stay."""
    send_after_commit(token_group(key), {"type": "access.revoked", "user_ids": [user.pk]})
