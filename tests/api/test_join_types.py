"""On PostgreSQL a join's column types are compared once per pair of columns (config.database's
DatabaseOperations, through the project's backend, config.postgresql), and every join compiles as Django's
own backend compiles it; a selected column's identity is Django's (config.postgresql.compiler)."""

import pytest
from django.apps import apps
from django.db import connection
from django.db.backends.postgresql import operations
from django.db.models import Field, Q, Value
from django.db.models.expressions import Col, Expression
from rest_framework.authtoken.models import Token

from accounts.models import User
from chat.models import Conversation
from config.database import DatabaseOperations
from config.postgresql.compiler import column_identity
from scheduling.models import Pairing
from volunteers.models import Volunteer

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


def selected_columns(queryset) -> list[Col]:
    compiler = queryset.query.get_compiler(connection=connection)
    compiler.pre_sql_setup()
    return [expression for expression, _sql, _alias in compiler.select if type(expression) is Col]


def test_a_selected_column_has_djangos_identity_before_the_order_by_asks():
    """config.postgresql.compiler writes each selected column's identity out: the same tuple Django's
    Expression.identity makes, for columns of the base table, of joined tables, and of a table joined twice."""
    querysets = [
        # a volunteer's organisation through the user (a second alias, T4); a conversation's two people
        Volunteer.objects.filter(organisation_id=1).values("id", "user__display_name", "user__organisation__name"),
        Conversation.objects.values("id", "pairing__volunteer__user__display_name", "pairing__mentee__user__id"),
        Pairing.objects.select_related("mentee__user", "volunteer__user").order_by("-id"),
    ]
    columns = [column for queryset in querysets for column in selected_columns(queryset)]
    aliases = {column.alias for column in columns}
    assert aliases >= {"T4", "accounts_user", "volunteers_volunteer"}
    assert len({alias for alias in aliases if alias.startswith("T")}) >= 2
    for column in columns:
        assert "identity" in column.__dict__
        assert column.__dict__["identity"] == Expression.identity.func(column), column
        assert hash(column) == hash(Expression.identity.func(column))


def test_an_unordered_query_hashes_no_column():
    unordered = Volunteer.objects.filter(organisation_id=1).values("id", "user__organisation__name").order_by()
    joined = [column for column in selected_columns(unordered) if column.alias == "T4"]  # a new Col each query
    assert joined
    assert not any("identity" in column.__dict__ for column in joined)


def test_a_column_made_with_its_output_field_named_has_djangos_identity():
    name, email = User._meta.get_field("display_name"), User._meta.get_field("email")
    for column in (Col("T4", name), Col("T4", name, email), Col("T4", name, output_field=email), Col("T4", name, None)):
        assert column_identity(column) == Expression.identity.func(column)
    assert column_identity(Col("T4", name)) != column_identity(Col("T5", name))
    assert column_identity(Col("T4", name)) != column_identity(Col("T4", email))


def test_a_query_of_no_model_compiles(db):
    # a check constraint's validation asks PostgreSQL `SELECT 1 ... WHERE` through a Query of no model
    assert Q(display_name="Ana").check({"display_name": Value("Ana")}) is True
    assert Q(display_name="Ana").check({"display_name": Value("Bea")}) is False
