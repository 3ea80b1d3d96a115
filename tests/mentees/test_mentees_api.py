"""The mentee API end to end: sign-up, the list and its filters, profiles, `me`, and guardian consent.

Who may, who may not (404 for those who may not even see the mentee, 403 for those who may see but
not change), and bad input (400 naming the field, with nothing stored). Minors stay inactive until a
coordinator records a guardian's consent.
"""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.models import Role, User, UserLanguage
from mentees.models import Mentee
from mentees.services import consent_record
from tests.conftest import make_coordinator, make_mentee

pytestmark = pytest.mark.django_db

YEAR = timezone.localdate().year
NEW_PASSWORD = "a-long-unusual-passphrase"  # noqa: S105
SIGNUP = {
    "email": "amal@example.org",
    "password": NEW_PASSWORD,
    "display_name": "Amal",
    "birth_year": YEAR - 20,
    "timezone": "Europe/Madrid",
    "languages": [{"language": "ti", "level": "native"}, {"language": "es", "level": "basic"}],
}
CONSENT_FIELDS = {"consent_guardian_name", "consent_given_on", "consent_method", "consent_recorded_at"}


def today() -> datetime.date:
    return timezone.localdate()


def signup(org, *, drop=(), client=None, **changes):
    payload = {**SIGNUP, "organisation": org.pk, **changes}
    for name in drop:
        payload.pop(name)
    return (client or APIClient()).post("/api/signup/mentee/", payload, format="json")


def ids(response) -> list[int]:
    return [item["id"] for item in response.json()["results"]]


def stored(mentee: Mentee) -> dict:
    """Everything stored about a mentee, to compare before and after a refused request."""
    return {
        "mentee": Mentee.objects.filter(pk=mentee.pk).values().get(),
        "user": User.objects.filter(pk=mentee.user_id).values().get(),
        "languages": list(
            UserLanguage.objects.filter(user_id=mentee.user_id)
            .order_by("language_id")
            .values_list("language_id", "level")
        ),
    }


def counts() -> tuple[int, int, int]:
    return User.objects.count(), Mentee.objects.count(), UserLanguage.objects.count()


def consent_payload(**changes) -> dict:
    return {
        "guardian_name": "Selam K.",
        "given_on": str(today() - datetime.timedelta(days=2)),
        "method": "signed_form",
        **changes,
    }


# Sign-up


def test_it_signs_up_an_adult_mentee_active_who_then_logs_in(org_a):
    # given
    client = APIClient()

    # when
    response = signup(org_a, client=client)

    # then
    assert response.status_code == 202
    assert set(response.json()) == {"detail"}
    assert (
        client.post("/api/auth/login/", {"email": SIGNUP["email"], "password": NEW_PASSWORD}, format="json").status_code
        == 200
    )
    body = client.get("/api/mentees/me/").json()
    assert body["is_minor"] is False
    assert body["is_active"] is True
    assert body["has_consent"] is False
    assert body["birth_year"] == YEAR - 20
    assert body["organisation"]["id"] == org_a.pk
    assert body["languages"] == [{"language": "es", "level": "basic"}, {"language": "ti", "level": "native"}]
    assert "password" not in body
    assert not CONSENT_FIELDS & set(body)
    mentee = Mentee.objects.get(pk=body["id"])
    assert mentee.user.role == Role.MENTEE
    assert mentee.user.password != NEW_PASSWORD
    assert mentee.user.check_password(NEW_PASSWORD)


@pytest.mark.parametrize("age", [16, 10, 18])
def test_it_signs_up_a_minor_inactive_until_consent(org_a, age):
    """Born this year minus 18 may not have turned 18 yet: safeguarding treats them as a minor."""
    response = signup(org_a, birth_year=YEAR - age)

    assert response.status_code == 202
    mentee = Mentee.objects.get(user__email=SIGNUP["email"])
    assert mentee.is_minor
    assert not mentee.is_active


