"""Failed log-in limits: one limiter for every way in (API session and token log-in, the admin), per
account and address pair, per address across accounts, and a per-account slow-down that never refuses the
right password from another address. See accounts/login_limits.py for the numbers."""

import hashlib

import pytest
from django.core.cache import caches
from django.test import Client
from rest_framework.test import APIClient

from accounts import login_limits
from accounts.models import Role, User
from accounts.services import user_create
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

WRONG = "wrong-password-123"  # noqa: S105
HOME, SHELTER, ELSEWHERE = "198.51.100.10", "203.0.113.50", "192.0.2.77"


def login(email, password=PASSWORD, address=HOME, client=None, **extra):
    return (client or Client()).post(
        "/api/auth/login/",
        {"email": email, "password": password},
        content_type="application/json",
        REMOTE_ADDR=address,
        **extra,
    )


def token(email, password=PASSWORD, address=HOME):
    return APIClient().post(
        "/api/auth/token/", {"email": email, "password": password}, format="json", REMOTE_ADDR=address
    )


def admin_login(email, password=PASSWORD, address=HOME):
    return Client().post("/admin/login/?next=/admin/", {"username": email, "password": password}, REMOTE_ADDR=address)


@pytest.fixture
def staff(db) -> User:
    return User.objects.create_superuser("root@example.org", PASSWORD)


@pytest.fixture
def clock(monkeypatch):
    """The limiter's clock, moved by hand."""
    now = [1_900_000_000.0]
    monkeypatch.setattr(login_limits.time, "time", lambda: now[0])
    return now


def test_it_refuses_an_account_from_an_address_after_five_failures_there_even_with_the_right_password(alice):
    for _ in range(login_limits.PAIR_FAILURES):
        assert login("alice@example.org", WRONG).status_code == 400
    refused = login("alice@example.org")
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) > 0
    assert "detail" in refused.json()


def test_someone_guessing_an_email_does_not_lock_its_owner_out_elsewhere(alice):
    for _ in range(login_limits.PAIR_FAILURES + 3):
        login("alice@example.org", WRONG, address=ELSEWHERE)
    assert login("alice@example.org", address=HOME).status_code == 200


def test_many_people_behind_one_shelter_address_may_each_mistype_and_still_log_in(alice, org_a):
    # given 30 people behind the shelter's address who each get their password wrong once
    for index in range(30):
        user_create(
            email=f"person{index}@example.org",
            password=PASSWORD,
            display_name=f"P{index}",
            role=Role.MENTEE,
            organisation=org_a,
        )
        assert login(f"person{index}@example.org", WRONG, address=SHELTER).status_code == 400
    # and one of them who keeps getting their own password wrong
    for _ in range(login_limits.PAIR_FAILURES + 5):
        login("person0@example.org", WRONG, address=SHELTER)
    # then everyone else behind the address still logs in
    assert login("person1@example.org", address=SHELTER).status_code == 200
    assert login("alice@example.org", address=SHELTER).status_code == 200


def test_it_refuses_an_address_that_sprays_guesses_across_many_accounts(alice):
    for index in range(login_limits.ADDRESS_ACCOUNTS):
        login(f"guess{index}@example.org", WRONG, address=SHELTER)
    assert login("alice@example.org", address=SHELTER).status_code == 429
    assert login("alice@example.org", address=HOME).status_code == 200


def test_many_failures_on_one_account_slow_guessing_down_but_the_right_password_elsewhere_gets_in(alice, clock):
    # given guesses from many addresses, more than the account's slow-down threshold
    guessers = [f"198.18.0.{index}" for index in range(1, login_limits.ACCOUNT_SLOWDOWN_AFTER + 3)]
    for address in guessers:
        assert login("alice@example.org", WRONG, address=address).status_code == 400
    # when a guesser tries again at once, it must wait
    slowed = login("alice@example.org", WRONG, address=guessers[0])
    assert slowed.status_code == 429
    wait = int(slowed["Retry-After"])
    assert 1 <= wait <= login_limits.ACCOUNT_MAX_DELAY_SECONDS
    # and after waiting it may try again (slowed, never locked for the window)
    clock[0] += wait
    assert login("alice@example.org", WRONG, address=guessers[0]).status_code == 400
    # then the owner, from another address, logs in straight away
    assert login("alice@example.org", address=HOME).status_code == 200


def test_the_owner_who_mistyped_once_is_slowed_for_seconds_not_locked(alice, clock):
    for index in range(login_limits.ACCOUNT_SLOWDOWN_AFTER):
        login("alice@example.org", WRONG, address=f"198.18.1.{index}")
    assert login("alice@example.org", WRONG, address=HOME).status_code == 400
    slowed = login("alice@example.org", address=HOME)
    assert slowed.status_code == 429
    clock[0] += int(slowed["Retry-After"])
    assert login("alice@example.org", address=HOME).status_code == 200


def test_token_and_session_log_in_share_one_limit(alice):
    for _ in range(login_limits.PAIR_FAILURES):
        assert token("alice@example.org", WRONG).status_code == 400
    refused = token("alice@example.org")
    assert refused.status_code == 429
    assert "Retry-After" in refused
    assert login("alice@example.org").status_code == 429


def test_the_admin_log_in_is_limited_too_and_says_so(staff):
    for _ in range(login_limits.PAIR_FAILURES):
        response = admin_login("root@example.org", WRONG)
        assert response.status_code == 200
        assert "_auth_user_id" not in response.wsgi_request.session
    refused = admin_login("root@example.org")
    assert "_auth_user_id" not in refused.wsgi_request.session
    errors = refused.context["form"].non_field_errors().as_data()
    assert [error.code for error in errors] == ["too_many_attempts"]
    assert "Too many failed attempts" in refused.content.decode()
    # the same limiter: the API refuses that pair now
    assert login("root@example.org").status_code == 429


def test_admin_failures_count_for_the_api_and_the_right_password_in_the_admin_still_works(staff):
    admin_login("root@example.org", WRONG)
    assert admin_login("root@example.org").status_code == 302


def test_the_failure_counters_hold_a_keyed_hash_of_the_email_not_the_email_or_its_plain_hash(alice):
    login("alice@example.org", WRONG)
    from django.core.cache.backends.locmem import LocMemCache
    from django.core.cache.backends.redis import RedisCache

    backend = caches["default"]
    if isinstance(backend, LocMemCache):
        keys = [str(key) for key in backend._cache]
    elif isinstance(backend, RedisCache):
        keys = [key.decode() for key in backend._cache.get_client().keys("*")]
    else:
        pytest.skip("the cache backend does not list its keys")
    plain = hashlib.sha256(b"alice@example.org").hexdigest()
    assert any("login-fail" in key for key in keys)
    assert not any("alice" in key or plain[:40] in key for key in keys)


def test_the_delay_grows_with_failures_and_has_a_ceiling():
    delays = [login_limits.account_delay(n) for n in range(0, 40)]
    assert delays[: login_limits.ACCOUNT_SLOWDOWN_AFTER] == [0] * login_limits.ACCOUNT_SLOWDOWN_AFTER
    assert delays == sorted(delays)
    assert max(delays) == login_limits.ACCOUNT_MAX_DELAY_SECONDS
