"""The volunteer API end to end: sign-up, the list and its filters, profiles, `me`, and vetting.

Who may, who may not (404 for those who may not even see the volunteer, 403 for those who may see but
not change), and bad input (400 naming the field, with nothing stored).
"""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.models import Role, User, UserLanguage
from tests.conftest import make_volunteer, vet
from volunteers.models import Volunteer

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a-long-unusual-passphrase"  # noqa: S105
SIGNUP = {
    "email": "noor@example.org",
    "password": NEW_PASSWORD,
    "display_name": "Noor",
    "timezone": "Europe/Rome",
    "languages": [{"language": "ar", "level": "native"}, {"language": "it", "level": "fluent"}],
    "bio": "Backend developer, ten years of Python.",
    "skills": ["python", "cv-writing"],
    "capacity": 3,
}


def today() -> datetime.date:
    return timezone.localdate()


def days(n: int) -> datetime.timedelta:
    return datetime.timedelta(days=n)


def signup(org, *, drop=(), client=None, **changes):
    payload = {**SIGNUP, "organisation": org.pk, **changes}
    for name in drop:
        payload.pop(name)
    return (client or APIClient()).post("/api/signup/volunteer/", payload, format="json")


def ids(response) -> list[int]:
    return [item["id"] for item in response.json()["results"]]


def stored(volunteer: Volunteer) -> dict:
    """Everything stored about a volunteer, to compare before and after a refused request."""
    return {
        "volunteer": Volunteer.objects.filter(pk=volunteer.pk).values().get(),
        "user": User.objects.filter(pk=volunteer.user_id).values().get(),
        "languages": list(
            UserLanguage.objects.filter(user_id=volunteer.user_id)
            .order_by("language_id")
            .values_list("language_id", "level")
        ),
        "skills": sorted(
            Volunteer.skills.through.objects.filter(volunteer_id=volunteer.pk).values_list("skill__slug", flat=True)
        ),
    }


def counts() -> tuple[int, int, int]:
    return User.objects.count(), Volunteer.objects.count(), UserLanguage.objects.count()


# Sign-up


def test_it_signs_up_a_volunteer_who_then_logs_in(org_a):
    # given
    client = APIClient()

    # when
    response = signup(org_a, client=client, email="Noor@Example.ORG")

    # then
    assert response.status_code == 202
    assert set(response.json()) == {"detail"}
    assert (
        client.post(
            "/api/auth/login/", {"email": "noor@example.org", "password": NEW_PASSWORD}, format="json"
        ).status_code
        == 200
    )
    body = client.get("/api/volunteers/me/").json()
    assert body["display_name"] == "Noor"
    assert body["organisation"]["id"] == org_a.pk
    assert body["timezone"] == "Europe/Rome"
    assert body["languages"] == [{"language": "ar", "level": "native"}, {"language": "it", "level": "fluent"}]
    assert sorted(body["skills"]) == ["cv-writing", "python"]
    assert body["capacity"] == 3
    assert body["vetting_status"] == "pending"
    assert body["vetted"] is False
    assert "password" not in body
    volunteer = Volunteer.objects.get(pk=body["id"])
    assert volunteer.user.email == "noor@example.org"
    assert volunteer.user.role == Role.VOLUNTEER
    assert volunteer.user.organisation == org_a
    assert volunteer.bio == SIGNUP["bio"]
    assert volunteer.user.password != NEW_PASSWORD
    assert volunteer.user.check_password(NEW_PASSWORD)


def test_it_ignores_vetting_role_and_staff_flags_sent_at_sign_up(org_a):
    response = signup(
        org_a,
        vetting_status="verified",
        vetting_checked_on=str(today()),
        vetting_expires_on=str(today() + days(365)),
        role="coordinator",
        is_staff=True,
        is_superuser=True,
    )

    assert response.status_code == 202
    volunteer = Volunteer.objects.get(user__email="noor@example.org")
    assert volunteer.vetting_status == "pending"
    assert volunteer.vetting_expires_on is None
    assert volunteer.user.role == Role.VOLUNTEER
    assert not volunteer.user.is_staff
    assert not volunteer.user.is_superuser


