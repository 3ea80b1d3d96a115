"""Write helpers every app's services share."""

from typing import Any, TypeVar

from django.db import models

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
