"""Schema fuzzing: schemathesis drives every operation of our own OpenAPI schema with generated input.

Whatever it sends, the app never answers with a server error, and every documented answer matches
the schema.
"""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from rest_framework.authtoken.models import Token
from schemathesis.checks import not_a_server_error, response_schema_conformance

from tests.conftest import make_coordinator, make_mentee, make_volunteer


@pytest.fixture(autouse=True)
def _keep_the_test_connection():
    """The WSGI handler closes "old" connections around each request; inside a test's transaction that
    would close the test's own connection (on PostgreSQL). Django's test client does the same as this."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def api_schema(db):
    return schemathesis.openapi.from_wsgi("/api/schema/?format=json", get_wsgi_application())


schema = schemathesis.pytest.from_fixture("api_schema")


@pytest.fixture
def people(org_a):
    """One caller of each role, all in the same organisation so there is something to see."""
    return {
        "coordinator": make_coordinator(org_a, "fuzz.coordinator@example.org", "Fuzz Coordinator"),
        "volunteer": make_volunteer(org_a, "fuzz.volunteer@example.org", "Fuzz Volunteer").user,
        "mentee": make_mentee(org_a, "fuzz.mentee@example.org", "Fuzz Mentee").user,
    }


def call_and_check(case, user) -> None:
    # Log-out and password change end the caller's tokens, so each request gets a current one.
    token, _ = Token.objects.get_or_create(user=user)
    response = case.call(headers={"Authorization": f"Token {token.key}"})
    case.validate_response(response, checks=[not_a_server_error, response_schema_conformance])


FUZZ = settings(max_examples=12, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)


@schema.parametrize()
@FUZZ
def test_it_holds_for_a_coordinator(case, people):
    call_and_check(case, people["coordinator"])


@schema.parametrize()
@FUZZ
def test_it_holds_for_a_volunteer(case, people):
    call_and_check(case, people["volunteer"])


@schema.parametrize()
@FUZZ
def test_it_holds_for_a_mentee(case, people):
    call_and_check(case, people["mentee"])


@schema.parametrize()
@FUZZ
def test_it_holds_for_anonymous_callers(case, db):
    response = case.call()
    case.validate_response(response, checks=[not_a_server_error, response_schema_conformance])
