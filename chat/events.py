"""Channel-layer group names and broadcasting shared by the services and the consumer."""

import asyncio
import hashlib
import logging

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from channels_redis.pubsub import RedisPubSubChannelLayer, RedisPubSubLoopLayer, RedisSingleShardConnection
from channels_redis.utils import _wrap_close
from django.conf import settings
from django.db import transaction

logger = logging.getLogger(__name__)

# Sent to every socket of a process whose subscription to Redis broke: whatever was published meanwhile
# did not reach them, so they close and their clients reconnect and `sync`.
LAYER_INTERRUPTED = {"type": "layer.interrupted"}


def conversation_group(conversation_id: int) -> str:
    return f"chat.{conversation_id}"


def user_group(user_id: int) -> str:
    return f"user.{user_id}"


def token_group(key: str) -> str:
    """The sockets opened with one API token; named by a digest, so no credential travels through Redis."""
    return f"token.{hashlib.sha256(key.encode()).hexdigest()[:40]}"


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


class _Shard(RedisSingleShardConnection):
    """Publishes go out in batches: every group_send waiting while one round trip is under way goes in the
    next pipeline, in order, instead of each one taking the connection's lock for its own round trip."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._outbox: list[tuple[str, bytes, asyncio.Future]] = []
        self._flusher: asyncio.Task | None = None

    async def publish(self, channel, message):
        done = asyncio.get_running_loop().create_future()
        self._outbox.append((channel, message, done))
        if self._flusher is None or self._flusher.done():
            self._flusher = asyncio.ensure_future(self._flush())
        await done

    async def _flush(self):
        while self._outbox:
            batch, self._outbox = self._outbox, []
            try:
                try:
                    await self._publish_in_time(batch)
                except Exception as exc:  # noqa: BLE001 - a stale or stuck pooled connection: once more, afresh
                    logger.warning("chat publish failed, retrying on a fresh connection: %r", exc)
                    await asyncio.wait_for(self._reconnect(), self._timeout())
                    await self._publish_in_time(batch)
            except Exception as exc:  # noqa: BLE001 - each waiting group_send raises it
                # Nobody may have heard these: the sockets of this process close, so their clients reconnect
                # and sync, and the senders, unacknowledged, resend.
                logger.warning("chat publish failed: %r", exc)
                self._interrupt()
                for _channel, _message, done in batch:
                    if not done.done():
                        done.set_exception(exc)
            else:
                for _channel, _message, done in batch:
                    if not done.done():
                        done.set_result(None)

    @staticmethod
    def _timeout() -> float:
        return settings.CHAT_PUBLISH_TIMEOUT

    async def _publish_in_time(self, batch):
        # The layer's connections have no socket time-out (its subscriber blocks reading on purpose), so a
        # Redis that stops answering would hold every publish, and every ack, for good: each publish gets a
        # bounded time, and running out of it counts as a failed publish.
        await asyncio.wait_for(self._publish(batch), self._timeout())

    async def _reconnect(self):
        async with self._lock:
            if self._redis is not None:
                await self._redis.connection_pool.disconnect(inuse_connections=False)

    async def _publish(self, batch):
        async with self._lock:
            self._ensure_redis()
            async with self._redis.pipeline(transaction=False) as pipe:
                for channel, message, _done in batch:
                    pipe.publish(channel, message)
                await pipe.execute()

    def _interrupt(self):
        interrupted = self.channel_layer.channel_layer.serialize(LAYER_INTERRUPTED)
        for queue in self.channel_layer.channels.values():
            queue.put_nowait(interrupted)

    async def unsubscribe(self, channel):
        # channels_redis keeps a channel it could not unsubscribe from (Redis away), and redis-py subscribes
        # to it again on reconnecting: the subscriptions of sockets closed during an outage would live on
        # until the process restarts. Forget it either way.
        async with self._lock:
            if channel not in self._subscribed_to:
                return
            self._subscribed_to.discard(channel)
            self._ensure_redis()
            self._ensure_receiver()
            try:
                await self._pubsub.unsubscribe(channel)
            except Exception:
                for name in (channel, channel.encode()):
                    self._pubsub.channels.pop(name, None)
                    self._pubsub.pending_unsubscribe_channels.discard(name)
                raise

    async def _do_receiving(self):
        # channels_redis' loop, plus telling the local sockets when the subscription broke (it logs the
        # error, waits a second and resubscribes, silently losing what was published in between).
        while True:
            try:
                if self._pubsub and self._pubsub.subscribed:
                    message = await self._pubsub.get_message(ignore_subscribe_messages=True, timeout=0.1)
                    self._receive_message(message)
                else:
                    await asyncio.sleep(0.1)
            except (TimeoutError, asyncio.CancelledError, GeneratorExit):
                raise
            except Exception as exc:  # noqa: BLE001 - Redis went away: tell the sockets, then retry
                logger.warning("channel layer subscription interrupted: %r", exc)
                self._interrupt()
                await asyncio.sleep(1)


class _LoopLayer(RedisPubSubLoopLayer):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._shards = [_Shard(shard.host, self) for shard in self._shards]


class PubSubChannelLayer(RedisPubSubChannelLayer):
    """channels_redis' pub/sub layer (one PUBLISH per group_send, a pushed stream per process, nothing
    dropped for capacity), whose sockets hear of an interrupted subscription instead of missing
    messages silently.

    Built on channels_redis 4.3 internals, which an upgrade may change without notice. It relies on
    these names (tests/chat/test_channels_redis_internals.py fails when one goes or changes shape):

    - `channels_redis.pubsub.RedisPubSubChannelLayer`: `_get_layer()` (replaced here), `_layers` (a dict
      by event loop), `_args`, `_kwargs`, `serialize(message)`;
    - `channels_redis.pubsub.RedisPubSubLoopLayer`: `__init__(hosts, prefix, on_disconnect, on_reconnect,
      channel_layer, **kwargs)`, `_shards` (a list of shard connections), `channels` (a dict of queues by
      channel name);
    - `channels_redis.pubsub.RedisSingleShardConnection`: `__init__(host, channel_layer)`, the attributes
      `host`, `channel_layer`, `_lock`, `_redis`, `_pubsub`, `_subscribed_to`, `_receive_task`, the
      methods `publish(channel, message)`, `unsubscribe(channel)` and `_do_receiving()` (replaced here),
      `_ensure_redis()`, `_ensure_receiver()`, `_receive_message(message)`;
    - `channels_redis.utils._wrap_close(proxy, loop)`;
    - redis-py's asyncio `PubSub`: `channels`, `pending_unsubscribe_channels`, `subscribed`,
      `get_message(ignore_subscribe_messages, timeout)`, `unsubscribe(*channels)`."""

    def _get_layer(self):
        loop = asyncio.get_running_loop()
        layer = self._layers.get(loop)
        if layer is None:
            layer = self._layers[loop] = _LoopLayer(*self._args, **self._kwargs, channel_layer=self)
            _wrap_close(self, loop)
        return layer
