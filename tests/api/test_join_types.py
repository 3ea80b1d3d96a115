"""On PostgreSQL a join's column types are compared once per pair of columns (config.database's
DatabaseOperations, through the project's backend, config.postgresql), and every join compiles as Django's
own backend compiles it."""

import pytest
from django.apps import apps
from django.db import connection
from django.db.backends.postgresql import operations
from django.db.models import Field
from rest_framework.authtoken.models import Token

from accounts.models import User
from config.database import DatabaseOperations

pytestmark = [pytest.mark.postgres]


def joins() -> list[tuple]:
    """Every pair of columns a join of the project's models compares, both ways."""
    pairs = []
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if getattr(field, "get_joining_fields", None) and field.concrete:
                for lhs, rhs in field.get_joining_fields():
                    pairs += [(lhs, rhs), (rhs, lhs)]
    return pairs


def compiled(ops, lhs, rhs) -> tuple:
    compiler = Token.objects.all().query.get_compiler(connection=connection)
    left, right = ops.prepare_join_on_clause("lhs", lhs, "rhs", rhs)
    return compiler.compile(left), compiler.compile(right)


def test_every_join_compiles_as_djangos():
    assert isinstance(connection.ops, DatabaseOperations)
    django_ops = operations.DatabaseOperations(connection)
    pairs = joins()
    assert len(pairs) > 50
    for lhs, rhs in pairs:
        # twice: the first compares the types, the second finds the answer kept
        for _ in range(2):
            assert compiled(connection.ops, lhs, rhs) == compiled(django_ops, lhs, rhs), (lhs, rhs)


def test_columns_of_different_types_are_cast_as_django_casts_them():
    # a key against a text column: the right side is cast to the left's type
    lhs, rhs = User._meta.pk, User._meta.get_field("email")
    for _ in range(2):
        sql, _params = compiled(connection.ops, lhs, rhs)[1]
        assert "::bigint" in sql
        assert compiled(connection.ops, lhs, rhs) == compiled(operations.DatabaseOperations(connection), lhs, rhs)


def test_a_join_compiled_again_builds_no_field(monkeypatch):
    query = Token.objects.filter(user__email="someone@example.org").query
    query.get_compiler(connection=connection).as_sql()
    built = []
    original = Field.__init__

    def counted(self, *args, **kwargs):
        built.append(type(self).__name__)
        original(self, *args, **kwargs)

    monkeypatch.setattr(Field, "__init__", counted)
    query.get_compiler(connection=connection).as_sql()
    assert built == []
