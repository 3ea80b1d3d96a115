"""Lists (and single objects) read as plain rows: a page of a list endpoint without a model object per row
or a serializer call per field of each row.

A DRF list builds a model instance for every row (and for every joined or prefetched related row), then
walks the serializer's fields for each: at 25 rows that was most of a list request's CPU, 5-10 times what
reading the same rows with `values()` costs (bench/api.py); one object cost as much again in serializer
fields built for it. `LeanReadMixin` serves the list and retrieve actions from `values()` instead, shaped by
the view's own serializer, whose fields are built once per class:

- each field's `to_representation` formats its column (same dates, choices and numbers), except where it
  would give the column's value back as it is (a text, a number, a boolean, a text choice, a key);
- a dotted source (`user.display_name`) is a column through the join (`user__display_name`), over foreign
  keys that cannot be null;
- a nested serializer over a foreign key is its own columns through the join, shaped by its own fields,
  and null when the key is;
- a foreign key shown by its id (`PrimaryKeyRelatedField` and other pk-only related fields) is its column;
- a many-to-many or reverse foreign key, shown as slugs (`SlugRelatedField`) or by a nested serializer, is
  read in one query per field for the whole page, in the order a prefetch gives;
- a model property declared as a `RowProperty` (a function of columns) is computed from the row;
- fields that read the serializer's context (the request, a vocabulary shared by the answer) get the
  request's, as DRF gives it.

A page whose columns go through joins is read in two statements: its keys (and the annotations it shows)
through the view's queryset, with its permissions, filters, ordering and page, which the ORM compiles on
every request; then the columns of those keys, through the joins, in a statement compiled once per
database (PreparedQuery). Compiling every column's join on each request had been the largest share of such
a page's CPU after its HTTP; a page of its own table's columns costs less to compile than a round trip.

The serializer stays the one description of the shape (and of the OpenAPI schema); a serializer with any
other kind of readable field (method fields, plain properties, nullable joins in a dotted source, nested
many inside many) is served by DRF as before, and so is a queryset that prefetches through its own
queryset. tests/api/test_lean_lists.py holds both outputs equal.
"""

import datetime
from collections import defaultdict
from collections.abc import Callable, Iterator, MutableMapping
from contextvars import ContextVar
from typing import Any

from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import connections, models
from django.db.models import OuterRef, Prefetch
from django.db.models.constants import LOOKUP_SEP
from django.http import Http404
from django.utils import timezone
from django.utils.functional import cached_property
from rest_framework import generics, relations, serializers
from rest_framework import permissions as drf_permissions
from rest_framework.response import Response
from rest_framework.settings import ISO_8601, api_settings

from common.properties import RowProperty, one_day
from config.pagination import plain_rows
from config.prepared import PreparedQuery

_request_context: ContextVar[dict] = ContextVar("lean_request_context")
_KEYS_PER_STATEMENT = 128  # a page's largest size (100), padded to a power of two by PreparedQuery
_request_timezone: ContextVar[datetime.tzinfo] = ContextVar("lean_request_timezone")


class _RequestContext(MutableMapping):
    """The context of a planned serializer: the current request's (a plan's fields are shared by requests
    and threads), so a field reading `self.context` sees what DRF would give it."""

    def _current(self) -> dict:
        return _request_context.get({})

    def __getitem__(self, key):
        return self._current()[key]

    def __setitem__(self, key, value) -> None:
        self._current()[key] = value

    def __delitem__(self, key) -> None:
        del self._current()[key]

    def __iter__(self) -> Iterator:
        return iter(self._current())

    def __len__(self) -> int:
        return len(self._current())


class _Column:
    """One column, formatted by its field (None passes through, as DRF never formats a null)."""

    def __init__(self, column: str, formatter: Callable[[Any], Any] | None):
        self.columns = [column]
        self.formatter = formatter

    def read(self, row: dict, found: dict) -> Any:
        value = row[self.columns[0]]
        return value if value is None or self.formatter is None else self.formatter(value)