@pytest.mark.parametrize("age", [19, 99])
def test_it_signs_up_adults_up_to_99(org_a, age):
    response = signup(org_a, birth_year=YEAR - age)

    assert response.status_code == 202
    assert Mentee.objects.get(user__email=SIGNUP["email"]).is_active


def test_it_ignores_consent_and_role_sent_at_sign_up(org_a):
    response = signup(
        org_a,
        birth_year=YEAR - 15,
        consent_guardian_name="Myself",
        consent_given_on=str(today()),
        consent_method="email",
        consent_recorded_at=timezone.now().isoformat(),
        has_consent=True,
        is_active=True,
        role="coordinator",
        is_staff=True,
    )

    assert response.status_code == 202
    mentee = Mentee.objects.get(user__email="amal@example.org")
    assert not mentee.is_active
    assert not mentee.has_consent
    assert mentee.consent_guardian_name == ""
    assert mentee.consent_given_on is None
    assert mentee.consent_method == ""
    assert mentee.user.role == Role.MENTEE
    assert not mentee.user.is_staff


@pytest.mark.parametrize(
    ("changes", "drop", "field"),
    [
        ({"birth_year": YEAR + 1}, (), "birth_year"),
        ({"birth_year": YEAR}, (), "birth_year"),
        ({"birth_year": YEAR - 9}, (), "birth_year"),
        ({"birth_year": YEAR - 100}, (), "birth_year"),
        ({"birth_year": "twenty"}, (), "birth_year"),
        ({}, ("birth_year",), "birth_year"),
        ({"password": "short"}, (), "password"),
        ({"password": "password1234"}, (), "password"),
        ({"timezone": "Atlantis/Capital"}, (), "timezone"),
        ({"languages": [{"language": "xx", "level": "native"}]}, (), "languages"),
        ({"languages": [{"language": "ti", "level": "native"}, {"language": "ti", "level": "basic"}]}, (), "languages"),
        ({}, ("organisation",), "organisation"),
        ({"organisation": 999_999}, (), "organisation"),
    ],
    ids=[
        "born-next-year",
        "born-this-year",
        "age-9",
        "age-100",
        "not-a-number",
        "missing-birth-year",
        "short-password",
        "common-password",
        "unknown-time-zone",
        "unknown-language",
        "duplicate-language",
        "missing-organisation",
        "unknown-organisation",
    ],
)
def test_it_refuses_a_bad_mentee_sign_up_naming_the_field_and_creates_nobody(org_a, bob, changes, drop, field):
    before = counts()

    response = signup(org_a, drop=drop, **changes)

    assert response.status_code == 400
    assert field in response.json()
    assert response.json()[field]
    assert counts() == before
    assert "sessionid" not in response.cookies


def test_it_throttles_mentee_sign_ups_per_address(org_a, settings):
    # given
    rest = settings.REST_FRAMEWORK
    settings.REST_FRAMEWORK = {**rest, "DEFAULT_THROTTLE_RATES": {**rest["DEFAULT_THROTTLE_RATES"], "signup": "2/hour"}}
    assert signup(org_a, email="one@example.org").status_code == 202
    assert signup(org_a, email="two@example.org").status_code == 202

    # when
    third = signup(org_a, email="three@example.org")

    # then
    assert third.status_code == 429
    assert not User.objects.filter(email="three@example.org").exists()
    assert signup(org_a, client=APIClient(REMOTE_ADDR="198.51.100.7"), email="four@example.org").status_code == 202


# Who may call what


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/api/mentees/"),
        ("get", "/api/mentees/{id}/"),
        ("patch", "/api/mentees/{id}/"),
        ("get", "/api/mentees/me/"),
        ("patch", "/api/mentees/me/"),
        ("post", "/api/mentees/{id}/consent/"),
        ("delete", "/api/mentees/{id}/consent/"),
    ],
)
def test_it_refuses_anonymous_callers_with_401_and_changes_nothing(api, mia, method, path):
    before = stored(mia)

    response = getattr(api(None), method)(
        path.format(id=mia.pk), {"display_name": "anon", **consent_payload()}, format="json"
    )

    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"] == "Token"
    assert stored(mia) == before


