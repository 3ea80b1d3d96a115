"""Help requests: a mentee files and sees their own; coordinators of the organisation read and filter them."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from mentees.models import HelpRequest
from tests.conftest import make_mentee

pytestmark = pytest.mark.django_db


def file(api, who, **payload):
    return api(who).post("/api/help-requests/", {"needs": ["cv-writing"], **payload}, format="json")


def test_a_mentee_files_a_request_that_defaults_to_their_languages(api, bob):
    response = file(api, bob, description="First CV", urgency="high")
    assert response.status_code == 201
    body = response.json()
    assert body["status"] == "open"
    assert body["languages"] == ["ar"]
    assert HelpRequest.objects.get(pk=body["id"]).mentee == bob


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"needs": []}, "needs"),
        ({"needs": ["flying"]}, "needs"),
        ({"languages": ["zz"]}, "languages"),
        ({"urgency": "yesterday"}, "urgency"),
        ({"description": "x" * 1001}, "description"),
    ],
)
def test_bad_requests_are_refused_per_field_and_stored_nowhere(api, bob, payload, field):
    response = file(api, bob, **payload)
    assert response.status_code == 400
    assert field in response.json()
    assert not HelpRequest.objects.exists()


def test_only_mentees_file_requests(api, alice, carol):
    assert file(api, alice).status_code == 403
    assert file(api, carol).status_code == 403


def test_visibility_owner_and_coordinator_of_the_organisation_only(api, bob, eve, carol, dave, alice):
    request_id = file(api, bob).json()["id"]
    assert api(carol).get(f"/api/help-requests/{request_id}/").status_code == 200
    for stranger in (eve, dave, alice):
        assert api(stranger).get(f"/api/help-requests/{request_id}/").status_code == 404
    assert api(eve).get("/api/help-requests/").json()["results"] == []
    assert api(carol).patch(f"/api/help-requests/{request_id}/", {"description": "x"}, format="json").status_code == 403


def test_the_owner_edits_and_closes_but_never_sets_the_status(api, bob):
    request_id = file(api, bob).json()["id"]
    edited = api(bob).patch(
        f"/api/help-requests/{request_id}/",
        {"description": "Now also housing", "needs": ["cv-writing", "housing"], "status": "matched"},
        format="json",
    )
    assert edited.status_code == 200
    assert edited.json()["status"] == "open"
    assert sorted(edited.json()["needs"]) == ["cv-writing", "housing"]
    closed = api(bob).post(f"/api/help-requests/{request_id}/close/")
    assert closed.json()["status"] == "closed"
    assert closed.json()["closed_at"]
    late = api(bob).patch(f"/api/help-requests/{request_id}/", {"description": "again"}, format="json")
    assert late.status_code == 400
    assert "status" in late.json()
    assert HelpRequest.objects.get(pk=request_id).description == "Now also housing"


def test_coordinators_filter_requests(api, carol, bob, mia, eve):
    file(api, bob, needs=["housing"], urgency="high")
    file(api, mia, needs=["homework-help"], languages=["fr"])
    eve_request = file(api, eve).json()["id"]
    api(eve).post(f"/api/help-requests/{eve_request}/close/")

    def ids(query):
        return len(api(carol).get(f"/api/help-requests/{query}").json()["results"])

    assert ids("") == 3
    assert ids("?status=open") == 2
    assert ids("?need=housing&urgency=high") == 1
    assert ids("?language=fr") == 1
    assert ids("?age_group=minor") == 1
    assert api(carol).get("/api/help-requests/?status=sleeping").status_code == 400


def test_the_request_list_costs_the_same_queries_for_more_requests(api, carol, org_a, django_assert_num_queries):
    first = make_mentee(org_a, "q1@example.org", "Q1")
    file(api, first)
    with CaptureQueriesContext(connection) as few:
        api(carol).get("/api/help-requests/")
    expected = len(few)  # now: the log is reset by the next request
    for index in range(2, 7):
        file(api, make_mentee(org_a, f"q{index}@example.org", f"Q{index}"), needs=["housing", "cv-writing"])
    with django_assert_num_queries(expected):
        api(carol).get("/api/help-requests/")