@pytest.mark.parametrize(
    ("changes", "drop", "field"),
    [
        ({"email": "not-an-email"}, (), "email"),
        ({}, ("email",), "email"),
        ({"password": "Sh0rt!"}, (), "password"),
        ({"password": "password1234"}, (), "password"),
        ({"password": "40817263549012"}, (), "password"),
        ({"email": "noor.volunteer@example.org", "password": "noorvolunteer"}, (), "password"),
        ({"timezone": "Mars/Olympus_Mons"}, (), "timezone"),
        ({"skills": ["python", "juggling"]}, (), "skills"),
        ({"languages": [{"language": "xx", "level": "native"}]}, (), "languages"),
        ({"languages": [{"language": "ar", "level": "native"}, {"language": "ar", "level": "basic"}]}, (), "languages"),
        ({"languages": [{"language": "ar", "level": "expert"}]}, (), "languages"),
        ({"capacity": 11}, (), "capacity"),
        ({"capacity": -1}, (), "capacity"),
        ({}, ("organisation",), "organisation"),
        ({"organisation": None}, (), "organisation"),
        ({"organisation": 999_999}, (), "organisation"),
        ({"display_name": ""}, (), "display_name"),
    ],
    ids=[
        "malformed-email",
        "missing-email",
        "short-password",
        "common-password",
        "numeric-password",
        "password-like-the-email",
        "unknown-time-zone",
        "unknown-skill",
        "unknown-language",
        "duplicate-language",
        "unknown-level",
        "capacity-11",
        "capacity-minus-1",
        "missing-organisation",
        "null-organisation",
        "unknown-organisation",
        "blank-display-name",
    ],
)
def test_it_refuses_a_bad_sign_up_naming_the_field_and_creates_nobody(org_a, alice, changes, drop, field):
    # given
    before = counts()

    # when
    response = signup(org_a, drop=drop, **{"email": "noor.vol@example.org", **changes})

    # then
    assert response.status_code == 400
    assert field in response.json()
    assert response.json()[field]
    assert counts() == before
    assert "sessionid" not in response.cookies


def test_it_throttles_sign_ups_per_address(org_a, settings):
    # given: two sign-ups an hour per address
    rest = settings.REST_FRAMEWORK
    settings.REST_FRAMEWORK = {**rest, "DEFAULT_THROTTLE_RATES": {**rest["DEFAULT_THROTTLE_RATES"], "signup": "2/hour"}}
    assert signup(org_a, email="one@example.org").status_code == 202
    assert signup(org_a, email="two@example.org").status_code == 202

    # when
    third = signup(org_a, email="three@example.org")
    spoofed = APIClient(HTTP_X_FORWARDED_FOR="203.0.113.9")
    spoofed_third = signup(org_a, client=spoofed, email="spoofed@example.org")
    elsewhere = signup(org_a, client=APIClient(REMOTE_ADDR="198.51.100.7"), email="four@example.org")

    # then
    assert third.status_code == 429
    assert third.headers["Retry-After"]
    assert spoofed_third.status_code == 429
    assert not User.objects.filter(email__in=["three@example.org", "spoofed@example.org"]).exists()
    assert elsewhere.status_code == 202


# Who may call what: anonymous callers are refused with 401 (token auth asks for credentials)


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/api/volunteers/"),
        ("get", "/api/volunteers/{id}/"),
        ("patch", "/api/volunteers/{id}/"),
        ("get", "/api/volunteers/me/"),
        ("patch", "/api/volunteers/me/"),
        ("post", "/api/volunteers/{id}/vetting/"),
    ],
)
def test_it_refuses_anonymous_callers_with_401_and_changes_nothing(api, alice, method, path):
    before = stored(alice)
    payload = {
        "bio": "anonymous",
        "status": "verified",
        "checked_on": str(today()),
        "expires_on": str(today() + days(30)),
    }

    response = getattr(api(None), method)(path.format(id=alice.pk), payload, format="json")

    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"] == "Token"
    assert stored(alice) == before