# The list


def test_a_coordinator_lists_only_their_own_organisations_mentees(api, carol, dave, bob, mia, eve, mallory):
    assert ids(api(carol).get("/api/mentees/")) == [bob.pk, mia.pk, eve.pk]
    assert ids(api(dave).get("/api/mentees/")) == [mallory.pk]


@pytest.mark.parametrize("who", ["bob", "mia", "mallory"])
def test_a_mentee_lists_only_themself(api, bob, mia, eve, mallory, who, request):
    me = request.getfixturevalue(who)

    response = api(me).get("/api/mentees/")

    assert response.json()["count"] == 1
    assert ids(response) == [me.pk]


def test_a_volunteer_gets_an_empty_mentee_list(api, alice, bob, mia):
    response = api(alice).get("/api/mentees/")

    assert response.status_code == 200
    assert response.json()["count"] == 0
    assert response.json()["results"] == []


def test_coordinators_see_the_recorded_consent_and_mentees_never_the_guardians_name(api, carol, mia):
    # given
    api(carol).post(f"/api/mentees/{mia.pk}/consent/", consent_payload(), format="json")

    # when
    coordinator_list = api(carol).get("/api/mentees/").json()["results"][0]
    coordinator_detail = api(carol).get(f"/api/mentees/{mia.pk}/").json()
    own_views = [
        api(mia).get("/api/mentees/").json()["results"][0],
        api(mia).get(f"/api/mentees/{mia.pk}/").json(),
        api(mia).get("/api/mentees/me/").json(),
    ]

    # then
    for view in (coordinator_list, coordinator_detail):
        assert view["consent_guardian_name"] == "Selam K."
        assert view["consent_method"] == "signed_form"
        assert view["consent_given_on"] == consent_payload()["given_on"]
        assert view["consent_recorded_at"]
    for view in own_views:
        assert not CONSENT_FIELDS & set(view)
        assert "Selam" not in str(view)
        assert view["has_consent"] is True
        assert view["is_active"] is True


@pytest.fixture
def yusuf(org_a):
    """A second minor, speaking Ukrainian, whose guardian has consented."""
    mentee = make_mentee(
        org_a, "yusuf@example.org", "Yusuf", birth_year=YEAR - 14, languages=[{"language": "uk", "level": "native"}]
    )
    recorder = make_coordinator(org_a, "rec@casa.example", "Recorder")
    return consent_record(
        mentee=mentee, guardian_name="Olena", given_on=today(), method="in_person", recorded_by=recorder
    )


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", {"bob", "mia", "eve", "yusuf"}),
        ("?language=ar", {"bob", "mia", "eve"}),
        ("?language=uk", {"yusuf"}),
        ("?language=fr", set()),
        ("?age_group=minor", {"mia", "yusuf"}),
        ("?age_group=adult", {"bob", "eve"}),
        ("?active=true", {"bob", "eve", "yusuf"}),
        ("?active=false", {"mia"}),
        ("?age_group=minor&active=true", {"yusuf"}),
        ("?language=ar&age_group=minor", {"mia"}),
    ],
)
def test_a_coordinator_filters_mentees(api, carol, bob, mia, eve, yusuf, mallory, query, expected):
    names = {bob.pk: "bob", mia.pk: "mia", eve.pk: "eve", yusuf.pk: "yusuf"}

    response = api(carol).get(f"/api/mentees/{query}")

    assert response.status_code == 200
    assert {names[pk] for pk in ids(response)} == expected
    assert response.json()["count"] == len(expected)


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("?age_group=child", "age_group"),
        ("?active=maybe", "active"),
    ],
)
def test_it_refuses_a_bad_mentee_filter_naming_it(api, carol, bob, query, field):
    response = api(carol).get(f"/api/mentees/{query}")

    assert response.status_code == 400
    assert field in response.json()


