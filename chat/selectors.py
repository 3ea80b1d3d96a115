"""Reads for chat."""

from django.db import models
from django.db.models import QuerySet

from accounts.models import Role, User
from chat.models import Conversation, Message, MessageStatus, Report
from chat.services import message_payload

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
    rows = (
        conversation.messages.filter(id__gt=after, status__in=[MessageStatus.VISIBLE, MessageStatus.WITHDRAWN])
        .select_related("sender")
        .order_by("id")[:SYNC_LIMIT]
    )
    frames = []
    for message in rows:
        if message.status == MessageStatus.VISIBLE:
            frames.append({"type": "message", **message_payload(message)})
        elif not message.held_reason or message.reviewed_at is not None:  # it was visible before
            frames.append({"type": "message.withdrawn", "id": message.pk})
    return frames


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
        "conversations": list(conversation_list(user=user).filter(
            models.Q(pairing__volunteer__user=user) | models.Q(pairing__mentee__user=user)
        ).values_list("pk", flat=True)),
        "messages": [
            {"conversation": m.conversation_id, "body": m.body, "status": m.status,
             "created_at": m.created_at.isoformat()}
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