# The list


def test_a_coordinator_lists_only_their_own_organisations_volunteers(api, carol, dave, alice, victor, org_b):
    elsewhere = make_volunteer(org_b, "elsewhere@example.org", "Elsewhere")

    assert ids(api(carol).get("/api/volunteers/")) == [alice.pk, victor.pk]
    assert ids(api(dave).get("/api/volunteers/")) == [elsewhere.pk]


def test_a_volunteer_lists_only_themself(api, alice, victor):
    response = api(victor).get("/api/volunteers/")

    assert response.status_code == 200
    assert response.json()["count"] == 1
    assert ids(response) == [victor.pk]


@pytest.mark.parametrize("who", ["bob", "mallory"])
def test_a_mentee_gets_an_empty_volunteer_list(api, alice, victor, who, request):
    response = api(request.getfixturevalue(who)).get("/api/volunteers/")

    assert response.status_code == 200
    assert response.json()["count"] == 0
    assert response.json()["results"] == []


@pytest.fixture
def farid(org_a):
    """A third volunteer of Casa Abierta: Persian only, Python, paused (capacity 0), never vetted."""
    return make_volunteer(
        org_a,
        "farid@example.org",
        "Farid",
        skills=["python"],
        capacity=0,
        languages=[{"language": "fa", "level": "native"}],
    )


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", {"alice", "victor", "farid"}),
        ("?skill=python", {"alice", "farid"}),
        ("?skill=housing", {"victor"}),
        ("?skill=juggling", set()),
        ("?language=fa", {"farid"}),
        ("?language=en", {"alice", "victor"}),
        ("?vetting_status=verified", {"alice", "victor"}),
        ("?vetting_status=pending", {"farid"}),
        ("?vetted=true", {"alice"}),
        ("?vetted=false", {"victor", "farid"}),
        ("?has_capacity=true", {"alice", "victor"}),
        ("?has_capacity=false", {"farid"}),
        ("?skill=python&vetted=true&has_capacity=true&language=ar", {"alice"}),
    ],
)
def test_a_coordinator_filters_volunteers(api, carol, alice, victor, farid, query, expected):
    # given: alice vetted, victor's check expired yesterday, farid never checked
    vet(alice, carol)
    vet(victor, carol, expires_in_days=-1)
    names = {alice.pk: "alice", victor.pk: "victor", farid.pk: "farid"}

    # when
    response = api(carol).get(f"/api/volunteers/{query}")

    # then
    assert response.status_code == 200
    assert {names[pk] for pk in ids(response)} == expected
    assert response.json()["count"] == len(expected)


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("?vetted=maybe", "vetted"),
        ("?has_capacity=2", "has_capacity"),
        ("?vetting_status=excellent", "vetting_status"),
    ],
)
def test_it_refuses_a_bad_filter_value_naming_the_filter(api, carol, alice, query, field):
    response = api(carol).get(f"/api/volunteers/{query}")

    assert response.status_code == 400
    assert field in response.json()


def test_the_volunteer_list_is_paginated(api, carol, alice, victor, farid):
    first = api(carol).get("/api/volunteers/?page_size=2").json()
    second = api(carol).get("/api/volunteers/?page_size=2&page=2").json()

    assert first["count"] == 3
    assert [item["id"] for item in first["results"]] == [alice.pk, victor.pk]
    assert first["next"]
    assert [item["id"] for item in second["results"]] == [farid.pk]
    assert second["next"] is None
    assert api(carol).get("/api/volunteers/?page_size=2&page=3").status_code == 404


