"""A list page's rows as plain dicts, for the templates.

A page of model objects costs several times what its rows cost: every object, and every object a join or
a prefetch brings along, is built field by field, and a prefetched many-to-many field builds a queryset
per row. A list page shows a few columns of 20 rows, so it reads them with `values()` (`rows.rows`: the
API's `config.pagination.plain_rows`, of the selector's queryset, so its permissions and filters hold) and
the values of each many-to-many or reverse relation it shows in one query for the page (`attach_many`,
`attach_related`), as the API's lean lists do (config/lean.py). At 5,000 mentees this was a third to a
half of a coordinator page's CPU time (bench/pages.py).
"""

from collections import defaultdict
from collections.abc import Callable, Iterable
from enum import Enum
from typing import Any

from django.core.paginator import Page
from django.db.models import QuerySet

from config.pagination import plain_rows as rows  # noqa: F401  the pages call it rows.rows(...)


def page_rows(page: Page, **choices: type[Enum]) -> list[dict]:
    """The page's rows, read now; each column named in `choices` gains `<column>_label`, its label in the
    reader's language (what `get_<column>_display` gives an object)."""
    found = labelled(page.object_list, **choices)
    page.object_list = found
    return found


def labelled(found: Iterable[dict], **choices: type[Enum]) -> list[dict]:
    """`page_rows` for a list that is not paged (a few latest rows, a person's own rows): the rows, read
    now, each column named in `choices` with its `<column>_label`."""
    found = list(found)
    labels = {column: {member.value: member.label for member in enum} for column, enum in choices.items()}
    for row in found:
        for column, names in labels.items():
            row[f"{column}_label"] = names.get(row[column], row[column])
    return found


def attach_related(
    found: list[dict],
    name: str,
    related: QuerySet,
    owner: str,
    column: str,
    *,
    key: str = "pk",
    display: Callable[[Any], Any] | None = None,
) -> None:
    """Give each row `name`: the `column` values of the `related` rows whose `owner` is the row's `key`, in
    the related queryset's order, in one query for all the rows."""
    values: dict[Any, list] = defaultdict(list)
    owners = {row[key] for row in found}
    if owners:
        for owner_id, value in related.filter(**{f"{owner}__in": owners}).values_list(owner, column):
            values[owner_id].append(value if display is None else display(value))
    for row in found:
        row[name] = values.get(row[key], [])


def attach_many(
    found: list[dict],
    name: str,
    descriptor: Any,
    column: str,
    *,
    key: str = "pk",
    display: Callable[[Any], Any] | None = None,
) -> None:
    """`attach_related` for a many-to-many field (`Model.field`): the `column` of each related object, in the
    related model's own order, as a prefetch gives them."""
    field = descriptor.field
    owner, target = field.m2m_field_name(), field.m2m_reverse_field_name()
    ordering = _prefixed(target, field.related_model._meta.ordering)
    through = field.remote_field.through._default_manager.order_by(*ordering)
    attach_related(found, name, through, f"{owner}_id", f"{target}__{column}", key=key, display=display)


def _prefixed(prefix: str, ordering: Iterable[str]) -> list[str]:
    return [f"-{prefix}__{item[1:]}" if item.startswith("-") else f"{prefix}__{item}" for item in ordering]
