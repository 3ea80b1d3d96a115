"""The one shape of a chat message, for the socket's frames and the REST API alike, and the channel-layer
events that carry it.

On the 1,000 msg/s path: a user's message is copied as it is; only platform notices (stored as message
ids) go through gettext, in the reader's active language."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING

from django.utils.translation import gettext

from chat.events import conversation_group
from chat.models import Message, MessageKind, MessageStatus

if TYPE_CHECKING:
    from accounts.models import User
    from chat.services.storage import Posted


def timestamp(moment: datetime) -> str:
    """ISO 8601 in UTC with a `Z`, as Django REST framework writes datetimes: `2026-12-02T18:36:56.123456Z`."""
    text = moment.astimezone(UTC).isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def message_payload(message: Message, sender: User | None = None) -> dict:
    """A visible message as every client receives it: the contract's `message` frame less its type, and
    the REST API's message (chat.serializers.MessageSerializer returns this)."""
    sender = sender if sender is not None else message.sender
    return {
        "id": message.pk,
        "client_id": message.client_id,
        "kind": message.kind,
        "sender": None
        if sender is None
        else {"id": sender.pk, "display_name": sender.display_name, "role": sender.role},
        # platform notices are stored as message ids and shown in the reader's language
        "body": gettext(message.body) if message.kind == MessageKind.NOTICE else message.body,
        "created_at": timestamp(message.created_at),
    }


def message_event(message: Message) -> dict:
    """The channel-layer event that announces a visible message. `seq` lets each socket pass its messages
    on in their order and notice one it missed."""
    return {"type": "chat.message", "message": message_payload(message), "seq": message.seq}


def broadcast_event(posted: Posted) -> tuple[str, dict] | None:
    """The (group, event) that announces a stored visible message; None for held ones. A resent client id
    announces its message again: the first announcement may never have happened (the process that stored
    it died before publishing), and sockets skip what they already passed on."""
    message = posted.message
    if message.status != MessageStatus.VISIBLE:
        return None
    return conversation_group(message.conversation_id), message_event(message)