class _Computed:
    """A RowProperty, from its columns, formatted by its field."""

    def __init__(self, columns: list[str], function: Callable[..., Any], formatter: Callable[[Any], Any]):
        self.columns = columns
        self.function = function
        self.formatter = formatter


class _Many:
    """A many-to-many or reverse foreign key: the related rows of the whole page in one query, through the
    relation's query name back to the owners (Django's own, also when it has no related_name), in the
    related model's default order, which is what a prefetch gives."""

    def __init__(self, owner_column: str, related: type[models.Model], back: str, item: "_Column | LeanPlan"):
        self.columns = [owner_column]
        self.names = [back, *item.columns]
        self.item = item
        self.related, self.back = related, back
        self.array: str | None = None  # the column of the rows by key that holds it as an array, if any
        # compiled once per database: the same statement on every page, with only the owners' ids changed
        self.related_rows = PreparedQuery(
            lambda owners: related._default_manager.filter(**{f"{back}__in": owners}).values_list(*self.names)
        )

    @property
    def foldable(self) -> bool:
        """One column as it is (a slug): PostgreSQL gives it as an array per owner, in the same order."""
        return isinstance(self.item, _Column) and self.item.formatter is None

    def as_array(self) -> models.Expression:
        from django.contrib.postgres.expressions import ArraySubquery

        related = self.related._default_manager.filter(**{self.back: OuterRef(self.columns[0])})
        return ArraySubquery(related.values(self.item.columns[0]))

    def fetch(self, rows: list[dict]) -> dict[Any, list]:
        if rows and self.array is not None and self.array in rows[0]:  # read with the rows, by key
            return {row[self.columns[0]]: row[self.array] for row in rows}
        owners = sorted({row[self.columns[0]] for row in rows})
        found: dict[Any, list] = defaultdict(list)
        if not owners:
            return found
        related = self.related_rows.rows(owners)
        if isinstance(self.item, _Column) and self.item.formatter is None:  # one column as it is: a slug
            for owner, value in related:
                found[owner].append(value)
        else:
            for values in related:
                found[values[0]].append(self.item.read(dict(zip(self.names, values, strict=True)), {}))
        return found

    def read(self, row: dict, found: dict) -> list:
        return found[self].get(row[self.columns[0]], [])


