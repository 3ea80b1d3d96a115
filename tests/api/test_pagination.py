"""Counts of long lists: exact up to a bound at a bounded cost; past it, one full count per 30 seconds."""

import time
from types import SimpleNamespace

import pytest
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext

from config import pagination
from tests.conftest import make_volunteer

pytestmark = pytest.mark.django_db


def full_counts(queries) -> int:
    return sum(
        1 for q in queries.captured_queries if q["sql"].startswith("SELECT COUNT(*)") and "LIMIT" not in q["sql"]
    )


def counts(queries) -> int:
    return sum(1 for q in queries.captured_queries if q["sql"].startswith("SELECT COUNT(*)"))


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
    assert counts(second) == 0  # the kept count is read first: not even the bounded one


class SharedCacheSpy:
    """The shared cache (Redis when configured), counting the reads of kept counts."""

    def __init__(self, shared):
        self.shared, self.reads = shared, 0

    def get(self, key, *args):
        self.reads += 1
        return self.shared.get(key, *args)

    def __getattr__(self, name):
        return getattr(self.shared, name)


@pytest.fixture
def long_list(org_a, alice, victor, monkeypatch):
    monkeypatch.setattr(pagination, "EXACT_COUNT_UP_TO", 1)
    make_volunteer(org_a, "zoe@example.org", "Zoe")
    spy = SharedCacheSpy(pagination.cache)
    monkeypatch.setattr(pagination, "cache", spy)
    return spy


def test_a_kept_count_is_read_from_this_process_copy_first(api, carol, long_list):
    assert api(carol).get("/api/volunteers/").data["count"] == 3
    reads = long_list.reads
    with CaptureQueriesContext(connection) as queries:
        assert api(carol).get("/api/volunteers/?page=1").data["count"] == 3
    # neither the database nor the shared cache is asked for it again
    assert (counts(queries), long_list.reads) == (0, reads)


def test_another_process_copies_the_shared_count_until_it_ends(api, carol, long_list, monkeypatch):
    assert api(carol).get("/api/volunteers/").data["count"] == 3
    caches["process"].clear()  # as another process, which has no copy yet
    with CaptureQueriesContext(connection) as queries:
        assert api(carol).get("/api/volunteers/").data["count"] == 3
    assert counts(queries) == 0  # read from the shared cache
    # when the shared count ends (30 s later by its own clock), the copy ends with it: counted again
    later = time.time() + pagination.COUNT_CACHE_SECONDS + 1
    monkeypatch.setattr(pagination, "time", SimpleNamespace(time=lambda: later))
    with CaptureQueriesContext(connection) as queries:
        assert api(carol).get("/api/volunteers/").data["count"] == 3
    assert full_counts(queries) == 1


def test_a_count_kept_as_a_bare_number_by_an_older_release_is_counted_again(api, carol, long_list, monkeypatch):
    keys = []
    keep = pagination._keep_count
    monkeypatch.setattr(pagination, "_keep_count", lambda key, *args, **kw: keys.append(key) or keep(key, *args, **kw))
    api(carol).get("/api/volunteers/")
    for each in caches.all():
        each.clear()
    pagination.cache.set(keys[0], 99, 30)
    with CaptureQueriesContext(connection) as queries:
        assert api(carol).get("/api/volunteers/").data["count"] == 3
    assert full_counts(queries) == 1


def test_a_kept_count_is_the_askers_own_and_their_filters_own(
    api, carol, dave, alice, victor, org_a, org_b, monkeypatch
):
    """The kept count is keyed by the list, who asks and the filters (not the page): another filter or
    another organisation's coordinator never sees it."""
    from volunteers.models import VettingStatus, Volunteer

    monkeypatch.setattr(pagination, "EXACT_COUNT_UP_TO", 1)
    make_volunteer(org_a, "zoe@example.org", "Zoe")
    make_volunteer(org_b, "yan@example.org", "Yan")
    Volunteer.objects.filter(pk=alice.pk).update(vetting_status=VettingStatus.REJECTED)
    assert api(carol).get("/api/volunteers/").data["count"] == 3
    rejected = api(carol).get(f"/api/volunteers/?vetting_status={VettingStatus.REJECTED}").data
    assert (rejected["count"], [item["display_name"] for item in rejected["results"]]) == (1, ["Alice"])
    other = api(dave).get("/api/volunteers/").data
    assert (other["count"], [item["display_name"] for item in other["results"]]) == (1, ["Yan"])
    assert api(carol).get("/api/volunteers/?page_size=1&page=3").data["count"] == 3


def test_a_bounded_count_reads_ids_only_unless_a_filter_needs_more(api, carol, bob, org_a):
    """A slot's counts of sign-ups and bookings are annotations: the count of a slot list computes them only
    when a filter uses them (free places), not for each of up to 1,001 rows."""
    import datetime

    from django.utils import timezone

    from scheduling.models import SlotBooking
    from scheduling.services.slots import slot_create

    start = timezone.now() + datetime.timedelta(days=1)
    end = start + datetime.timedelta(hours=1)
    common = {"organisation": org_a, "created_by": carol, "end": end, "volunteers_needed": 1}
    full = slot_create(start=start, topic="Full", mentee_places=1, **common)
    slot_create(start=start, topic="Free", mentee_places=2, **common)
    SlotBooking.objects.create(slot=full, mentee=bob)

    def counts(client, url):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200
        return response, [q["sql"] for q in queries.captured_queries if q["sql"].startswith("SELECT COUNT(*)")]

    response, sql = counts(api(carol), "/api/slots/")
    assert response.data["count"] == 2
    assert len(sql) == 1
    assert "scheduling_slotbooking" not in sql[0]
    response, sql = counts(api(carol), "/api/slots/?has_free_places=true")
    assert [item["topic"] for item in response.data["results"]] == ["Free"]
    assert response.data["count"] == 1
    assert "scheduling_slotbooking" in sql[0]