def test_the_mentee_list_is_paginated(api, carol, bob, mia, eve):
    first = api(carol).get("/api/mentees/?page_size=2").json()
    second = api(carol).get("/api/mentees/?page_size=2&page=2").json()

    assert first["count"] == 3
    assert [item["id"] for item in first["results"]] == [bob.pk, mia.pk]
    assert first["next"]
    assert [item["id"] for item in second["results"]] == [eve.pk]
    assert second["next"] is None


def test_the_mentee_list_costs_four_queries_however_many_mentees(api, carol, org_a, django_assert_num_queries):
    # given: two mentees, one a minor, each with two languages
    def add(index: int) -> None:
        make_mentee(
            org_a,
            f"m{index}@example.org",
            f"M{index}",
            birth_year=YEAR - 15 - index,
            languages=[{"language": "ar", "level": "native"}, {"language": "fr", "level": "basic"}],
        )

    for index in range(2):
        add(index)
    with CaptureQueriesContext(connection) as two:
        assert api(carol).get("/api/mentees/").json()["count"] == 2
    queries_for_two = len(two)  # now: the query log is reset by the next request

    # when
    for index in range(2, 6):
        add(index)

    # then: count, the page's keys, its mentees with user and organisation, languages
    with django_assert_num_queries(queries_for_two):
        assert api(carol).get("/api/mentees/").json()["count"] == 6
    assert queries_for_two == 4


# One mentee's profile


@pytest.mark.parametrize("who", ["eve", "mallory", "dave", "alice"])
def test_it_answers_404_to_those_who_may_not_see_the_mentee_and_changes_nothing(api, bob, who, request):
    # given
    stranger = api(request.getfixturevalue(who))
    before = stored(bob)

    # when
    read = stranger.get(f"/api/mentees/{bob.pk}/")
    change = stranger.patch(
        f"/api/mentees/{bob.pk}/", {"display_name": "hacked", "birth_year": YEAR - 40}, format="json"
    )

    # then
    assert read.status_code == 404
    assert change.status_code == 404
    assert stored(bob) == before


def test_a_coordinator_may_read_but_not_edit_a_mentee_of_their_organisation(api, carol, bob):
    before = stored(bob)

    read = api(carol).get(f"/api/mentees/{bob.pk}/")
    change = api(carol).patch(f"/api/mentees/{bob.pk}/", {"display_name": "Robert"}, format="json")

    assert read.status_code == 200
    assert read.json()["display_name"] == "Bob"
    assert change.status_code == 403
    assert stored(bob) == before


EDIT = {
    "display_name": "Bobby",
    "timezone": "Africa/Asmara",
    "languages": [{"language": "ti", "level": "native"}, {"language": "en", "level": "basic"}],
    "birth_year": 2002,
}


@pytest.mark.parametrize("path", ["/api/mentees/{id}/", "/api/mentees/me/"])
def test_the_mentee_edits_their_own_profile(api, bob, path):
    response = api(bob).patch(path.format(id=bob.pk), EDIT, format="json")

    assert response.status_code == 200
    bob.refresh_from_db()
    assert bob.user.display_name == "Bobby"
    assert bob.user.timezone == "Africa/Asmara"
    assert sorted(bob.user.languages.values_list("language_id", "level")) == [("en", "basic"), ("ti", "native")]
    assert bob.birth_year == 2002


@pytest.mark.parametrize("path", ["/api/mentees/{id}/", "/api/mentees/me/"])
def test_the_answer_to_a_mentee_edit_shows_the_new_profile(api, bob, path):
    response = api(bob).patch(path.format(id=bob.pk), EDIT, format="json")

    assert response.status_code == 200
    body = response.json()
    assert body["display_name"] == "Bobby"
    assert body["timezone"] == "Africa/Asmara"
    assert body["birth_year"] == 2002
    assert body["languages"] == [{"language": "en", "level": "basic"}, {"language": "ti", "level": "native"}]
    assert body == api(bob).get(path.format(id=bob.pk)).json()