class LeanPlan:
    """How one serializer reads from plain rows: a reader per readable field, in the serializer's order."""

    def __init__(self, model: type[models.Model], key: str):
        self.model = model
        self.key = key  # the column holding the primary key of the plan's rows
        self.fields: list[tuple[str, _Column | _Computed | _Many | LeanPlan]] = []
        self.annotations: set[str] = set()  # columns that are no model field: the queryset must annotate them
        self.null_column: str | None = None  # a nested plan's foreign key: the object is null when it is
        self._by_key_of: dict[str, tuple[list[str], PreparedQuery] | None] = {}  # per database vendor

    @property
    def columns(self) -> list[str]:
        own = [] if self.null_column is None else [self.null_column]
        return [*own, *(column for _, reader in self.fields for column in reader.columns)]

    def manys(self) -> list[_Many]:
        found = []
        for _, reader in self.fields:
            if isinstance(reader, _Many):
                found.append(reader)
            elif isinstance(reader, LeanPlan):
                found.extend(reader.manys())
        return found

    @cached_property
    def _read_row(self) -> Callable[[dict, dict], dict | None]:
        """`read`, written out once the plan is made: one dict display per row, each column or computed
        property read in place (formatted where its field formats it) and nested readers called, instead of
        a loop that looks at each field's kind on every row. Only generated names and `repr`s of the plan's
        own names are written into the source; functions are passed in by those names."""
        given: dict[str, Any] = {}
        items = []
        for index, (name, reader) in enumerate(self.fields):
            if type(reader) is _Column:
                value = f"row[{reader.columns[0]!r}]"
            elif type(reader) is _Computed:
                given[f"compute_{index}"] = reader.function
                value = f"compute_{index}({', '.join(f'row[{column!r}]' for column in reader.columns)})"
            else:  # a nested plan (its own written-out reader) or a many
                given[f"read_{index}"] = reader._read_row if isinstance(reader, LeanPlan) else reader.read
                items.append(f"{name!r}: read_{index}(row, found)")
                continue
            if reader.formatter is not None:  # None passes through, as DRF never formats a null
                given[f"format_{index}"] = reader.formatter
                value = f"None if (value := {value}) is None else format_{index}(value)"
            items.append(f"{name!r}: {value}")
        null = "" if self.null_column is None else f"None if row[{self.null_column!r}] is None else "
        exec(f"def read(row, found):\n    return {null}{{{', '.join(items)}}}", given)
        return given["read"]

    def read(self, row: dict, found: dict) -> dict | None:
        return self._read_row(row, found)

    def usable_with(self, queryset: models.QuerySet) -> bool:
        # A prefetch through its own queryset may order or filter the related rows: only DRF shows those.
        own_prefetch = any(
            isinstance(lookup, Prefetch) and lookup.queryset is not None
            for lookup in queryset._prefetch_related_lookups
        )
        return not own_prefetch and self.annotations <= set(queryset.query.annotations)

    def name_arrays(self) -> None:
        """Names the column of each many that the rows by key may hold as an array (a top-level plan's)."""
        for index, many in enumerate(self.manys()):
            many.array = f"lean_many_{index}" if many.foldable else None

    def _by_key(self, vendor: str) -> tuple[list[str], PreparedQuery] | None:
        """Where a page's rows are read by key: the columns read so (annotations are the keys' own), its key
        first, and the statement reading them for a page's keys, compiled once per database. For a plan that
        reads columns through joins (the ORM took 0.1-0.5 ms to walk and compile them on each request), and on
        PostgreSQL for a plan with a many of slugs too, read as an array beside each row instead of a
        statement of its own. None where the ORM compiles the page for less than a second statement costs
        (0.1-0.15 ms of CPU a round trip)."""
        if vendor not in self._by_key_of:
            names = list(dict.fromkeys([self.key, *(name for name in self.columns if name not in self.annotations)]))
            arrays = {}
            if vendor == "postgresql":
                arrays = {many.array: many.as_array() for many in self.manys() if many.array}
            statement = None
            if arrays or any(LOOKUP_SEP in name for name in names):
                model = self.model
                names += list(arrays)
                statement = (
                    names,
                    PreparedQuery(
                        lambda keys: (
                            model._base_manager.filter(pk__in=keys).order_by().annotate(**arrays).values_list(*names)
                        )
                    ),
                )
            self._by_key_of[vendor] = statement
        return self._by_key_of[vendor]

    def rows(self, queryset: models.QuerySet) -> models.QuerySet:
        """The list's queryset (filtered, ordered) as plain rows: of the key and the annotations the plan shows
        where the rest is read by key (`complete`), else of every column the plan reads."""
        if self._by_key(connections[queryset.db].vendor) is None:
            return plain_rows(queryset, *dict.fromkeys(self.columns))
        return plain_rows(queryset, self.key, *sorted(self.annotations))

    def complete(self, rows: list[dict], using: str) -> list[dict]:
        """The rows of `rows` (from `rows()` of a queryset of database `using`) with every column the plan
        reads, in their order: read by key where `rows` holds keys, leaving out a row deleted since."""
        by_key = self._by_key(connections[using].vendor)
        if by_key is None:
            return rows
        names, statement = by_key
        wanted = sorted({row[self.key] for row in rows})
        found = {
            values[0]: values
            for start in range(0, len(wanted), _KEYS_PER_STATEMENT)  # a list without pages: a few statements
            for values in statement.rows(wanted[start : start + _KEYS_PER_STATEMENT], using=using)
        }
        completed = []
        for key_row in rows:
            values = found.get(key_row[self.key])
            if values is not None:
                row = dict(zip(names, values, strict=True))
                row.update(key_row)
                completed.append(row)
        return completed

    def represent(self, rows: list[dict], context: dict) -> list:
        token = _request_context.set(context)
        timezone_token = _request_timezone.set(_as_read(timezone.get_current_timezone()))
        try:
            found = {many: many.fetch(rows) for many in self.manys()}
            read = self._read_row
            with one_day():  # a RowProperty of the date (a minor's age) reads it once per page
                return [read(row, found) for row in rows]
        finally:
            _request_timezone.reset(timezone_token)
            _request_context.reset(token)


