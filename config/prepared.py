"""A queryset compiled to SQL once, then run again with other values for its parameters.

The ORM compiles a queryset on every evaluation (about 0.3-1 ms of CPU for a join with a filter); for a
statement every request runs with only its values changed (an API token's lookup, a list page's related
rows), that compiling was a large share of a request's work. `PreparedQuery` builds the queryset once per
database (in each process) and shape with placeholder values, keeps its SQL and compiler, and on each call
substitutes the real values and converts the rows as the ORM would (the compiler's own converters: dates
on SQLite, JSON, booleans), found once per compiled statement: rows that need none are given back as the
driver fetched them. Every call still asks the database.
"""

from collections.abc import Callable, Sequence
from typing import Any

from django.db import connections, models


class _Slot:
    """Where the compiled parameters take the call's value `index` (item `item` of a list value)."""

    def __init__(self, index: int, item: int | None = None):
        self.index, self.item = index, item


def _placeholder(index: int, item: int | None) -> Any:
    # a string for a value compared with a text column; an unlikely negative integer for each id of a list
    return f"\x00prepared-{index}\x00" if item is None else -(2**60) - index * 1000 - item


def _padded(ids: Sequence[int]) -> Sequence[int]:
    """The ids, the last repeated up to a power of two long (the same `IN` list): a process compiles, and
    PostgreSQL prepares, a statement per power of two up to a page's length, not per length."""
    length = len(ids)
    if length & (length - 1) == 0:  # 0, 1, 2, 4, ...
        return ids
    return [*ids, *[ids[-1]] * ((1 << length.bit_length()) - length)]


class PreparedQuery:
    """`build(*values)` is a values_list() queryset. A value is a string compared for equality with a text
    column, or a list of integer ids (an `__in` lookup): the SQL is compiled once per database and per
    power of two the length of each list is padded to. Every placeholder must reach the compiled parameters
    unchanged, once."""

    def __init__(self, build: Callable[..., models.QuerySet]):
        self.build = build
        # Per database, not per connection object: under ASGI every request runs in a thread of its own with a
        # new connection object, and keyed by it each statement was compiled again on every request there. A
        # compiler is only read once built; it keeps the connection it compiled with for its rows' converters,
        # which need no open connection.
        self.compiled: dict[str, dict] = {}

    def _compiled(self, connection, shape: tuple[int | None, ...]) -> tuple[Any, str, list, bool]:
        by_shape = self.compiled.setdefault(connection.alias, {})
        if shape not in by_shape:
            slots: dict[Any, _Slot] = {}
            values: list[Any] = []
            for index, length in enumerate(shape):
                if length is None:
                    values.append(_placeholder(index, None))
                    slots[values[-1]] = _Slot(index)
                else:
                    values.append([_placeholder(index, item) for item in range(length)])
                    slots.update({value: _Slot(index, item) for item, value in enumerate(values[-1])})
            compiler = self.build(*values).query.get_compiler(connection=connection)
            sql, params = compiler.as_sql()
            template = [slots.get(param, param) if isinstance(param, str | int) else param for param in params]
            if sum(isinstance(item, _Slot) for item in template) != len(slots):
                raise ValueError("each placeholder must reach the compiled parameters once, unchanged")
            fields = [selected[0] for selected in compiler.select[: compiler.col_count]]
            # rows the ORM would give back as the database does (no converter, no composite key): as they are
            as_fetched = not compiler.get_converters(fields) and not compiler.has_composite_fields(fields)
            by_shape[shape] = (compiler, sql, template, as_fetched)
        return by_shape[shape]

    def rows(self, *values: str | Sequence[int], using: str = "default") -> list[tuple]:
        connection = connections[using]
        values = tuple(value if isinstance(value, str) else _padded(value) for value in values)
        shape = tuple(None if isinstance(value, str) else len(value) for value in values)
        compiler, sql, template, as_fetched = self._compiled(connection, shape)
        params = [
            item
            if not isinstance(item, _Slot)
            else values[item.index]
            if item.item is None
            else values[item.index][item.item]
            for item in template
        ]
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            fetched = cursor.fetchall()
        if as_fetched:  # the drivers' rows are tuples already
            return fetched
        return list(compiler.results_iter(results=[fetched], tuple_expected=True))
