"""The project's PostgreSQL compilers (DatabaseOperations.compiler_module): Django's, with each selected
column's identity written out before an ORDER BY looks the columns up.

To order by a selected column's position, Django puts every selected expression in a dict, which hashes its
`identity`. A column of a joined table (a volunteer's organisation, a conversation's two people) is a new
`Col` on every query, and Django finds its identity by binding its constructor's arguments through
`inspect.signature`: about 14 us a column, 3 % of the instructions of a list page with joins. The identity
written here is the same tuple, from the same constructor arguments (tests/api/test_join_types.py compares
them).
"""

from typing import Any

from django.db.backends.postgresql import compiler
from django.db.models import Field
from django.db.models.expressions import Col
from django.utils.hashable import make_hashable

__all__ = ["SQLAggregateCompiler", "SQLCompiler", "SQLDeleteCompiler", "SQLInsertCompiler", "SQLUpdateCompiler"]

SQLAggregateCompiler = compiler.SQLAggregateCompiler
SQLDeleteCompiler = compiler.SQLDeleteCompiler
SQLInsertCompiler = compiler.SQLInsertCompiler
SQLUpdateCompiler = compiler.SQLUpdateCompiler

_COL_ARGUMENTS = ("alias", "target", "output_field")


def _identity_part(value: Any) -> Any:
    # as Expression.identity makes each argument hashable
    if isinstance(value, Field):
        return (value.model._meta.label, value.name) if value.name and value.model else type(value)
    return make_hashable(value)


def column_identity(column: Col) -> tuple:
    """What Expression.identity gives a Col: its class, then each argument of Col(alias, target,
    output_field=None) as it was given, the default for one not given."""
    args, kwargs = column._constructor_args
    given = {"output_field": None, **dict(zip(_COL_ARGUMENTS, args, strict=False)), **kwargs}
    return (type(column), *((name, _identity_part(given[name])) for name in _COL_ARGUMENTS))


class SQLCompiler(compiler.SQLCompiler):
    def get_order_by(self) -> Any:
        query = self.query
        # the ordering Django's _order_by_pairs finds: with none, it hashes no column
        meta = query.get_meta()  # None for a query of no model
        if query.extra_order_by or query.order_by or (query.default_ordering and meta and meta.ordering):
            for expression, _sql, _alias in self.select:
                if type(expression) is Col and "identity" not in expression.__dict__:
                    expression.__dict__["identity"] = column_identity(expression)
        return super().get_order_by()