def _as_read(zone: datetime.tzinfo) -> datetime.tzinfo:
    """The zone dates are shown in, as the database driver gives dates in it: UTC as datetime.UTC, which
    writes the same text as zoneinfo's UTC (a date already in it needs no conversion)."""
    return datetime.UTC if getattr(zone, "key", None) == "UTC" else zone


_plans: dict[type, LeanPlan | None] = {}


def lean_plan(serializer_class: type[serializers.BaseSerializer]) -> LeanPlan | None:
    """The plan of a ModelSerializer class, or None when one of its readable fields needs an object."""
    if serializer_class not in _plans:
        serializer = serializer_class()
        serializer._context = _RequestContext()
        plan = None
        # rows are read by their integer keys (PreparedQuery's lists)
        if isinstance(serializer, serializers.ModelSerializer) and isinstance(
            serializer.Meta.model._meta.pk, models.IntegerField
        ):
            model = serializer.Meta.model
            plan = _make_plan(serializer, model, "", model._meta.pk.name)
            if plan is not None:
                plan.name_arrays()
        _plans[serializer_class] = plan
    return _plans[serializer_class]


def _make_plan(
    serializer: serializers.BaseSerializer, model: type[models.Model], prefix: str, key: str
) -> LeanPlan | None:
    """The plan of `serializer` over rows of `model` joined as `prefix`, whose primary key is the column `key`."""
    if not isinstance(serializer, serializers.Serializer) or (
        type(serializer).to_representation is not serializers.Serializer.to_representation
    ):
        return None
    if isinstance(serializer, serializers.ModelSerializer) and not issubclass(model, serializer.Meta.model):
        return None
    plan = LeanPlan(model, key)
    for name, field in serializer.fields.items():
        if field.write_only:
            continue
        reader = _reader(field, model, prefix, key)
        if reader is None:
            return None
        if isinstance(reader, str):  # an annotation of the list's own queryset
            plan.annotations.add(reader)
            reader = _Column(reader, _formatter(field))
        plan.fields.append((name, reader))
    return plan


def _model_field(model: type[models.Model], name: str) -> Any:
    try:
        return model._meta.get_field(name)
    except FieldDoesNotExist:
        return None


def _key_through(foreign_key: Any, column: str) -> str:
    """The column holding the primary key of the row a foreign key (the column `column`) reaches: the key's own
    value where it refers to that primary key, so the ORM does not select the same column twice."""
    return column if foreign_key.target_field.primary_key else f"{column}__{foreign_key.related_model._meta.pk.name}"


def _column(model: type[models.Model], prefix: str, key: str, name: str) -> str:
    return key if name == model._meta.pk.name else prefix + name


