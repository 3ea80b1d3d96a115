"""On PostgreSQL a statement a connection runs again and again is prepared there (server-side binding,
DB_PREPARE_THRESHOLD): PostgreSQL plans a page's joins once per connection instead of on every request
(planning a conversations page cost several times what running it did; bench/api.py)."""

import importlib

import psycopg
import pytest
from django.db import connection, transaction
from django.db.utils import NotSupportedError

import config.settings
from accounts.models import Skill
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
    statements = prepared_statements('SELECT "chat_conversation"."id" AS %LIMIT%')
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


@pytest.fixture
def column_widened(transactional_db, vocabulary):
    """Widens a column from another connection, as `migrate` does while the app runs, and restores it."""
    params = {**connection.get_connection_params(), "autocommit": True}
    for django_only in ("cursor_factory", "server_side_binding", "prepare_threshold"):
        params.pop(django_only, None)

    def alter(length: int) -> None:
        with psycopg.connect(**params) as other:
            other.execute(f"ALTER TABLE accounts_skill ALTER COLUMN label TYPE varchar({length})")

    yield lambda: alter(121)
    connection.close()
    alter(120)


def test_a_statement_prepared_before_a_migration_runs_again_after_it(column_widened):
    # given a read the connection has prepared
    threshold = connection.settings_dict["OPTIONS"]["prepare_threshold"]
    for _ in range(threshold + 2):
        expected = list(Skill.objects.filter(slug="cv-writing").values_list("slug", "label"))
    assert prepared_statements('SELECT "accounts_skill"."slug"%')
    # when a migration changes the type of a column it reads
    column_widened()
    # then the same read answers, outside a transaction, and again afterwards
    assert list(Skill.objects.filter(slug="cv-writing").values_list("slug", "label")) == expected
    assert list(Skill.objects.filter(slug="cv-writing").values_list("slug", "label")) == expected


def test_inside_a_transaction_the_refusal_stands_and_its_rollback_clears_it(column_widened):
    threshold = connection.settings_dict["OPTIONS"]["prepare_threshold"]
    for _ in range(threshold + 2):
        expected = list(Skill.objects.filter(slug="cv-writing").values_list("slug", "label"))
    column_widened()
    # a transaction that meets the outdated statement fails (it cannot go on after an error)
    with pytest.raises(NotSupportedError), transaction.atomic():
        list(Skill.objects.filter(slug="cv-writing").values_list("slug", "label"))
    # and after its rollback the statement is prepared anew
    assert list(Skill.objects.filter(slug="cv-writing").values_list("slug", "label")) == expected
