"""Channel-layer group names and broadcasting shared by the services and the consumer."""

import asyncio

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction


def conversation_group(conversation_id: int) -> str:
    return f"chat.{conversation_id}"


def user_group(user_id: int) -> str:
    return f"user.{user_id}"


def _broadcast(group: str, event: dict) -> None:
    layer = get_channel_layer()
    if layer is None:
        return
    try:
        loop = asyncio.get_running_loop()
    except RuntimeError:
        async_to_sync(layer.group_send)(group, event)
    else:  # called from code already running on an event loop's thread
        loop.create_task(layer.group_send(group, event))


def send_after_commit(group: str, event: dict) -> None:
    """Broadcast once the surrounding transaction has committed, so nobody hears of unstored rows."""
    transaction.on_commit(lambda: _broadcast(group, event))