def _reader(field: serializers.Field, model: type[models.Model], prefix: str, key: str) -> Any:
    """How one field reads from a row of `model` joined as `prefix` (its primary key the column `key`); a column
    name when it must be the queryset's annotation; None when it needs an object."""
    if field.source == "*":
        return None
    *hops, last = field.source_attrs
    for hop in hops:  # a dotted source: a join, but only over keys that are never null (DRF would skip)
        foreign_key = _model_field(model, hop)
        if (
            foreign_key is None
            or not (foreign_key.many_to_one or foreign_key.one_to_one)
            or not foreign_key.concrete
            or foreign_key.null
        ):
            return None
        key = _key_through(foreign_key, prefix + hop)
        model, prefix = foreign_key.related_model, f"{prefix}{hop}__"
    model_field = _model_field(model, last)
    column = prefix + last
    if isinstance(field, serializers.ListSerializer | relations.ManyRelatedField):
        return _many(field, model_field, key)
    if isinstance(field, serializers.BaseSerializer | relations.RelatedField):
        return _related(field, model_field, column)
    if isinstance(field, serializers.SerializerMethodField) or (
        type(field).get_attribute is not serializers.Field.get_attribute
    ):
        return None
    if model_field is None:
        attribute = getattr(model, last, None)
        if isinstance(attribute, RowProperty):
            columns = [_column(model, prefix, key, name) for name in attribute.columns]
            return _Computed(columns, attribute.function, _formatter(field))
        if attribute is not None or prefix:  # a plain property or method needs an object
            return None
        return column
    if model_field.is_relation or not model_field.concrete:
        return None
    return _Column(_column(model, prefix, key, last), None if _unchanged(field, model_field) else _formatter(field))


# DRF fields whose to_representation gives back a value of the model field's own type as it is (str(), int(),
# a bool for a bool): the column needs no call per row.
_AS_IS = [
    (serializers.CharField, (models.CharField, models.TextField)),
    (serializers.IntegerField, (models.IntegerField,)),
    (serializers.BigIntegerField, (models.IntegerField,)),
    (serializers.BooleanField, (models.BooleanField,)),
]


def _unchanged(field: serializers.Field, model_field: models.Field) -> bool:
    if isinstance(field, serializers.ChoiceField):  # each choice is its own text, when the keys are texts
        return (
            type(field).to_representation is serializers.ChoiceField.to_representation
            and isinstance(model_field, models.CharField)
            and all(type(key) is str for key in field.choice_strings_to_values.values())
        )
    if isinstance(field, serializers.BigIntegerField) and getattr(
        field, "coerce_to_string", api_settings.COERCE_BIGINT_TO_STRING
    ):
        return False  # a text, by the project's or the field's choice
    return any(
        type(field).to_representation is drf.to_representation and isinstance(model_field, own) for drf, own in _AS_IS
    )


def _formatter(field: serializers.Field) -> Callable[[Any], Any]:
    """The field's to_representation; for DRF's DateTimeField in ISO 8601 (the default), the same text with
    the time zone read once per page: DRF looks the active time zone up for every date it formats; for DRF's
    BooleanField, True and False as they are (DRF looks each up in its sets of true and false words)."""
    if type(field) is serializers.BooleanField:
        to_boolean = field.to_representation
        return lambda value: value if value is True or value is False else to_boolean(value)
    if not (
        type(field) is serializers.DateTimeField
        and not hasattr(field, "timezone")
        and getattr(field, "format", api_settings.DATETIME_FORMAT) == ISO_8601
        and settings.USE_TZ
    ):
        return field.to_representation
    to_representation = field.to_representation

    def iso_8601(value: Any) -> Any:
        if not isinstance(value, datetime.datetime) or value.tzinfo is None:
            return to_representation(value)
        zone = _request_timezone.get()
        try:
            # a date read in the zone it is shown in (UTC, from PostgreSQL) is written as it is
            text = (value if value.tzinfo is zone else value.astimezone(zone)).isoformat()
        except OverflowError:
            return to_representation(value)  # DRF's refusal
        return text[:-6] + "Z" if text.endswith("+00:00") else text

    return iso_8601