@pytest.mark.parametrize("path", ["/api/mentees/{id}/", "/api/mentees/me/"])
def test_a_mentee_cannot_record_their_own_consent(api, mia, path):
    before = stored(mia)

    response = api(mia).patch(
        path.format(id=mia.pk),
        {
            "consent_guardian_name": "Me",
            "consent_given_on": str(today()),
            "consent_method": "email",
            "consent_recorded_at": timezone.now().isoformat(),
            "has_consent": True,
            "is_active": True,
        },
        format="json",
    )

    assert response.status_code == 200
    assert response.json()["is_active"] is False
    after = stored(mia)["mentee"]
    for field in (
        "consent_guardian_name",
        "consent_given_on",
        "consent_method",
        "consent_recorded_at",
        "consent_recorded_by_id",
    ):
        assert after[field] == before["mentee"][field]


@pytest.mark.parametrize("path", ["/api/mentees/{id}/", "/api/mentees/me/"])
def test_a_minor_cannot_make_themself_an_adult_to_skip_guardian_consent(api, mia, path):
    # given: mia is 16 and her guardian has not consented
    before = stored(mia)

    # when
    response = api(mia).patch(path.format(id=mia.pk), {"birth_year": YEAR - 30}, format="json")

    # then
    assert response.status_code == 400
    assert "birth_year" in response.json()
    assert stored(mia) == before
    assert api(mia).get("/api/mentees/me/").json()["is_active"] is False


BAD_EDITS = [
    ({"birth_year": YEAR + 1}, "birth_year"),
    ({"birth_year": YEAR - 9}, "birth_year"),
    ({"birth_year": YEAR - 100}, "birth_year"),
    ({"birth_year": None}, "birth_year"),
    ({"timezone": "Nowhere/Land"}, "timezone"),
    ({"languages": [{"language": "ar"}, {"language": "ar", "level": "basic"}]}, "languages"),
    ({"languages": [{"language": "qq", "level": "basic"}]}, "languages"),
    ({"display_name": ""}, "display_name"),
    ({"display_name": "x" * 81}, "display_name"),
]


@pytest.mark.parametrize("path", ["/api/mentees/{id}/", "/api/mentees/me/"])
@pytest.mark.parametrize(("payload", "field"), BAD_EDITS)
def test_it_refuses_a_bad_mentee_edit_naming_the_field_and_changes_nothing(api, bob, path, payload, field):
    # given: a valid change travels with the bad one, and must not be stored either
    before = stored(bob)
    payload = {"display_name": "Not stored", **payload}

    # when
    response = api(bob).patch(path.format(id=bob.pk), payload, format="json")

    # then
    assert response.status_code == 400
    assert field in response.json()
    assert stored(bob) == before


# me


@pytest.mark.parametrize("who", ["carol", "alice"])
def test_only_mentees_have_a_me_profile(api, bob, who, request):
    caller = api(request.getfixturevalue(who))
    before = stored(bob)

    assert caller.get("/api/mentees/me/").status_code == 403
    assert caller.patch("/api/mentees/me/", {"display_name": "x"}, format="json").status_code == 403
    assert stored(bob) == before


def test_me_is_the_callers_own_mentee_profile(api, bob, eve):
    assert api(eve).get("/api/mentees/me/").json()["id"] == eve.pk

    api(eve).patch("/api/mentees/me/", {"display_name": "Eva"}, format="json")

    eve.refresh_from_db()
    bob.refresh_from_db()
    assert eve.user.display_name == "Eva"
    assert bob.user.display_name == "Bob"


# Guardian consent


