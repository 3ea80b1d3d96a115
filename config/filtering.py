"""Applying a django-filter FilterSet in a selector, refusing bad filter values instead of ignoring them."""

from django.db.models import QuerySet
from django_filters import FilterSet
from rest_framework.exceptions import ValidationError


def apply_filters(filterset_class: type[FilterSet], data, queryset: QuerySet) -> QuerySet:
    filterset = filterset_class(data or {}, queryset)
    if not filterset.is_valid():
        raise ValidationError(filterset.errors)
    return filterset.qs