def _related(field: serializers.Field, model_field: Any, column: str) -> "_Column | LeanPlan | None":
    """A nested serializer or a related field over a foreign key of the row."""
    if model_field is None or not (model_field.many_to_one or model_field.one_to_one) or not model_field.concrete:
        return None
    if isinstance(field, serializers.BaseSerializer):
        nested = _make_plan(field, model_field.related_model, f"{column}__", _key_through(model_field, column))
        if nested is None or nested.annotations:
            return None
        if model_field.null:  # a key that is never null always reaches its row: no column to look at
            nested.null_column = column
        return nested
    if type(field).get_attribute is not relations.RelatedField.get_attribute or not field.use_pk_only_optimization():
        return None
    # DRF gives such a field an object holding only the key's value: the same, from the column.
    if type(field).to_representation is relations.PrimaryKeyRelatedField.to_representation and field.pk_field is None:
        return _Column(column, None)  # the key's value as it is
    to_representation = field.to_representation
    return _Column(column, lambda value: to_representation(relations.PKOnlyObject(value)))


def _many(field: serializers.Field, model_field: Any, owner_key: str) -> _Many | None:
    if model_field is None or not (model_field.many_to_many or model_field.one_to_many):
        return None
    if isinstance(model_field, models.ForeignObjectRel):  # reverse: back through the related model's key
        back = model_field.field.name
    else:
        back = model_field.related_query_name()
    related = model_field.related_model
    item: _Column | LeanPlan | None
    if isinstance(field, relations.ManyRelatedField):
        child = field.child_relation
        item = _Column(child.slug_field, None) if type(child) is relations.SlugRelatedField else None
    else:
        item = _make_plan(field.child, related, "", related._meta.pk.name)
        if item is not None and (item.manys() or item.annotations):
            item = None
    if item is None:
        return None
    # The owner's id: the row's own, or the key the dotted source or nested object reached it through.
    return _Many(owner_key, related, back, item)


def _no_object_permissions(permissions: list) -> bool:
    """No permission of the view looks at the object (BasePermission's answer: yes), so an object is not
    needed to check them."""
    return all(
        type(permission).has_object_permission is drf_permissions.BasePermission.has_object_permission
        for permission in permissions
    )


class LeanReadMixin:
    """The list and retrieve actions of a GenericAPIView served from plain rows when its serializer allows
    (lean_plan); a retrieve also needs permissions that do not look at the object, and DRF's get_object."""

    def list(self, request, *args, **kwargs):
        plan = lean_plan(self.get_serializer_class())
        if plan is None:
            return super().list(request, *args, **kwargs)
        queryset = self.filter_queryset(self.get_queryset())
        if not plan.usable_with(queryset):
            return super().list(request, *args, **kwargs)
        rows = plan.rows(queryset)
        context = self.get_serializer_context()
        page = self.paginate_queryset(rows)
        if page is None:
            return Response(plan.represent(plan.complete(list(rows), rows.db), context))
        return self.get_paginated_response(plan.represent(plan.complete(page, rows.db), context))

    def retrieve(self, request, *args, **kwargs):
        plan = lean_plan(self.get_serializer_class())
        # a view with its own get_object (another lookup, more checks) is served by DRF, through it
        own_lookup = type(self).get_object is not generics.GenericAPIView.get_object
        if plan is None or own_lookup or not _no_object_permissions(self.get_permissions()):
            return super().retrieve(request, *args, **kwargs)
        queryset = self.filter_queryset(self.get_queryset())
        if not plan.usable_with(queryset):
            return super().retrieve(request, *args, **kwargs)
        # as DRF's get_object: the lookup among the rows the caller may see, 404 for a malformed value too
        lookup = {self.lookup_field: self.kwargs[self.lookup_url_kwarg or self.lookup_field]}
        try:
            # in no order: one row has none to keep, and the list's ordering cost a sort and its compiling
            rows = plan.complete(list(plan.rows(queryset.filter(**lookup).order_by())[:2]), queryset.db)
        except (TypeError, ValueError, DjangoValidationError):
            raise Http404 from None
        if len(rows) != 1:  # Django's get_object_or_404 says it so
            raise Http404(f"No {queryset.model._meta.object_name} matches the given query.")
        return Response(plan.represent(rows, self.get_serializer_context())[0])
