"""How many messages a sender may send per window (settings.CHAT_RATE_LIMIT), counted per batch."""

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone
from redis.exceptions import RedisError

from accounts.models import User
from config.cache import redis_backend


def rate_slot() -> int:
    return int(timezone.now().timestamp()) // settings.CHAT_RATE_LIMIT[1]


def rate_refusals(senders: list[User], slot: int) -> list[bool]:
    """For each send of a batch, whether it goes over its sender's limit. On Redis the counters are
    incremented atomically, every sender of the batch in one round trip; other caches read and write."""
    limit, window = settings.CHAT_RATE_LIMIT
    added: dict[str, int] = {}
    for user in senders:
        key = f"chat-rate:{user.pk}:{slot}"
        added[key] = added.get(key, 0) + 1
    redis = redis_backend()
    if redis is not None:
        with redis._cache.get_client(write=True).pipeline(transaction=False) as pipe:
            for key, count in added.items():
                pipe.incrby(redis.make_and_validate_key(key), count)
                pipe.expire(redis.make_and_validate_key(key), window * 2)
            replies = pipe.execute()
        totals = {key: replies[2 * position] for position, key in enumerate(added)}
    else:
        counts = cache.get_many(list(added))
        totals = {key: counts.get(key, 0) + count for key, count in added.items()}
        cache.set_many(totals, window * 2)
    # the batch's sends of one sender are the last ones counted, in order
    seen: dict[str, int] = {}
    refused = []
    for user in senders:
        key = f"chat-rate:{user.pk}:{slot}"
        seen[key] = seen.get(key, 0) + 1
        refused.append(totals[key] - added[key] + seen[key] > limit)
    return refused


def rate_refund(senders: list[User], slot: int) -> None:
    """Give back what sends that stored nothing new counted (storage failed, or a resend found its message):
    a client recovering from an outage resends, and must not be told it sends too fast. Best effort."""
    if not senders:
        return
    window = settings.CHAT_RATE_LIMIT[1]
    taken: dict[str, int] = {}
    for user in senders:
        key = f"chat-rate:{user.pk}:{slot}"
        taken[key] = taken.get(key, 0) + 1
    try:
        redis = redis_backend()
        if redis is not None:
            with redis._cache.get_client(write=True).pipeline(transaction=False) as pipe:
                for key, count in taken.items():
                    pipe.decrby(redis.make_and_validate_key(key), count)
                pipe.execute()
        else:
            counts = cache.get_many(list(taken))
            cache.set_many({key: max(0, counts.get(key, 0) - count) for key, count in taken.items()}, window * 2)
    except (RedisError, OSError):
        pass
