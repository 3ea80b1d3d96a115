"""The help-request API end to end: filing, reading, editing and closing, the list and its filters.

A mentee files and sees their own requests; coordinators of the mentee's organisation read and filter
them but change nothing; everyone else gets 404 for a request (or 403 for an action their role may never
take). Bad input answers 400 naming the field, with nothing stored.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from mentees.models import HelpRequest, HelpRequestStatus
from tests.conftest import make_mentee

pytestmark = pytest.mark.django_db

YEAR = timezone.localdate().year


def file(api, who, **payload):
    return api(who).post("/api/help-requests/", {"needs": ["cv-writing"], **payload}, format="json")


def filed(api, who, **payload) -> HelpRequest:
    response = file(api, who, **payload)
    assert response.status_code == 201, response.json()
    return HelpRequest.objects.get(pk=response.json()["id"])


def ids(response) -> list[int]:
    return [item["id"] for item in response.json()["results"]]


def stored(help_request: HelpRequest) -> dict:
    """Everything stored about a request, to compare before and after a refused call."""
    return {
        "row": HelpRequest.objects.filter(pk=help_request.pk).values().get(),
        "needs": sorted(
            HelpRequest.needs.through.objects.filter(helprequest_id=help_request.pk).values_list(
                "skill__slug", flat=True
            )
        ),
        "languages": sorted(
            HelpRequest.languages.through.objects.filter(helprequest_id=help_request.pk).values_list(
                "language_id", flat=True
            )
        ),
    }


# Filing a request


def test_a_mentee_files_a_request_that_defaults_to_their_own_languages(api, bob):
    # when
    response = file(api, bob, needs=["cv-writing", "job-search"], description="My first CV in Spain", urgency="high")

    # then
    assert response.status_code == 201
    body = response.json()
    assert body["status"] == "open"
    assert body["mentee"] == bob.pk
    assert body["languages"] == ["ar"]
    assert sorted(body["needs"]) == ["cv-writing", "job-search"]
    assert body["closed_at"] is None
    stored_request = HelpRequest.objects.get(pk=body["id"])
    assert stored_request.mentee == bob
    assert stored_request.description == "My first CV in Spain"
    assert stored_request.urgency == "high"
    assert sorted(stored_request.needs.values_list("slug", flat=True)) == ["cv-writing", "job-search"]
    assert list(stored_request.languages.values_list("code", flat=True)) == ["ar"]


def test_a_mentee_may_choose_the_languages_and_urgency_defaults_to_normal(api, bob):
    response = file(api, bob, languages=["es", "en"], description="x" * 1000)

    assert response.status_code == 201
    assert sorted(response.json()["languages"]) == ["en", "es"]
    assert response.json()["urgency"] == "normal"
    assert len(HelpRequest.objects.get(pk=response.json()["id"]).description) == 1000


def test_it_ignores_status_owner_and_closing_time_sent_when_filing(api, bob, eve):
    response = file(api, bob, status="matched", mentee=eve.pk, closed_at=timezone.now().isoformat())

    assert response.status_code == 201
    assert response.json()["status"] == "open"
    stored_request = HelpRequest.objects.get(pk=response.json()["id"])
    assert stored_request.mentee == bob
    assert stored_request.status == HelpRequestStatus.OPEN
    assert stored_request.closed_at is None
    assert not eve.help_requests.exists()


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"needs": []}, "needs"),
        ({"needs": None}, "needs"),
        ({"needs": ["cv-writing", "flying"]}, "needs"),
        ({"languages": ["zz"]}, "languages"),
        ({"urgency": "yesterday"}, "urgency"),
        ({"description": "x" * 1001}, "description"),
    ],
    ids=["no-needs", "null-needs", "unknown-need", "unknown-language", "unknown-urgency", "description-too-long"],
)
def test_it_refuses_a_bad_request_naming_the_field_and_stores_nothing(api, bob, payload, field):
    response = file(api, bob, **payload)

    assert response.status_code == 400
    assert field in response.json()
    assert not HelpRequest.objects.exists()


def test_it_refuses_a_request_without_needs(api, bob):
    response = api(bob).post("/api/help-requests/", {"description": "Help"}, format="json")

    assert response.status_code == 400
    assert "needs" in response.json()
    assert not HelpRequest.objects.exists()


@pytest.mark.parametrize("who", ["carol", "dave", "alice"])
def test_only_mentees_file_requests(api, who, request):
    response = file(api, request.getfixturevalue(who))

    assert response.status_code == 403
    assert not HelpRequest.objects.exists()


# Anonymous callers


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/api/help-requests/"),
        ("post", "/api/help-requests/"),
        ("get", "/api/help-requests/{id}/"),
        ("patch", "/api/help-requests/{id}/"),
        ("post", "/api/help-requests/{id}/close/"),
    ],
)
def test_it_refuses_anonymous_callers_with_401_and_changes_nothing(api, bob, method, path):
    help_request = filed(api, bob)
    before = stored(help_request)

    response = getattr(api(None), method)(
        path.format(id=help_request.pk), {"needs": ["housing"], "description": "anon"}, format="json"
    )

    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"] == "Token"
    assert stored(help_request) == before
    assert HelpRequest.objects.count() == 1


# Who sees what


def test_each_sees_only_the_requests_they_may(api, bob, mia, eve, mallory, carol, dave, alice):
    # given
    bobs = filed(api, bob)
    mias = filed(api, mia)
    eves = filed(api, eve)
    mallorys = filed(api, mallory)

    # then: newest first
    assert ids(api(bob).get("/api/help-requests/")) == [bobs.pk]
    assert ids(api(mallory).get("/api/help-requests/")) == [mallorys.pk]
    assert ids(api(carol).get("/api/help-requests/")) == [eves.pk, mias.pk, bobs.pk]
    assert ids(api(dave).get("/api/help-requests/")) == [mallorys.pk]
    volunteer_view = api(alice).get("/api/help-requests/")
    assert volunteer_view.status_code == 200
    assert volunteer_view.json()["count"] == 0


def test_the_mentee_and_their_coordinator_read_the_request(api, bob, carol):
    help_request = filed(api, bob, description="Interview practice")

    mine = api(bob).get(f"/api/help-requests/{help_request.pk}/")
    coordinators = api(carol).get(f"/api/help-requests/{help_request.pk}/")

    assert mine.status_code == 200
    assert coordinators.status_code == 200
    assert mine.json()["description"] == "Interview practice"
    assert mine.json() == coordinators.json()


@pytest.mark.parametrize("who", ["eve", "mallory", "dave", "alice"])
def test_it_answers_404_to_those_who_may_not_see_the_request(api, bob, who, request):
    help_request = filed(api, bob)

    response = api(request.getfixturevalue(who)).get(f"/api/help-requests/{help_request.pk}/")

    assert response.status_code == 404


@pytest.mark.parametrize("who", ["eve", "mallory"])
def test_another_mentee_cannot_find_the_request_to_change_or_close_it(api, bob, who, request):
    # given
    help_request = filed(api, bob)
    before = stored(help_request)
    stranger = api(request.getfixturevalue(who))

    # when
    change = stranger.patch(f"/api/help-requests/{help_request.pk}/", {"description": "hijacked"}, format="json")
    close = stranger.post(f"/api/help-requests/{help_request.pk}/close/")

    # then
    assert change.status_code == 404
    assert close.status_code == 404
    assert stored(help_request) == before


@pytest.mark.parametrize("who", ["carol", "dave", "alice"])
def test_coordinators_and_volunteers_may_never_change_or_close_a_request(api, bob, who, request):
    """Refused by role before any lookup, so the answer is the same for an id that does not exist."""
    # given
    help_request = filed(api, bob)
    before = stored(help_request)
    caller = api(request.getfixturevalue(who))

    # when
    change = caller.patch(f"/api/help-requests/{help_request.pk}/", {"description": "edited"}, format="json")
    close = caller.post(f"/api/help-requests/{help_request.pk}/close/")
    missing = caller.patch("/api/help-requests/999999/", {"description": "edited"}, format="json")

    # then
    assert change.status_code == 403
    assert close.status_code == 403
    assert missing.status_code == 403
    assert stored(help_request) == before


# Editing and closing


def test_the_mentee_edits_an_open_request(api, bob):
    help_request = filed(api, bob)

    response = api(bob).patch(
        f"/api/help-requests/{help_request.pk}/",
        {
            "description": "Now housing too",
            "needs": ["cv-writing", "housing"],
            "languages": ["es"],
            "urgency": "low",
        },
        format="json",
    )

    assert response.status_code == 200
    assert sorted(response.json()["needs"]) == ["cv-writing", "housing"]
    assert response.json()["languages"] == ["es"]
    after = stored(help_request)
    assert after["row"]["description"] == "Now housing too"
    assert after["row"]["urgency"] == "low"
    assert after["needs"] == ["cv-writing", "housing"]
    assert after["languages"] == ["es"]


def test_the_mentee_cannot_set_the_status_owner_or_closing_time(api, bob, eve):
    help_request = filed(api, bob)

    response = api(bob).patch(
        f"/api/help-requests/{help_request.pk}/",
        {
            "status": "matched",
            "mentee": eve.pk,
            "closed_at": timezone.now().isoformat(),
            "description": "ok",
        },
        format="json",
    )

    assert response.status_code == 200
    assert response.json()["status"] == "open"
    help_request.refresh_from_db()
    assert help_request.status == HelpRequestStatus.OPEN
    assert help_request.mentee == bob
    assert help_request.closed_at is None
    assert help_request.description == "ok"


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"needs": []}, "needs"),
        ({"needs": ["flying"]}, "needs"),
        ({"languages": ["zz"]}, "languages"),
        ({"urgency": "asap"}, "urgency"),
        ({"description": "x" * 1001}, "description"),
    ],
)
def test_it_refuses_a_bad_edit_naming_the_field_and_changes_nothing(api, bob, payload, field):
    # given: a valid change travels with the bad one, and must not be stored either
    help_request = filed(api, bob, description="Original")
    before = stored(help_request)

    # when
    response = api(bob).patch(
        f"/api/help-requests/{help_request.pk}/", {"description": "Not stored", **payload}, format="json"
    )

    # then
    assert response.status_code == 400
    assert field in response.json()
    assert stored(help_request) == before


def test_the_mentee_closes_a_request_once(api, bob):
    # given
    help_request = filed(api, bob)

    # when
    first = api(bob).post(f"/api/help-requests/{help_request.pk}/close/")
    closed_at = first.json()["closed_at"]
    second = api(bob).post(f"/api/help-requests/{help_request.pk}/close/")

    # then
    assert first.status_code == 200
    assert first.json()["status"] == "closed"
    assert closed_at
    assert second.status_code == 200
    assert second.json()["closed_at"] == closed_at
    help_request.refresh_from_db()
    assert help_request.status == HelpRequestStatus.CLOSED


@pytest.mark.parametrize("status", [HelpRequestStatus.CLOSED, HelpRequestStatus.MATCHED])
def test_it_refuses_to_edit_a_request_that_is_no_longer_open(api, bob, status):
    # given
    help_request = filed(api, bob, description="Original")
    HelpRequest.objects.filter(pk=help_request.pk).update(status=status)
    before = stored(help_request)

    # when
    response = api(bob).patch(
        f"/api/help-requests/{help_request.pk}/",
        {"description": "Changed my mind", "needs": ["housing"]},
        format="json",
    )

    # then
    assert response.status_code == 400
    assert "status" in response.json()
    assert stored(help_request) == before


# The list: filters, pagination, query count


@pytest.fixture
def requests_of_casa_abierta(api, bob, mia, eve, mallory):
    """bob: housing, high; mia (a minor): homework in French; eve: CV, closed; mallory's is elsewhere."""
    made = {
        "bob": filed(api, bob, needs=["housing"], urgency="high"),
        "mia": filed(api, mia, needs=["homework-help"], languages=["fr"], urgency="low"),
        "eve": filed(api, eve, needs=["cv-writing", "housing"]),
    }
    api(eve).post(f"/api/help-requests/{made['eve'].pk}/close/")
    filed(api, mallory, needs=["housing"], urgency="high")
    return made


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", {"bob", "mia", "eve"}),
        ("?status=open", {"bob", "mia"}),
        ("?status=closed", {"eve"}),
        ("?status=matched", set()),
        ("?urgency=high", {"bob"}),
        ("?urgency=normal", {"eve"}),
        ("?need=housing", {"bob", "eve"}),
        ("?need=homework-help", {"mia"}),
        ("?language=fr", {"mia"}),
        ("?language=ar", {"bob", "eve"}),
        ("?age_group=minor", {"mia"}),
        ("?age_group=adult", {"bob", "eve"}),
        ("?need=housing&status=open&urgency=high&language=ar&age_group=adult", {"bob"}),
    ],
)
def test_a_coordinator_filters_requests(api, carol, requests_of_casa_abierta, query, expected):
    names = {item.pk: name for name, item in requests_of_casa_abierta.items()}

    response = api(carol).get(f"/api/help-requests/{query}")

    assert response.status_code == 200
    assert {names[pk] for pk in ids(response)} == expected
    assert response.json()["count"] == len(expected)


