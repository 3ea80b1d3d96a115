"""Counts of long lists: exact up to a bound at a bounded cost; past it, one full count per 30 seconds."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from config import pagination
from tests.conftest import make_volunteer

pytestmark = pytest.mark.django_db


def full_counts(queries) -> int:
    return sum(
        1 for q in queries.captured_queries if q["sql"].startswith("SELECT COUNT(*)") and "LIMIT" not in q["sql"]
    )


def test_it_counts_a_short_list_exactly_with_one_bounded_query(api, carol, alice, victor):
    with CaptureQueriesContext(connection) as queries:
        response = api(carol).get("/api/volunteers/")
    assert response.data["count"] == 2
    assert full_counts(queries) == 0


def test_past_the_bound_it_counts_every_row_once_then_reuses_the_count(api, carol, alice, victor, org_a, monkeypatch):
    monkeypatch.setattr(pagination, "EXACT_COUNT_UP_TO", 1)
    make_volunteer(org_a, "zoe@example.org", "Zoe")
    with CaptureQueriesContext(connection) as first:
        assert api(carol).get("/api/volunteers/").data["count"] == 3
    with CaptureQueriesContext(connection) as second:
        response = api(carol).get("/api/volunteers/?page_size=2&page=2")
    assert response.data["count"] == 3
    assert [item["display_name"] for item in response.data["results"]] == ["Zoe"]
    assert (full_counts(first), full_counts(second)) == (1, 0)
