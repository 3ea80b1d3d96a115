"""No model or serializer may hold the categories of data this product must never collect."""

import importlib
import inspect
import re

from django.apps import apps
from rest_framework import serializers

FORBIDDEN = re.compile(
    r"religio|faith|ethnic|race\b|nationalit|citizenship|country_of_origin|asylum|refugee_status|legal_status|"
    r"residence_status|residency|immigration|visa|passport|health|medical|diagnos|disabilit|"
    r"(?<!email_)(?<!e_mail_)address|street|postcode|zip_code|document|scan|id_card|id_number",
    re.IGNORECASE,
)
PROJECT_APPS = ["accounts", "volunteers", "mentees", "scheduling", "chat", "badges", "frontend", "demo", "safeguarding"]


def forbidden(name: str) -> bool:
    return name != "email" and bool(FORBIDDEN.search(name))


def test_it_finds_the_forbidden_names_it_is_meant_to_find():
    for name in ["religion", "nationality", "asylum_status", "home_address", "health_notes", "passport_scan"]:
        assert forbidden(name), name
    for name in ["email", "display_name", "birth_year", "timezone", "needs"]:
        assert not forbidden(name), name


def test_no_model_has_a_field_for_sensitive_categories():
    offending = [
        f"{model._meta.label}.{field.name}"
        for app in PROJECT_APPS
        for model in apps.get_app_config(app).get_models()
        for field in model._meta.get_fields()
        if forbidden(field.name)
    ]
    assert offending == []


def test_no_serializer_has_a_field_for_sensitive_categories():
    offending = []
    for app in PROJECT_APPS:
        try:
            module = importlib.import_module(f"{app}.serializers")
        except ModuleNotFoundError:
            continue
        for name, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, serializers.BaseSerializer) and cls.__module__ == module.__name__:
                offending += [f"{name}.{field}" for field in cls().fields if forbidden(field)]
    assert offending == []
