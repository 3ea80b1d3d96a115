"""Lists read as plain rows: a page of a list endpoint without a model object per row or a serializer call
per field of each row.

A DRF list builds a model instance for every row (and for every prefetched related row), then walks the
serializer's fields for each: at 25 rows that was most of a list request's CPU, 5-10 times what reading the
same rows with `values()` costs (bench/api.py). `LeanListMixin` serves the list action from `values()`
instead, shaped by the view's own serializer: each field's `to_representation` formats its column (same
dates, choices and numbers), a foreign key shows its id, and a many-to-many `SlugRelatedField` its slugs,
read in one query per field for the whole page. The serializer stays the one description of the shape (and
of the OpenAPI schema); a serializer with any other kind of readable field (nested serializers, method
fields, dotted sources, properties) is served by DRF as before. tests/api/test_lean_lists.py holds both
outputs equal.
"""

from collections import defaultdict
from collections.abc import Callable
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from rest_framework import relations, serializers
from rest_framework.response import Response


class LeanPlan:
    """How one serializer class reads from plain rows: its columns and its many-to-many slug fields."""

    def __init__(self, model: type[models.Model]):
        self.model = model
        # (output name, values() column, formatter or None to pass the value through)
        self.columns: list[tuple[str, str, Callable[[Any], Any] | None]] = []
        # (output name, many-to-many field, slug field of the related model)
        self.many: list[tuple[str, models.ManyToManyField, str]] = []
        self.annotations: set[str] = set()  # columns that are no model field: the queryset must annotate them
        self.order: list[str] = []  # the serializer's readable fields, in its order

    def usable_with(self, queryset: models.QuerySet) -> bool:
        return self.annotations <= set(queryset.query.annotations)

    def rows(self, queryset: models.QuerySet) -> models.QuerySet:
        """The list's queryset (filtered, ordered), as plain rows of the columns only."""
        columns = ["pk", *(column for _, column, _ in self.columns)]
        return queryset.select_related(None).prefetch_related(None).values(*dict.fromkeys(columns))

    def represent(self, rows: list[dict]) -> list[dict]:
        ids = [row["pk"] for row in rows]
        slugs = {name: self._slugs(field, slug_field, ids) for name, field, slug_field in self.many}
        out = []
        for row in rows:
            item = {}
            for name, column, formatter in self.columns:
                value = row[column]
                item[name] = value if value is None or formatter is None else formatter(value)
            for name in slugs:
                item[name] = slugs[name].get(row["pk"], [])
            out.append(item)
        return [{name: item[name] for name in self.order} for item in out]  # in the serializer's order

    @staticmethod
    def _slugs(field: models.ManyToManyField, slug_field: str, ids: list) -> dict[Any, list]:
        """Each row's related slugs, in the order a prefetch of the field gives them: the same query, through
        the field's query name back to the rows (Django's own, also when the field has no related_name)."""
        back = field.related_query_name()
        found: dict[Any, list] = defaultdict(list)
        for owner, slug in field.related_model._default_manager.filter(**{f"{back}__in": ids}).values_list(
            back, slug_field
        ):
            found[owner].append(slug)
        return found


_plans: dict[type, LeanPlan | None] = {}


def lean_plan(serializer_class: type[serializers.BaseSerializer]) -> LeanPlan | None:
    """The plan of a ModelSerializer class, or None when one of its readable fields needs an object."""
    if serializer_class not in _plans:
        _plans[serializer_class] = _make_plan(serializer_class())
    return _plans[serializer_class]


def _make_plan(serializer: serializers.BaseSerializer) -> LeanPlan | None:
    if not isinstance(serializer, serializers.ModelSerializer) or (
        type(serializer).to_representation is not serializers.Serializer.to_representation
    ):
        return None
    model = serializer.Meta.model
    plan = LeanPlan(model)
    order = []
    for name, field in serializer.fields.items():
        if field.write_only:
            continue
        order.append(name)
        source = field.source
        if "." in source or source == "*":
            return None
        try:
            model_field = model._meta.get_field(source)
        except FieldDoesNotExist:
            model_field = None
        if isinstance(field, relations.ManyRelatedField):
            child = field.child_relation
            if not (isinstance(model_field, models.ManyToManyField) and type(child) is relations.SlugRelatedField):
                return None
            plan.many.append((name, model_field, child.slug_field))
        elif isinstance(field, relations.RelatedField):
            if not (type(field) is relations.PrimaryKeyRelatedField and model_field and model_field.many_to_one):
                return None
            assert isinstance(model_field, models.ForeignKey)
            if field.pk_field is not None:
                return None
            plan.columns.append((name, model_field.attname, None))
        elif isinstance(field, serializers.BaseSerializer | serializers.SerializerMethodField) or (
            type(field).get_attribute is not serializers.Field.get_attribute
        ):
            return None
        elif model_field is None:
            plan.annotations.add(source)
            plan.columns.append((name, source, field.to_representation))
        elif model_field.is_relation or not model_field.concrete:
            return None
        else:
            plan.columns.append((name, source, field.to_representation))
    plan.order = order
    return plan


class LeanListMixin:
    """The list action of a GenericAPIView served from plain rows when its serializer allows (lean_plan)."""

    def list(self, request, *args, **kwargs):
        plan = lean_plan(self.get_serializer_class())
        if plan is None:
            return super().list(request, *args, **kwargs)
        queryset = self.filter_queryset(self.get_queryset())
        if not plan.usable_with(queryset):
            return super().list(request, *args, **kwargs)
        rows = plan.rows(queryset)
        page = self.paginate_queryset(rows)
        if page is None:
            return Response(plan.represent(list(rows)))
        return self.get_paginated_response(plan.represent(page))
