"""API tokens read in one prepared statement: the same user and token as DRF's lookup, one query, and every
request still asks the database (a revoked token or a deactivated user is refused at once)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from accounts.authentication import TokenAuthentication, token_owner
from accounts.services import token_issue
from config.prepared import PreparedQuery

pytestmark = pytest.mark.django_db


def client_with(key: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def test_it_finds_the_same_user_and_token_as_drfs_lookup(carol):
    token = token_issue(user=carol)
    user, found = TokenAuthentication().authenticate_credentials(token.key)
    expected = Token.objects.select_related("user").get(key=token.key)
    assert user == carol
    assert found == expected
    assert found.created == expected.created
    assert found.created.tzinfo is not None
    assert {f.attname: getattr(user, f.attname) for f in user._meta.concrete_fields} == {
        f.attname: getattr(expected.user, f.attname) for f in user._meta.concrete_fields
    }
    assert found.user is user
    assert user._state.adding is False
    assert user._state.db == "default"


def test_it_reads_token_and_user_in_one_query(carol):
    client = client_with(token_issue(user=carol).key)
    client.get("/api/auth/me/")
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/api/auth/me/").json()["email"] == carol.email
    token_queries = [q["sql"] for q in queries.captured_queries if "authtoken_token" in q["sql"]]
    assert len(token_queries) == 1
    assert "accounts_user" in token_queries[0]


def test_a_deleted_token_or_an_inactive_user_is_refused_on_the_next_request(carol):
    key = token_issue(user=carol).key
    client = client_with(key)
    assert client.get("/api/auth/me/").status_code == 200
    type(carol).objects.filter(pk=carol.pk).update(is_active=False)  # no signal, no service: still refused
    response = client.get("/api/auth/me/")
    assert response.status_code == 401
    assert "inactive" in response.json()["detail"]
    type(carol).objects.filter(pk=carol.pk).update(is_active=True)
    assert client.get("/api/auth/me/").status_code == 200
    Token.objects.filter(key=key).delete()
    response = client.get("/api/auth/me/")
    assert response.status_code == 401
    assert response.json()["detail"] == "Invalid token."


@pytest.mark.parametrize("key", ["not-a-token", "", "x" * 300, "' OR 1=1 --", "\x00"])
def test_a_forged_key_is_refused(carol, key):
    token_issue(user=carol)
    assert client_with(key).get("/api/auth/me/").status_code == 401


def test_a_prepared_query_refuses_a_placeholder_the_orm_changed(carol):
    """`contains` wraps the value in wildcards: the compiled parameter is not the placeholder."""
    changed = PreparedQuery(lambda email: Token.objects.filter(user__email__contains=email).values_list("key"))
    with pytest.raises(ValueError, match="once, unchanged"):
        changed.rows("someone@example.org")


@pytest.mark.parametrize("key", ["a\x00b", "x" * 41, "abc def", "é" * 10])
def test_a_malformed_key_belongs_to_no_one_without_a_query(carol, key):
    with CaptureQueriesContext(connection) as queries:
        assert token_owner(key) is None
    assert len(queries) == 0


@pytest.mark.django_db(transaction=True)
async def test_a_socket_with_a_malformed_or_unknown_token_is_anonymous(carol):
    from channels.db import database_sync_to_async

    from chat.auth import _user_for_token

    key = (await database_sync_to_async(token_issue)(user=carol)).key
    assert (await _user_for_token(key)).pk == carol.pk
    for other in ("a\x00b", "0" * 40, ""):
        assert not (await _user_for_token(other)).is_authenticated
