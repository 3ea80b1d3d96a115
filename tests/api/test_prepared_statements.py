"""On PostgreSQL a statement a connection runs again and again is prepared there (server-side binding,
DB_PREPARE_THRESHOLD): PostgreSQL plans a page's joins once per connection instead of on every request
(planning a conversations page cost several times what running it did; bench/api.py)."""

import importlib

import pytest
from django.db import connection

import config.settings
from tests.chat.conftest import approved_conversation

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


def prepared_statements(like: str) -> list[tuple[str, int, int]]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT statement, generic_plans, custom_plans FROM pg_prepared_statements WHERE statement LIKE %s",
            [like],
        )
        return cursor.fetchall()


def test_a_page_asked_for_again_and_again_is_planned_once_per_connection(api, org_a, alice, bob, carol):
    # given a coordinator's conversations
    approved_conversation(org_a, alice, bob, carol)
    threshold = connection.settings_dict["OPTIONS"]["prepare_threshold"]
    # when the same page is asked for more often than the threshold, and then five times more
    answers = [api(carol).get("/api/conversations/") for _ in range(threshold + 10)]
    # then every answer is the same page
    assert {answer.status_code for answer in answers} == {200}
    assert len({answer.content for answer in answers}) == 1
    # and the page's statement is prepared on the connection, its later runs without planning it again
    statements = prepared_statements('SELECT "chat_conversation"."id" AS "pk"%LIMIT%')
    assert len(statements) == 1, statements
    _, generic_plans, custom_plans = statements[0]
    assert generic_plans >= 1, (generic_plans, custom_plans)


@pytest.mark.parametrize(("threshold", "expected"), [("", (True, 5)), ("0", (True, 0)), ("-1", (None, None))])
def test_the_threshold_is_read_from_the_environment(monkeypatch, threshold, expected):
    monkeypatch.setenv("DB_PREPARE_THRESHOLD", threshold)
    monkeypatch.setenv("DB_POOL", "1")
    try:
        options = importlib.reload(config.settings).DATABASES["default"]["OPTIONS"]
        assert (options.get("server_side_binding"), options.get("prepare_threshold")) == expected
    finally:
        monkeypatch.undo()
        importlib.reload(config.settings)


def test_without_the_pool_nothing_is_prepared(monkeypatch):
    # behind PgBouncer (DB_POOL=0) a transaction-mode pooler may not keep a connection's prepared statements
    monkeypatch.setenv("DB_POOL", "0")
    try:
        options = importlib.reload(config.settings).DATABASES["default"]["OPTIONS"]
        assert "prepare_threshold" not in options
        assert "server_side_binding" not in options
    finally:
        monkeypatch.undo()
        importlib.reload(config.settings)
