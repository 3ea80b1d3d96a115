"""Log-in, log-out, tokens, password change, sessions and CSRF through the real API."""

import pytest
from django.test import Client
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from accounts import services
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def login(client, email, password=PASSWORD, **extra):
    return client.post(
        "/api/auth/login/", {"email": email, "password": password}, content_type="application/json", **extra
    )


def test_it_logs_in_with_email_and_password_and_shows_who_i_am(alice):
    client = Client()
    response = login(client, "ALICE@example.org")
    assert response.status_code == 200
    assert response.json()["role"] == "volunteer"
    me = client.get("/api/auth/me/")
    assert me.status_code == 200
    assert me.json()["email"] == "alice@example.org"


def test_it_changes_the_session_key_at_login(alice):
    # given an anonymous session already holding a key
    client = Client()
    session = client.session
    session["seen"] = True
    session.save()
    client.cookies["sessionid"] = session.session_key
    before = session.session_key
    # when
    assert login(client, "alice@example.org").status_code == 200
    # then
    assert client.cookies["sessionid"].value != before


def test_it_answers_the_same_for_an_unknown_user_and_a_wrong_password(alice):
    unknown = login(Client(), "nobody@example.org")
    wrong = login(Client(), "alice@example.org", "not-the-password-at-all")
    assert unknown.status_code == wrong.status_code == 400
    assert unknown.json() == wrong.json()


def test_it_refuses_bad_login_input_with_field_messages(db):
    response = Client().post("/api/auth/login/", {"email": "not-an-email"}, content_type="application/json")
    assert response.status_code == 400
    assert set(response.json()) == {"email", "password"}


def test_logout_ends_every_other_session_and_token(alice):
    # given two browsers and an API token
    first, second = Client(), Client()
    login(first, "alice@example.org")
    login(second, "alice@example.org")
    token = services.token_issue(user=alice.user)
    # when one logs out
    assert first.post("/api/auth/logout/").status_code == 204
    # then the other session and the token are over too
    assert second.get("/api/auth/me/").status_code in (401, 403)
    assert first.get("/api/auth/me/").status_code in (401, 403)
    assert not Token.objects.filter(key=token.key).exists()


def test_password_change_keeps_this_session_and_ends_the_others(alice):
    here, elsewhere = Client(), Client()
    login(here, "alice@example.org")
    login(elsewhere, "alice@example.org")
    response = here.post(
        "/api/auth/password/",
        {"old_password": PASSWORD, "new_password": "a-new-long-passphrase"},
        content_type="application/json",
    )
    assert response.status_code == 204
    assert here.get("/api/auth/me/").status_code == 200
    assert elsewhere.get("/api/auth/me/").status_code in (401, 403)
    assert login(Client(), "alice@example.org", "a-new-long-passphrase").status_code == 200


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"old_password": "wrong-password-123", "new_password": "a-new-long-passphrase"}, "old_password"),
        ({"old_password": PASSWORD, "new_password": "short"}, "new_password"),
        ({"old_password": PASSWORD, "new_password": "password123"}, "new_password"),
        ({"old_password": PASSWORD, "new_password": "1234567890123"}, "new_password"),
        ({"old_password": PASSWORD}, "new_password"),
    ],
)
def test_password_change_refuses_bad_input_and_keeps_the_password(alice, payload, field):
    client = Client()
    login(client, "alice@example.org")
    response = client.post("/api/auth/password/", payload, content_type="application/json")
    assert response.status_code == 400
    assert field in response.json()
    alice.user.refresh_from_db()
    assert alice.user.check_password(PASSWORD)


def test_it_issues_uses_and_revokes_an_api_token(alice):
    response = APIClient().post("/api/auth/token/", {"email": "alice@example.org", "password": PASSWORD})
    assert response.status_code == 200
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {response.json()['token']}")
    assert client.get("/api/auth/me/").json()["email"] == "alice@example.org"
    assert client.delete("/api/auth/token/").status_code == 204
    assert client.get("/api/auth/me/").status_code == 401


def test_it_refuses_a_token_for_wrong_credentials(alice):
    response = APIClient().post("/api/auth/token/", {"email": "alice@example.org", "password": "wrong-password-1"})
    assert response.status_code == 400
    assert not Token.objects.exists()


def test_it_enforces_csrf_on_session_authenticated_writes(bob):
    client = APIClient(enforce_csrf_checks=True)
    token = client.get("/api/auth/csrf/").json()["csrf_token"]
    assert login(client, "bob@example.org", HTTP_X_CSRFTOKEN=token).status_code == 200
    payload = {"needs": ["cv-writing"], "description": "Help with my CV"}
    refused = client.post("/api/help-requests/", payload, format="json")
    assert refused.status_code == 403
    assert "CSRF" in refused.json()["detail"]
    assert not bob.help_requests.exists()
    accepted = client.post(
        "/api/help-requests/", payload, format="json", HTTP_X_CSRFTOKEN=client.cookies["csrftoken"].value
    )
    assert accepted.status_code == 201


def test_api_answers_are_never_cached(alice, api):
    response = api(alice).get("/api/auth/me/")
    assert "no-store" in response["Cache-Control"]
    assert "no-store" in APIClient().get("/api/vocabulary/languages/")["Cache-Control"]


def test_anonymous_callers_cannot_see_who_they_are(db):
    assert APIClient().get("/api/auth/me/").status_code in (401, 403)


def test_a_session_log_in_from_a_cross_site_form_without_the_csrf_token_is_refused(alice):
    client = APIClient(enforce_csrf_checks=True)
    response = client.post("/api/auth/login/", {"email": "alice@example.org", "password": PASSWORD}, format="multipart")
    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]
    assert client.get("/api/auth/me/").status_code in (401, 403)


def test_a_page_gets_the_csrf_cookie_first_and_then_logs_in_with_the_token(alice):
    client = APIClient(enforce_csrf_checks=True)
    answer = client.get("/api/auth/csrf/")
    assert answer.status_code == 200
    cookie = client.cookies["csrftoken"].value
    assert cookie
    response = login(client, "alice@example.org", HTTP_X_CSRFTOKEN=answer.json()["csrf_token"])
    assert response.status_code == 200
    assert client.get("/api/auth/me/").status_code == 200


def test_a_token_log_in_needs_no_csrf_token(alice):
    response = APIClient(enforce_csrf_checks=True).post(
        "/api/auth/token/", {"email": "alice@example.org", "password": PASSWORD}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["token"]
