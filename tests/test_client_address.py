"""The client's address: X-Forwarded-For is believed only from a trusted proxy, and then only its
right-most untrusted hop. The log-in limits and the DRF throttles both use it."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import Client
from rest_framework.test import APIClient

from accounts import login_limits
from config.client_address import client_address_from, parse_networks
from tests.conftest import PASSWORD

PROXY = "10.0.0.5"


@pytest.fixture
def behind_proxy(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8", "fd00::/8"]


def test_without_trusted_proxies_a_forwarded_header_is_ignored():
    meta = {"REMOTE_ADDR": "198.51.100.7", "HTTP_X_FORWARDED_FOR": "203.0.113.9"}
    assert client_address_from(meta) == "198.51.100.7"


def test_from_a_trusted_proxy_the_forwarded_client_address_counts(behind_proxy):
    meta = {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": "203.0.113.9"}
    assert client_address_from(meta) == "203.0.113.9"


def test_from_an_untrusted_address_a_forged_header_is_ignored(behind_proxy):
    meta = {"REMOTE_ADDR": "198.51.100.7", "HTTP_X_FORWARDED_FOR": "10.0.0.1, 203.0.113.9"}
    assert client_address_from(meta) == "198.51.100.7"


@pytest.mark.parametrize(
    ("forwarded", "client"),
    [
        # what the client wrote on the left is not believed: the right-most untrusted hop is the client
        ("1.2.3.4, 203.0.113.9", "203.0.113.9"),
        ("1.2.3.4, 203.0.113.9, 10.1.2.3", "203.0.113.9"),
        ("not-an-address, 203.0.113.9", "203.0.113.9"),
        ("2001:db8::1", "2001:db8::1"),
        ("2001:db8::1, fd00::2", "2001:db8::1"),
        ("10.9.9.9, 10.1.1.1", "10.9.9.9"),  # every hop a proxy: the first one
        ("203.0.113.9, garbage", PROXY),  # our proxy would never write that: count the proxy
        ("", PROXY),
    ],
)
def test_it_takes_the_right_most_untrusted_hop(behind_proxy, forwarded, client):
    assert client_address_from({"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": forwarded}) == client


def test_a_bad_trusted_proxy_entry_is_a_configuration_error():
    with pytest.raises(ImproperlyConfigured):
        parse_networks(["10.0.0.0/8", "proxy.example.org"])


@pytest.mark.django_db
def test_behind_a_trusted_proxy_the_log_in_limit_counts_each_client_separately(alice, behind_proxy):
    def login(forwarded, password):
        return Client().post(
            "/api/auth/login/",
            {"email": "alice@example.org", "password": password},
            content_type="application/json",
            REMOTE_ADDR=PROXY,
            HTTP_X_FORWARDED_FOR=forwarded,
        )

    for _ in range(login_limits.PAIR_FAILURES):
        login("203.0.113.9", "wrong-password-123")
    assert login("203.0.113.9", PASSWORD).status_code == 429
    assert login("198.51.100.20", PASSWORD).status_code == 200


@pytest.mark.django_db
def test_a_forged_forwarded_header_does_not_escape_the_log_in_limit(alice, behind_proxy):
    def login(forwarded, password):
        return Client().post(
            "/api/auth/login/",
            {"email": "alice@example.org", "password": password},
            content_type="application/json",
            REMOTE_ADDR="198.51.100.7",
            HTTP_X_FORWARDED_FOR=forwarded,
        )

    for index in range(login_limits.PAIR_FAILURES):
        login(f"203.0.113.{index}", "wrong-password-123")
    assert login("192.0.2.200", PASSWORD).status_code == 429


@pytest.mark.django_db
def test_drf_throttles_count_the_client_behind_a_trusted_proxy_not_the_proxy(settings, behind_proxy):
    from rest_framework.throttling import SimpleRateThrottle

    original_rates = SimpleRateThrottle.THROTTLE_RATES
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "anon": "2/min"},
    }
    SimpleRateThrottle.THROTTLE_RATES = settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]
    try:

        def get(remote, forwarded):
            return APIClient().get("/api/organisations/", REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=forwarded)

        assert [get(PROXY, "203.0.113.9").status_code for _ in range(3)] == [200, 200, 429]
        assert get(PROXY, "198.51.100.20").status_code == 200
        # not through the proxy: the forged header changes nothing
        assert [get("192.0.2.1", f"203.0.113.{i}").status_code for i in range(3)] == [200, 200, 429]
    finally:
        SimpleRateThrottle.THROTTLE_RATES = original_rates
