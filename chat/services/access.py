"""Who may open a conversation, see a message, and the record of coordinators' looks."""

from accounts.models import Role, User
from chat.models import AccessRecord, Conversation, ConversationState, Message, MessageStatus
from safeguarding.models import Action
from safeguarding.services import record
from scheduling.models import LIVE_STATUSES


def is_member(user: User, conversation: Conversation) -> bool:
    pairing = conversation.pairing
    return user.pk in (pairing.volunteer.user_id, pairing.mentee.user_id)


def may_connect(user: User, conversation: Conversation) -> bool:
    """Members while their pairing is current and the conversation not closed; the organisation's coordinators."""
    if not user.is_active:
        return False
    if user.role == Role.COORDINATOR:
        return user.organisation_id == conversation.organisation_id
    return (
        is_member(user, conversation)
        and conversation.pairing.status in LIVE_STATUSES
        and conversation.state in (ConversationState.OPEN, ConversationState.PAUSED)
    )


def may_see_message(user: User, message: Message) -> bool:
    """Coordinators see every message of their organisation's conversations; members see visible ones and
    their own held ones. A held body reaches no one else, by any route."""
    if user.role == Role.COORDINATOR:
        return True
    if message.status == MessageStatus.VISIBLE:
        return True
    return message.status == MessageStatus.HELD and message.sender_id == user.pk


def access_record(*, conversation: Conversation, user: User, via: str) -> None:
    """Log a coordinator's look into a conversation they are not a member of."""
    if user.role == Role.COORDINATOR and not is_member(user, conversation):
        AccessRecord.objects.create(conversation=conversation, coordinator=user, via=via)
        record(
            Action.CONVERSATION_READ,
            organisation_id=conversation.organisation_id,
            actor=user,
            subject=conversation.pairing.mentee.user_id,
            target=conversation,
            detail={"via": via},
        )