def test_the_volunteer_list_costs_as_many_queries_however_many_volunteers(api, carol, org_a, django_assert_num_queries):
    # given: two volunteers with skills and languages
    def add(index: int) -> None:
        volunteer = make_volunteer(org_a, f"v{index}@example.org", f"V{index}", skills=["python", "housing"])
        vet(volunteer, carol)

    for index in range(2):
        add(index)
    with CaptureQueriesContext(connection) as two:
        assert api(carol).get("/api/volunteers/").json()["count"] == 2
    queries_for_two = len(two)  # now: the query log is reset by the next request

    # when: four more
    for index in range(2, 6):
        add(index)

    # then: count, the page's keys, its volunteers with user and organisation, skills (on PostgreSQL an array
    # of each row), languages
    with django_assert_num_queries(queries_for_two):
        assert api(carol).get("/api/volunteers/").json()["count"] == 6
    assert queries_for_two == (4 if connection.vendor == "postgresql" else 5)


# One volunteer's profile


def test_the_volunteer_and_their_coordinator_read_the_profile(api, alice, carol):
    mine = api(alice).get(f"/api/volunteers/{alice.pk}/")
    coordinators = api(carol).get(f"/api/volunteers/{alice.pk}/")

    assert mine.status_code == 200
    assert coordinators.status_code == 200
    assert mine.json() == coordinators.json()
    assert mine.json()["display_name"] == "Alice"
    assert sorted(mine.json()["skills"]) == ["cv-writing", "python"]


@pytest.mark.parametrize("who", ["victor", "dave", "bob", "mallory"])
def test_it_answers_404_to_those_who_may_not_see_the_volunteer_and_changes_nothing(api, alice, who, request):
    # given
    stranger = api(request.getfixturevalue(who))
    before = stored(alice)

    # when
    read = stranger.get(f"/api/volunteers/{alice.pk}/")
    change = stranger.patch(f"/api/volunteers/{alice.pk}/", {"bio": "hacked", "capacity": 0}, format="json")

    # then
    assert read.status_code == 404
    assert change.status_code == 404
    assert stored(alice) == before


def test_a_coordinator_may_read_but_not_edit_a_volunteer_of_their_organisation(api, alice, carol):
    before = stored(alice)

    response = api(carol).patch(
        f"/api/volunteers/{alice.pk}/", {"bio": "Edited by Carol", "capacity": 0}, format="json"
    )

    assert response.status_code == 403
    assert stored(alice) == before


EDIT = {
    "display_name": "Alice M.",
    "timezone": "America/Bogota",
    "languages": [{"language": "es", "level": "native"}, {"language": "fr", "level": "basic"}],
    "bio": "I help with CVs in Spanish.",
    "skills": ["cv-writing", "job-search"],
    "capacity": 4,
}


@pytest.mark.parametrize("path", ["/api/volunteers/{id}/", "/api/volunteers/me/"])
def test_the_volunteer_edits_every_field_they_own(api, alice, path):
    response = api(alice).patch(path.format(id=alice.pk), EDIT, format="json")

    assert response.status_code == 200
    alice.refresh_from_db()
    assert alice.user.display_name == "Alice M."
    assert alice.user.timezone == "America/Bogota"
    assert sorted(alice.user.languages.values_list("language_id", "level")) == [("es", "native"), ("fr", "basic")]
    assert alice.bio == "I help with CVs in Spanish."
    assert sorted(alice.skills.values_list("slug", flat=True)) == ["cv-writing", "job-search"]
    assert alice.capacity == 4


@pytest.mark.parametrize("path", ["/api/volunteers/{id}/", "/api/volunteers/me/"])
def test_the_answer_to_an_edit_shows_the_new_profile(api, alice, path):
    response = api(alice).patch(path.format(id=alice.pk), EDIT, format="json")

    assert response.status_code == 200
    body = response.json()
    assert body["display_name"] == "Alice M."
    assert body["timezone"] == "America/Bogota"
    assert sorted(body["skills"]) == ["cv-writing", "job-search"]
    assert body["capacity"] == 4
    assert body["languages"] == [{"language": "es", "level": "native"}, {"language": "fr", "level": "basic"}]
    assert body == api(alice).get(path.format(id=alice.pk)).json()


