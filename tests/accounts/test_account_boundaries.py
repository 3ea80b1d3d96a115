"""Log-in limits and password rules at their edges, on SQLite: failures are counted per account, the
window ends when it says, and a password may not be the person's own e-mail or name."""

import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.test import Client

from accounts import login_limits
from accounts.models import Role
from accounts.services import password_change, user_create
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

WRONG = "wrong-password-123"  # noqa: S105
HOME = "198.51.100.10"
WINDOW = 15 * 60  # as documented; literal, so a changed constant fails here
FAILURES = 5
LOCAL_PART = "zanzibar-quokka-1987"
NAME = "Marisol Quokkadottir"


def login(email, password=PASSWORD, address=HOME):
    return Client().post(
        "/api/auth/login/", {"email": email, "password": password}, content_type="application/json", REMOTE_ADDR=address
    )


@pytest.fixture
def clock(monkeypatch, settings):
    """The limiter's and the cache's clock (both read time.time), moved by hand. The local-memory cache
    expires keys by that clock; Redis would expire them by its own, so these tests use the former."""
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "login-limit-clock"}
    }
    now = [1_900_000_000.0]
    monkeypatch.setattr(login_limits.time, "time", lambda: now[0])
    # the local-memory store outlives the test in this process (mutmut runs pytest again in it): start empty
    cache.clear()
    yield now
    cache.clear()


class TestLoginLimits:
    def test_another_account_from_the_same_address_is_not_blocked(self, alice, victor):
        for _ in range(FAILURES):
            assert login("alice@example.org", WRONG).status_code == 400
        assert login("alice@example.org").status_code == 429
        assert login("victor@example.org").status_code == 200

    def test_four_failures_do_not_block_and_the_fifth_does(self, alice):
        for _ in range(FAILURES - 1):
            login("alice@example.org", WRONG)
        assert login_limits.check(email="alice@example.org", address=HOME) is None
        login("alice@example.org", WRONG)
        assert login_limits.check(email="alice@example.org", address=HOME) is not None

    def test_the_block_lasts_the_whole_window_and_no_longer(self, clock, alice):
        start = clock[0]
        for _ in range(FAILURES):
            login("alice@example.org", WRONG)
        clock[0] = start + WINDOW - 1
        assert login("alice@example.org").status_code == 429
        clock[0] = start + WINDOW
        assert login("alice@example.org").status_code == 200

    def test_a_failure_older_than_the_window_no_longer_counts(self, clock, alice):
        start = clock[0]
        for _ in range(FAILURES - 1):
            login("alice@example.org", WRONG)
        clock[0] = start + WINDOW
        login("alice@example.org", WRONG)  # the fifth in all, the first of a new window
        assert login("alice@example.org").status_code == 200


class TestPasswordRules:
    @pytest.fixture
    def person(self, org_a):
        return user_create(
            email=f"{LOCAL_PART}@example.org",
            password=PASSWORD,
            display_name=NAME,
            role=Role.MENTEE,
            organisation=org_a,
            timezone="UTC",
            languages=[],
        )

    @pytest.mark.parametrize("password", [LOCAL_PART, NAME])
    def test_sign_up_refuses_a_password_equal_to_the_email_local_part_or_the_name(self, org_a, password):
        with pytest.raises(ValidationError, match="similar"):
            user_create(
                email=f"{LOCAL_PART}@example.org",
                password=password,
                display_name=NAME,
                role=Role.MENTEE,
                organisation=org_a,
                timezone="UTC",
                languages=[],
            )

    @pytest.mark.parametrize("password", [LOCAL_PART, NAME])
    def test_the_same_password_is_fine_for_someone_else(self, org_a, password):
        assert user_create(
            email="amal@example.org",
            password=password,
            display_name="Amal",
            role=Role.MENTEE,
            organisation=org_a,
            timezone="UTC",
            languages=[],
        ).check_password(password)

    @pytest.mark.parametrize("password", [LOCAL_PART, NAME])
    def test_a_password_change_refuses_the_email_local_part_or_the_name(self, person, password):
        with pytest.raises(ValidationError, match="similar"):
            password_change(user=person, new_password=password)
        person.refresh_from_db()
        assert person.check_password(PASSWORD)

    def test_a_password_change_through_the_api_refuses_the_name(self, person, api):
        response = api(person).post(
            "/api/auth/password/", {"old_password": PASSWORD, "new_password": NAME}, format="json"
        )
        assert response.status_code == 400
        person.refresh_from_db()
        assert person.check_password(PASSWORD)
