"""chat.events.PubSubChannelLayer extends channels_redis' private internals (listed in its docstring).
An upgrade that renames, removes or reshapes one of them fails here, not in production."""

import asyncio
import inspect

import pytest
from channels_redis import pubsub, utils
from redis.asyncio import Redis

from chat.events import PubSubChannelLayer, _LoopLayer, _Shard

HOSTS = ["redis://127.0.0.1:6379/10"]  # nothing connects: constructing the layers opens no connection


def parameters(function) -> list[str]:
    return list(inspect.signature(function).parameters)


def test_it_finds_the_channel_layer_proxys_internals():
    layer = PubSubChannelLayer(hosts=HOSTS)
    assert callable(pubsub.RedisPubSubChannelLayer._get_layer)
    assert parameters(pubsub.RedisPubSubChannelLayer._get_layer) == ["self"]
    assert layer._layers == {}
    assert layer._args == ()
    assert layer._kwargs == {"hosts": HOSTS}
    assert layer.deserialize(layer.serialize({"type": "layer.interrupted"})) == {"type": "layer.interrupted"}


def test_it_finds_the_loop_layers_internals():
    proxy = PubSubChannelLayer(hosts=HOSTS)
    assert parameters(pubsub.RedisPubSubLoopLayer.__init__) == [
        "self",
        "hosts",
        "prefix",
        "on_disconnect",
        "on_reconnect",
        "channel_layer",
        "kwargs",
    ]
    layer = _LoopLayer(hosts=HOSTS, channel_layer=proxy)
    assert layer.channel_layer is proxy
    assert layer.channels == {}
    assert isinstance(layer._shards, list)
    assert [type(shard) for shard in layer._shards] == [_Shard]


def test_it_finds_the_shard_connections_internals():
    assert parameters(pubsub.RedisSingleShardConnection.__init__) == ["self", "host", "channel_layer"]
    shard = pubsub.RedisSingleShardConnection(pubsub.decode_hosts(HOSTS)[0], channel_layer=None)
    assert isinstance(shard._lock, asyncio.Lock)
    assert shard._subscribed_to == set()
    assert (shard._redis, shard._pubsub, shard._receive_task, shard.channel_layer) == (None, None, None, None)
    assert shard.host == pubsub.decode_hosts(HOSTS)[0]
    for name, expected in [
        ("publish", ["self", "channel", "message"]),
        ("unsubscribe", ["self", "channel"]),
        ("_do_receiving", ["self"]),
        ("_ensure_redis", ["self"]),
        ("_ensure_receiver", ["self"]),
        ("_receive_message", ["self", "message"]),
    ]:
        original = getattr(pubsub.RedisSingleShardConnection, name)
        assert parameters(original) == expected, name
        assert inspect.iscoroutinefunction(original) == inspect.iscoroutinefunction(getattr(_Shard, name)), name


def test_it_finds_the_close_hook():
    assert parameters(utils._wrap_close) == ["proxy", "loop"]


@pytest.mark.filterwarnings("ignore::DeprecationWarning")
def test_it_finds_redis_pys_pubsub_internals():
    pubsub_client = Redis.from_url(HOSTS[0]).pubsub()
    assert pubsub_client.channels == {}
    assert pubsub_client.pending_unsubscribe_channels == set()
    assert pubsub_client.subscribed is False
    assert {"ignore_subscribe_messages", "timeout"} <= set(parameters(pubsub_client.get_message))
    assert parameters(pubsub_client.unsubscribe) == ["args"]