def test_a_coordinator_of_the_organisation_records_consent_and_the_minor_becomes_active(api, carol, mia):
    # when
    response = api(carol).post(f"/api/mentees/{mia.pk}/consent/", consent_payload(), format="json")

    # then
    assert response.status_code == 200
    body = response.json()
    assert body["is_active"] is True
    assert body["has_consent"] is True
    assert body["consent_guardian_name"] == "Selam K."
    mia.refresh_from_db()
    assert mia.consent_guardian_name == "Selam K."
    assert mia.consent_given_on == today() - datetime.timedelta(days=2)
    assert mia.consent_method == "signed_form"
    assert mia.consent_recorded_by == carol
    assert mia.consent_recorded_at is not None
    assert api(mia).get("/api/mentees/me/").json()["is_active"] is True
    assert mia.pk in ids(api(carol).get("/api/mentees/?active=true"))


def test_a_coordinator_withdraws_consent_and_the_minor_is_inactive_again(api, carol, mia):
    # given
    api(carol).post(f"/api/mentees/{mia.pk}/consent/", consent_payload(), format="json")

    # when
    response = api(carol).delete(f"/api/mentees/{mia.pk}/consent/")

    # then
    assert response.status_code == 200
    assert response.json()["is_active"] is False
    assert response.json()["has_consent"] is False
    mia.refresh_from_db()
    assert not mia.has_consent
    assert mia.consent_guardian_name == ""
    assert mia.consent_given_on is None
    assert mia.consent_recorded_by is None
    assert api(mia).get("/api/mentees/me/").json()["is_active"] is False
    assert ids(api(carol).get("/api/mentees/?active=false")) == [mia.pk]


@pytest.mark.parametrize("method", ["post", "delete"])
def test_a_coordinator_of_another_organisation_cannot_find_the_mentee_for_consent(api, carol, dave, mia, method):
    # given: consent on record, so a withdrawal would show
    api(carol).post(f"/api/mentees/{mia.pk}/consent/", consent_payload(), format="json")
    before = stored(mia)

    # when
    response = getattr(api(dave), method)(
        f"/api/mentees/{mia.pk}/consent/", consent_payload(guardian_name="Dave"), format="json"
    )

    # then
    assert response.status_code == 404
    assert stored(mia) == before


@pytest.mark.parametrize("method", ["post", "delete"])
@pytest.mark.parametrize("who", ["mia", "bob", "alice"])
def test_mentees_and_volunteers_may_not_record_or_withdraw_consent(api, carol, mia, who, method, request):
    api(carol).post(f"/api/mentees/{mia.pk}/consent/", consent_payload(), format="json")
    before = stored(mia)
    caller = api(request.getfixturevalue(who))

    response = getattr(caller, method)(
        f"/api/mentees/{mia.pk}/consent/", consent_payload(guardian_name="Forged"), format="json"
    )

    assert response.status_code == 403
    assert stored(mia) == before


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"given_on": str(today() + datetime.timedelta(days=1))}, "given_on"),
        ({"given_on": "yesterday"}, "given_on"),
        ({"given_on": None}, "given_on"),
        ({"method": "telepathy"}, "method"),
        ({"method": ""}, "method"),
        ({"guardian_name": None}, "guardian_name"),
        ({"guardian_name": ""}, "guardian_name"),
        ({"guardian_name": "x" * 121}, "guardian_name"),
    ],
    ids=[
        "given-tomorrow",
        "malformed-date",
        "no-date",
        "unknown-method",
        "blank-method",
        "no-guardian",
        "blank-guardian",
        "guardian-name-too-long",
    ],
)
def test_it_refuses_bad_consent_naming_the_field_and_records_nothing(api, carol, mia, changes, field):
    # given
    before = stored(mia)

    # when
    response = api(carol).post(f"/api/mentees/{mia.pk}/consent/", consent_payload(**changes), format="json")

    # then
    assert response.status_code == 400
    assert field in response.json()
    assert stored(mia) == before
    assert api(mia).get("/api/mentees/me/").json()["is_active"] is False


def test_a_missing_guardian_name_is_refused(api, carol, mia):
    payload = consent_payload()
    del payload["guardian_name"]

    response = api(carol).post(f"/api/mentees/{mia.pk}/consent/", payload, format="json")

    assert response.status_code == 400
    assert "guardian_name" in response.json()
    mia.refresh_from_db()
    assert not mia.has_consent
