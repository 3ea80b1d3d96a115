"""The API's per-user throttle: one counter per caller and window (config.throttling), on whichever cache
the settings give (local memory here, Redis when REDIS_URL is set)."""

from concurrent.futures import ThreadPoolExecutor

import pytest
from rest_framework.throttling import SimpleRateThrottle

from config.cache import count_up

pytestmark = pytest.mark.django_db


@pytest.fixture
def user_rate(settings):
    original = SimpleRateThrottle.THROTTLE_RATES
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "user": "3/min"},
    }
    SimpleRateThrottle.THROTTLE_RATES = settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]
    yield
    SimpleRateThrottle.THROTTLE_RATES = original


@pytest.mark.usefixtures("user_rate")
def test_a_user_over_the_rate_is_answered_429_with_when_to_retry(api, carol, alice, org_a):
    coordinator = api(carol)
    statuses = [coordinator.get("/api/organisations/").status_code for _ in range(4)]
    # the window may turn between two calls: then the fourth is the second of a new window
    assert statuses in ([200, 200, 200, 429], [200, 200, 200, 200])
    if statuses[-1] == 429:
        answer = coordinator.get("/api/organisations/")
        assert answer.status_code == 429
        assert 1 <= int(answer["Retry-After"]) <= 60
    # another user has their own count
    assert api(alice).get("/api/organisations/").status_code == 200


def test_a_counter_counts_every_concurrent_call_once():
    with ThreadPoolExecutor(8) as pool:
        values = sorted(pool.map(lambda _: count_up("throttle-test", 60), range(40)))
    assert values == list(range(1, 41))


@pytest.mark.redis
def test_on_redis_a_count_is_one_round_trip_and_its_counter_ends_with_its_window(monkeypatch):
    """The throttles count every API call: one command (a script), not a SET NX, an EXISTS and an INCR (what
    the generic path of add and incr costs on Redis), nor a pipeline of two."""
    import redis
    from django.core.cache import cache

    sent = []
    original = redis.Redis.execute_command
    monkeypatch.setattr(
        redis.Redis, "execute_command", lambda self, *args, **options: sent.append(args[0]) or original(self, *args)
    )
    assert [count_up("round-trips", 60), count_up("round-trips", 60)] == [1, 2]
    assert sent == ["EVALSHA", "EVALSHA"]
    # the counter expires a window after its first count, and a later count does not push that back
    client = cache._cache.get_client(write=True)
    key = cache.make_and_validate_key("round-trips")
    assert 0 < client.ttl(key) <= 60
    client.expire(key, 30)
    assert count_up("round-trips", 60) == 3
    assert 0 < client.ttl(key) <= 30


@pytest.mark.redis
def test_on_redis_a_count_goes_on_after_redis_forgot_its_script():
    from django.core.cache import cache

    assert count_up("forgotten", 60) == 1
    cache._cache.get_client(write=True).script_flush()  # as a restart of Redis does
    assert count_up("forgotten", 60) == 2