def test_a_mentee_filters_their_own_requests(api, bob):
    open_request = filed(api, bob)
    closed_request = filed(api, bob)
    api(bob).post(f"/api/help-requests/{closed_request.pk}/close/")

    assert ids(api(bob).get("/api/help-requests/?status=open")) == [open_request.pk]
    assert ids(api(bob).get("/api/help-requests/?status=closed")) == [closed_request.pk]


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("?status=sleeping", "status"),
        ("?urgency=asap", "urgency"),
        ("?age_group=child", "age_group"),
    ],
)
def test_it_refuses_a_bad_request_filter_naming_it(api, carol, query, field):
    response = api(carol).get(f"/api/help-requests/{query}")

    assert response.status_code == 400
    assert field in response.json()


def test_the_request_list_is_paginated(api, carol, requests_of_casa_abierta):
    first = api(carol).get("/api/help-requests/?page_size=2").json()
    second = api(carol).get("/api/help-requests/?page_size=2&page=2").json()

    assert first["count"] == 3
    assert len(first["results"]) == 2
    assert first["next"]
    assert len(second["results"]) == 1
    assert {item["id"] for item in first["results"] + second["results"]} == {
        item.pk for item in requests_of_casa_abierta.values()
    }


def test_the_request_list_costs_the_same_queries_however_many_requests(api, carol, org_a, django_assert_num_queries):
    # given: two requests of two mentees, each with two needs and two languages
    def add(index: int) -> None:
        mentee = make_mentee(org_a, f"q{index}@example.org", f"Q{index}", birth_year=YEAR - 15 - index)
        filed(api, mentee, needs=["housing", "cv-writing"], languages=["ar", "es"])

    for index in range(2):
        add(index)
    with CaptureQueriesContext(connection) as two:
        assert api(carol).get("/api/help-requests/").json()["count"] == 2
    queries_for_two = len(two)  # now: the query log is reset by the next request

    # when
    for index in range(2, 6):
        add(index)

    # then: count, requests, needs, languages (on PostgreSQL count, keys, the rows with both as arrays)
    with django_assert_num_queries(queries_for_two):
        assert api(carol).get("/api/help-requests/").json()["count"] == 6
    assert queries_for_two == (3 if connection.vendor == "postgresql" else 4)
