"""Writing to the safeguarding log. Every service that makes a safeguarding decision calls `record`."""

from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.db import models

from common.services import insert_rows
from safeguarding.models import Action, Entry

if TYPE_CHECKING:  # the log sits below accounts: no import of it at run time
    from accounts.models import User


def record(
    action: Action,
    *,
    organisation_id: int | None,
    actor: "User | None" = None,
    subject: "User | int | None" = None,
    target: models.Model | None = None,
    reason: str = "",
    detail: dict | None = None,
) -> Entry:
    """Append one entry, in the caller's transaction: a decision and its log row commit together."""
    return Entry.objects.create(**_fields(action, organisation_id, actor, subject, target, reason, detail))


def record_many(entries: Iterable[dict]) -> None:
    """Append several entries at once (e.g. the proposals of a match run: one COPY on PostgreSQL). An
    entry's target may be given as (its model, its id), without building the object."""
    insert_rows(
        Entry,
        [
            _fields(
                e.pop("action"),
                e.pop("organisation_id"),
                e.pop("actor", None),
                e.pop("subject", None),
                e.pop("target", None),
                e.pop("reason", ""),
                e.pop("detail", None),
            )
            for e in entries
        ],
    )


def _fields(action, organisation_id, actor, subject, target, reason, detail) -> dict:
    # target: the object, or (its model, its id) when only the id is at hand (record_many of thousands)
    target_model, target_id = target if isinstance(target, tuple) else (target, getattr(target, "pk", None))
    actor_id = getattr(actor, "pk", None)
    subject_id = getattr(subject, "pk", subject)
    return {
        "action": action,
        "organisation_id": organisation_id,
        "actor_id": actor_id if actor is None or getattr(actor, "is_authenticated", True) else None,
        "subject_id": subject_id,
        "object_type": target_model._meta.model_name if target_model is not None else "",
        "object_id": target_id,
        "reason": (reason or "")[:500],
        "detail": detail or {},
    }
