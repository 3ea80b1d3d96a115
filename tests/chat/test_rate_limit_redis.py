"""On Redis the chat's rate limit counts with atomic increments (chat/services/rate_limit.py): batches sent at
the same time by one sender's several sockets (or server processes) are all counted, none overwrites another's
count, and a refund gives back exactly what it took."""

from concurrent.futures import ThreadPoolExecutor

import pytest

from chat.services import rate_limit
from config.cache import redis_backend

pytestmark = [pytest.mark.redis, pytest.mark.django_db]


def test_concurrent_batches_of_one_sender_are_all_counted(settings, alice):
    settings.CHAT_RATE_LIMIT = (1000, 60)
    assert redis_backend() is not None
    slot = rate_limit.rate_slot()
    with ThreadPoolExecutor(8) as pool:
        list(pool.map(lambda _: rate_limit.rate_refusals([alice.user] * 5, slot), range(40)))
    # 200 counted: the next send is the 201st, and the limit refuses it at 200
    settings.CHAT_RATE_LIMIT = (200, 60)
    assert rate_limit.rate_refusals([alice.user], slot) == [True]
    rate_limit.rate_refund([alice.user] * 2, slot)
    assert rate_limit.rate_refusals([alice.user, alice.user], slot) == [False, True]
