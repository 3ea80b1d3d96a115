"""Django's Redis cache with one client per process.

Django keeps a cache object per async context, and under ASGI every request is a new context: with the
stock backend each request built a new RedisCache, a new connection pool and so a new TCP connection to
Redis (the throttles read the cache on every API call), and left it for the garbage collector. Here every
RedisCache of the same location and options in a process shares one client and its connection pool, which
redis-py makes safe across threads and re-creates after a fork, and one redis.Redis object per pool.
"""

import threading
from functools import cache
from typing import Any, ClassVar

from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient
from django.utils.functional import cached_property


class SharedRedisCacheClient(RedisCacheClient):
    """Django's client builds a redis.Redis object on every cache call (each with its table of some 170
    response callbacks); this keeps one per connection pool. redis.Redis objects are thread-safe."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._redis_clients: dict[int, Any] = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._redis_clients.get(id(pool))
        if client is None:
            client = self._redis_clients.setdefault(id(pool), self._client(connection_pool=pool))
        return client


class RedisCache(DjangoRedisCache):
    _clients: ClassVar[dict[tuple, RedisCacheClient]] = {}
    _lock: ClassVar[threading.Lock] = threading.Lock()

    @cached_property
    def _cache(self) -> RedisCacheClient:
        key = (tuple(self._servers), repr(sorted(self._options.items())))
        client = self._clients.get(key)
        if client is None:
            with self._lock:
                client = self._clients.setdefault(key, SharedRedisCacheClient(self._servers, **self._options))
        return client


def redis_backend() -> Any | None:
    """The default cache's backend when it is Redis, else None: for the pipelined counters Django's cache API
    has no call for. (`django.core.cache.cache` is a proxy, never an instance of the backend's class.)"""
    from django.core.cache import caches

    backend = caches["default"]
    return backend if isinstance(backend, DjangoRedisCache) else None


# A window's counter: incremented, and given its expiry on its first count. One round trip, atomic (a
# counter never outlives its window); one command for redis-py to send, not a pipeline of two.
_COUNT_UP = """
local count = redis.call("INCR", KEYS[1])
if count == 1 then redis.call("EXPIRE", KEYS[1], ARGV[1]) end
return count
"""


@cache
def _count_up_script(client: Any) -> Any:
    return client.register_script(_COUNT_UP)  # EVALSHA, loaded again if Redis has forgotten it


def count_up(key: str, timeout: int) -> int:
    """Add one to the counter `key` of the default cache, which expires `timeout` seconds after it was first
    counted, and return its new value. On Redis one round trip (the script above): atomic across processes.
    Other caches (local memory in tests, the embedded default) add and increment."""
    from django.core.cache import cache as default_cache

    redis = redis_backend()
    if redis is not None:
        redis_key = redis.make_and_validate_key(key)
        client = redis._cache.get_client(redis_key, write=True)
        return int(_count_up_script(client)(keys=[redis_key], args=[timeout]))
    if default_cache.add(key, 1, timeout):
        return 1
    try:
        return default_cache.incr(key)
    except ValueError:  # expired between the two calls
        default_cache.add(key, 1, timeout)
        return 1
