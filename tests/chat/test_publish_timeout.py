"""A Redis that stops answering (frozen, a network partition) must not hold a publish, and with it the
sender's ack, for good: the channel layer's connections have no socket time-out, so each publish gets a
bounded time and running out of it counts as a failed publish."""

import asyncio
import contextlib
import os
import signal
import time

import pytest

from chat.events import PubSubChannelLayer
from tests.chat.realtime import OwnRedis

pytestmark = [pytest.mark.redis]


@contextlib.contextmanager
def frozen(redis: OwnRedis):
    os.kill(redis.process.pid, signal.SIGSTOP)  # still accepts bytes, never answers
    try:
        yield
    finally:
        os.kill(redis.process.pid, signal.SIGCONT)


async def test_a_publish_to_a_redis_that_stopped_answering_fails_in_bounded_time_and_tells_the_sockets(settings):
    settings.CHAT_PUBLISH_TIMEOUT = 0.3
    redis = OwnRedis()
    layer = PubSubChannelLayer(hosts=[{"address": redis.url, "socket_timeout": None}])
    try:
        channel = await layer.new_channel()
        await layer.group_add("chat.1", channel)
        await layer.group_send("chat.1", {"type": "chat.message", "n": 1})
        assert (await asyncio.wait_for(layer.receive(channel), 2))["n"] == 1
        # when Redis stops answering and a message is published
        with frozen(redis):
            started = time.monotonic()
            with pytest.raises(TimeoutError):
                await asyncio.wait_for(layer.group_send("chat.1", {"type": "chat.message", "n": 2}), 5)
            took = time.monotonic() - started
            # then the publish failed after its time (and one retry on a fresh connection), not the test's 5 s
            assert took < 2
            # and the process' sockets are told to close (their clients reconnect and sync)
            assert (await asyncio.wait_for(layer.receive(channel), 2))["type"] == "layer.interrupted"
    finally:
        with contextlib.suppress(Exception):
            await asyncio.wait_for(layer.flush(), 3)
        redis.stop()