@pytest.mark.parametrize("path", ["/api/volunteers/{id}/", "/api/volunteers/me/"])
def test_the_volunteer_cannot_vet_themself_or_move_organisation(api, alice, org_b, path):
    before = stored(alice)

    response = api(alice).patch(
        path.format(id=alice.pk),
        {
            "vetting_status": "verified",
            "vetting_checked_on": str(today()),
            "vetting_expires_on": str(today() + days(3650)),
            "vetted": True,
            "organisation": org_b.pk,
            "id": 12345,
        },
        format="json",
    )

    assert response.status_code == 200
    assert response.json()["vetted"] is False
    after = stored(alice)
    for field in ("vetting_status", "vetting_checked_on", "vetting_expires_on", "vetting_recorded_by_id", "id"):
        assert after["volunteer"][field] == before["volunteer"][field]
    assert after["user"]["organisation_id"] == before["user"]["organisation_id"]


BAD_EDITS = [
    ({"capacity": 11}, "capacity"),
    ({"capacity": -1}, "capacity"),
    ({"capacity": "lots"}, "capacity"),
    ({"timezone": "Nowhere/Land"}, "timezone"),
    ({"timezone": ""}, "timezone"),
    ({"skills": ["python", "nonsense"]}, "skills"),
    ({"languages": [{"language": "zz", "level": "native"}]}, "languages"),
    ({"languages": [{"language": "en"}, {"language": "en", "level": "basic"}]}, "languages"),
    ({"languages": [{"level": "basic"}]}, "languages"),
    ({"languages": [{"language": "en", "level": "expert"}]}, "languages"),
    ({"display_name": ""}, "display_name"),
    ({"display_name": "x" * 81}, "display_name"),
    ({"bio": "x" * 2001}, "bio"),
]


@pytest.mark.parametrize("path", ["/api/volunteers/{id}/", "/api/volunteers/me/"])
@pytest.mark.parametrize(("payload", "field"), BAD_EDITS)
def test_it_refuses_a_bad_edit_naming_the_field_and_changes_nothing(api, alice, path, payload, field):
    # given: a valid change travels with the bad one, and must not be stored either
    before = stored(alice)
    payload = {"bio": "Should not be stored", "capacity": 5, **payload}

    # when
    response = api(alice).patch(path.format(id=alice.pk), payload, format="json")

    # then
    assert response.status_code == 400
    assert field in response.json()
    assert stored(alice) == before


# me


@pytest.mark.parametrize("who", ["carol", "bob"])
def test_only_volunteers_have_a_me_profile(api, alice, who, request):
    caller = api(request.getfixturevalue(who))
    before = stored(alice)

    assert caller.get("/api/volunteers/me/").status_code == 403
    assert caller.patch("/api/volunteers/me/", {"bio": "x"}, format="json").status_code == 403
    assert stored(alice) == before


def test_me_is_the_callers_own_profile(api, alice, victor):
    assert api(victor).get("/api/volunteers/me/").json()["id"] == victor.pk
    api(victor).patch("/api/volunteers/me/", {"bio": "Victor's bio"}, format="json")
    victor.refresh_from_db()
    alice.refresh_from_db()
    assert victor.bio == "Victor's bio"
    assert alice.bio == ""


# Vetting


def vetting_payload(**changes) -> dict:
    return {
        "status": "verified",
        "checked_on": str(today() - days(3)),
        "expires_on": str(today() + days(362)),
        **changes,
    }


def test_a_coordinator_of_the_organisation_records_a_background_check(api, alice, carol):
    # when
    response = api(carol).post(f"/api/volunteers/{alice.pk}/vetting/", vetting_payload(), format="json")

    # then
    assert response.status_code == 200
    assert response.json()["vetted"] is True
    assert response.json()["vetting_status"] == "verified"
    assert response.json()["vetting_expires_on"] == str(today() + days(362))
    alice.refresh_from_db()
    assert alice.vetting_status == "verified"
    assert alice.vetting_checked_on == today() - days(3)
    assert alice.vetting_expires_on == today() + days(362)
    assert alice.vetting_recorded_by == carol
    assert api(alice).get("/api/volunteers/me/").json()["vetted"] is True
    assert ids(api(carol).get("/api/volunteers/?vetted=true")) == [alice.pk]


