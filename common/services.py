"""Write helpers every app's services share."""

import enum
import json
from typing import Any, TypeVar

from django.db import connection, models

M = TypeVar("M", bound=models.Model)


def model_update(*, instance: M, data: dict[str, Any]) -> tuple[M, list[str]]:
    """Set the given fields and save only those that changed (and `updated_at` when the model has one).

    A full `save()` writes every column from the copy loaded when the request began, so it would undo a
    decision someone else made meanwhile (a vetting rejected while the volunteer edited their bio)."""
    changed = []
    for name, value in data.items():
        if getattr(instance, name) != value:
            setattr(instance, name, value)
            changed.append(name)
    if changed:
        update_fields = list(changed)
        if any(field.name == "updated_at" for field in instance._meta.concrete_fields):
            update_fields.append("updated_at")
        instance.save(update_fields=update_fields)
    return instance, changed


def insert_rows(model: type[models.Model], rows: list[dict[str, Any]], **shared: Any) -> None:
    """Insert many rows of `model` at once, like bulk_create (no save(), no signals): each row gives its own
    columns by attname (the same keys in every row), `shared` the values every row has, and the other
    columns take their defaults (auto_now_add: now). On PostgreSQL with COPY from plain values: a model
    object per row and bulk_create's preparation of every field of each took seconds for a few thousand
    rows; here the shared columns are prepared once. Elsewhere bulk_create."""
    if not rows:
        return
    if connection.vendor != "postgresql":
        model._default_manager.bulk_create([model(**shared, **row) for row in rows], batch_size=1000)
        return
    template = model(**shared)
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    prepared = [_copy_value(f.get_db_prep_save(f.pre_save(template, True), connection)) for f in fields]
    own = [(i, f.attname, isinstance(f, models.JSONField)) for i, f in enumerate(fields) if f.attname in rows[0]]
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    with (
        connection.cursor() as cursor,
        cursor.cursor.copy(f"COPY {connection.ops.quote_name(model._meta.db_table)} ({columns}) FROM STDIN") as copy,
    ):
        for values in rows:
            row = list(prepared)
            for index, attname, is_json in own:
                value = values[attname]
                row[index] = json.dumps(value) if is_json else value.value if isinstance(value, enum.Enum) else value
            copy.write_row(row)


def _copy_value(value: Any) -> Any:
    # Django's JSONField prepares a psycopg Jsonb wrapper; COPY's text format takes the JSON text itself.
    # A choice (an enum) goes as its value, as Django stores it.
    if isinstance(value, enum.Enum):
        return value.value
    return json.dumps(value.obj) if hasattr(value, "obj") else value
