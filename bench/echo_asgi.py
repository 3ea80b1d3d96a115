"""The baseline for bench/chat.py: a bare Channels consumer that relays every frame it receives to its
conversation's group. No authentication, no storage, no safeguarding, no Django project: channels-redis'
RedisChannelLayer with its default configuration on BENCH_REDIS_URL (or REDIS_URL)."""

import os

import django
from django.conf import settings

os.environ.pop("DJANGO_SETTINGS_MODULE", None)
settings.configure(
    INSTALLED_APPS=["channels"],
    CHANNEL_LAYERS={
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            # Only the address, plus redis-py 8's socket time-out switched off: without it the layer's
            # blocking reads fail on idle sockets after 5 s (channels_redis#422).
            "CONFIG": {
                "hosts": [
                    {"address": os.environ.get("BENCH_REDIS_URL") or os.environ["REDIS_URL"], "socket_timeout": None}
                ]
            },
        }
    },
)
django.setup()

from channels.generic.websocket import AsyncWebsocketConsumer  # noqa: E402
from channels.routing import URLRouter  # noqa: E402
from django.urls import path  # noqa: E402


class EchoConsumer(AsyncWebsocketConsumer):
    async def connect(self):
        self.group = f"echo.{self.scope['url_route']['kwargs']['conversation_id']}"
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.accept()

    async def disconnect(self, code):
        await self.channel_layer.group_discard(self.group, self.channel_name)

    async def receive(self, text_data=None, bytes_data=None):
        await self.channel_layer.group_send(self.group, {"type": "relay", "text": text_data})

    async def relay(self, event):
        await self.send(text_data=event["text"])


application = URLRouter([path("ws/conversations/<int:conversation_id>/", EchoConsumer.as_asgi())])
