"""Applying a django-filter FilterSet in a selector, refusing bad filter values instead of ignoring them."""

import django_filters
from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from django_filters import FilterSet
from rest_framework.exceptions import ValidationError

from config.pagination import PAGE_PARAMS


def apply_filters(filterset_class: type[FilterSet], data, queryset: QuerySet) -> QuerySet:
    if not any(name not in PAGE_PARAMS for name in data or {}):
        # no filter asked for: a FilterSet would copy its filters and build and validate a form, to change
        # nothing (an empty value filters nothing)
        return queryset
    filterset = filterset_class(data, queryset)
    if not filterset.is_valid():
        raise ValidationError(filterset.errors)
    return filterset.qs


class _StrictBooleanField(forms.Field):
    def to_python(self, value):
        if value in (None, ""):
            return None
        text = str(value).strip().lower()
        if text in ("true", "1", "yes"):
            return True
        if text in ("false", "0", "no"):
            return False
        raise forms.ValidationError(_("Enter true or false."), code="invalid")


class StrictBooleanFilter(django_filters.BooleanFilter):
    """A yes/no filter that refuses anything but true/false (django-filter's own ignores bad values)."""

    field_class = _StrictBooleanField


class IdFilter(django_filters.NumberFilter):
    """An object id: a whole number the database can hold (a decimal field would take 1.5 or overflow)."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", 2**63 - 1)
        super().__init__(*args, **kwargs)