def test_a_coordinator_rejects_a_check_and_the_volunteer_is_no_longer_vetted(api, alice, carol):
    vet(alice, carol)

    response = api(carol).post(
        f"/api/volunteers/{alice.pk}/vetting/", {"status": "rejected", "checked_on": str(today())}, format="json"
    )

    assert response.status_code == 200
    assert response.json()["vetted"] is False
    alice.refresh_from_db()
    assert alice.vetting_status == "rejected"
    assert alice.vetting_expires_on is None
    assert ids(api(carol).get("/api/volunteers/?vetted=true")) == []


def test_an_expired_check_is_not_vetted(api, alice, victor, carol):
    # given: a check recorded through the API that ran out yesterday
    response = api(carol).post(
        f"/api/volunteers/{alice.pk}/vetting/",
        vetting_payload(checked_on=str(today() - days(730)), expires_on=str(today() - days(1))),
        format="json",
    )

    # then
    assert response.status_code == 200
    assert response.json()["vetted"] is False
    assert api(carol).get(f"/api/volunteers/{alice.pk}/").json()["vetted"] is False
    assert ids(api(carol).get("/api/volunteers/?vetted=true")) == []
    assert ids(api(carol).get("/api/volunteers/?vetted=false")) == [alice.pk, victor.pk]


def test_a_check_is_still_valid_on_its_last_day(api, alice, carol):
    vet(alice, carol, expires_in_days=0)

    assert api(carol).get(f"/api/volunteers/{alice.pk}/").json()["vetted"] is True
    assert ids(api(carol).get("/api/volunteers/?vetted=true")) == [alice.pk]


def test_a_coordinator_of_another_organisation_cannot_find_the_volunteer_to_vet(api, alice, dave):
    before = stored(alice)

    response = api(dave).post(f"/api/volunteers/{alice.pk}/vetting/", vetting_payload(), format="json")

    assert response.status_code == 404
    assert stored(alice) == before


@pytest.mark.parametrize("who", ["alice", "victor", "bob"])
def test_volunteers_and_mentees_may_not_record_a_check(api, alice, who, request):
    before = stored(alice)

    response = api(request.getfixturevalue(who)).post(
        f"/api/volunteers/{alice.pk}/vetting/", vetting_payload(), format="json"
    )

    assert response.status_code == 403
    assert stored(alice) == before


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"expires_on": None}, "expires_on"),
        ({"checked_on": None}, "checked_on"),
        ({"checked_on": str(today() - days(10)), "expires_on": str(today() - days(20))}, "expires_on"),
        ({"checked_on": str(today() - days(10)), "expires_on": str(today() - days(10))}, "expires_on"),
        ({"checked_on": str(today() + days(1)), "expires_on": str(today() + days(400))}, "checked_on"),
        ({"checked_on": "last tuesday"}, "checked_on"),
        ({"status": "excellent"}, "status"),
        ({"status": None}, "status"),
    ],
    ids=[
        "verified-without-expiry",
        "verified-without-check-date",
        "expiry-before-check",
        "expiry-on-check-day",
        "check-in-the-future",
        "malformed-date",
        "unknown-status",
        "no-status",
    ],
)
def test_it_refuses_bad_vetting_input_naming_the_field_and_changes_nothing(api, alice, carol, changes, field):
    # given: a check already on record, which a bad new one must not disturb
    vet(alice, carol, expires_in_days=100)
    before = stored(alice)

    # when
    response = api(carol).post(f"/api/volunteers/{alice.pk}/vetting/", vetting_payload(**changes), format="json")

    # then
    assert response.status_code == 400
    assert field in response.json()
    assert stored(alice) == before
