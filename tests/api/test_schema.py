"""The OpenAPI schema describes every endpoint without warnings, and is served with its docs."""

import io

import pytest
from django.core.management import call_command
from rest_framework.test import APIClient


def test_the_schema_generates_and_validates_without_a_single_warning(tmp_path):
    out = tmp_path / "schema.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(out), stderr=io.StringIO())
    assert out.stat().st_size > 10_000


@pytest.mark.django_db
def test_the_schema_is_served_as_json_and_lists_the_operations():
    schema = APIClient().get("/api/schema/?format=json").json()
    assert schema["openapi"].startswith("3.")
    assert "/api/help-requests/{id}/close/" in schema["paths"]
    assert "/api/pairings/{id}/approve/" in schema["paths"]


@pytest.mark.django_db
def test_api_v1_serves_the_same_operations_as_api(api, carol):
    from tests.api.test_route_table import API, concrete

    for path, method in API:
        if method != "GET" or "{" in path:
            continue
        plain = api(carol).generic(method, concrete(path))
        versioned = api(carol).generic(method, concrete(path).replace("/api/", "/api/v1/", 1))
        assert versioned.status_code == plain.status_code, path


def test_the_schema_lists_each_operation_once():
    from tests.api.test_route_table import schema_operations

    assert not [path for path, _method in schema_operations() if path.startswith("/api/v1/")]
