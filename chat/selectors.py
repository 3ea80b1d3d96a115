"""Reads for chat."""

from django.db import models
from django.db.models import QuerySet

from accounts.models import Role, User
from chat.models import Conversation, Message, MessageStatus, Report
from chat.services.payloads import message_payload

SYNC_LIMIT = 5000


def conversation_for_socket(conversation_id: int) -> Conversation | None:
    return (
        Conversation.objects.select_related("pairing__mentee__user", "pairing__volunteer__user")
        .filter(pk=conversation_id)
        .first()
    )


def conversation_list(*, user: User) -> QuerySet[Conversation]:
    return Conversation.objects.visible_to(user).select_related("pairing__mentee__user", "pairing__volunteer__user")


def visible_messages(conversation: Conversation) -> QuerySet[Message]:
    return conversation.messages.filter(status=MessageStatus.VISIBLE).select_related("sender")


def messages_after(conversation: Conversation, after: int) -> list[dict]:
    """What a reconnecting client missed, in order: visible messages, and withdrawals of ones it may hold."""
    return sync_frames(conversation, after)[0]


def sync_frames(conversation: Conversation, after: int) -> tuple[list[dict], int]:
    """`messages_after`, and the seq up to which it answered: every message of the conversation up to
    that seq is committed and was either sent or is not the client's to see (held, before `after`)."""
    rows = list(conversation.messages.filter(id__gt=after).select_related("sender").order_by("id")[:SYNC_LIMIT])
    frames = []
    for message in rows:
        if message.status == MessageStatus.VISIBLE:
            frames.append({"type": "message", **message_payload(message)})
        elif message.status == MessageStatus.WITHDRAWN and (not message.held_reason or message.reviewed_at is not None):
            frames.append({"type": "message.withdrawn", "id": message.pk})  # it was visible before
    return frames, max((message.seq for message in rows), default=0)


def messages_between(conversation: Conversation, after_seq: int, before_seq: int) -> list[dict]:
    """The visible messages a socket did not hear of live, between two places in the conversation."""
    rows = (
        conversation.messages.filter(seq__gt=after_seq, seq__lt=before_seq, status=MessageStatus.VISIBLE)
        .select_related("sender")
        .order_by("seq")
    )
    return [{"type": "message", **message_payload(message)} for message in rows]


def last_seq(conversation_id: int) -> int:
    """The place of the conversation's last stored message (0 if none)."""
    return Message.objects.filter(conversation_id=conversation_id).aggregate(last=models.Max("seq"))["last"] or 0


def messages_visible_to(*, user: User) -> QuerySet[Message]:
    """Messages the user may see: coordinators every one of their organisation's; members the visible
    ones of their conversations and their own held ones (the same rule as services.may_see_message)."""
    qs = Message.objects.filter(conversation__in=Conversation.objects.visible_to(user)).select_related("conversation")
    if user.role == Role.COORDINATOR:
        return qs
    return qs.filter(models.Q(status=MessageStatus.VISIBLE) | models.Q(status=MessageStatus.HELD, sender=user))


def message_in(conversation: Conversation, message_id) -> Message | None:
    if isinstance(message_id, bool) or not isinstance(message_id, int):
        return None
    return conversation.messages.filter(pk=message_id).first()


def chat_export(user: User) -> dict:
    """The chat part of a personal data export: the person's conversations and what they wrote."""
    return {
        "conversations": list(
            conversation_list(user=user)
            .filter(models.Q(pairing__volunteer__user=user) | models.Q(pairing__mentee__user=user))
            .values_list("pk", flat=True)
        ),
        "messages": [
            {
                "conversation": m.conversation_id,
                "body": m.body,
                "status": m.status,
                "created_at": m.created_at.isoformat(),
            }
            for m in Message.objects.filter(sender=user).order_by("id")
        ],
    }


def held_messages(*, user: User) -> QuerySet[Message]:
    return Message.objects.filter(
        conversation__in=Conversation.objects.visible_to(user), status=MessageStatus.HELD
    ).select_related("sender", "conversation")


def report_list(*, user: User) -> QuerySet[Report]:
    return Report.objects.filter(message__conversation__in=Conversation.objects.visible_to(user)).select_related(
        "message__sender", "reporter"
    )
