"""Mentee sign-up, profiles and guardian consent: who may, who may not, bad input."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.models import User
from mentees.models import Mentee
from tests.conftest import make_mentee

pytestmark = pytest.mark.django_db
YEAR = timezone.localdate().year


def signup(org, **changes):
    payload = {
        "email": "new.mentee@example.org",
        "password": "a-long-unusual-passphrase",
        "display_name": "Amal",
        "organisation": org.pk,
        "birth_year": YEAR - 20,
        "timezone": "Europe/Madrid",
        "languages": [{"language": "ti", "level": "native"}],
        **changes,
    }
    return APIClient().post("/api/signup/mentee/", payload, format="json")


def test_an_adult_signs_up_active_and_a_minor_inactive_until_consent(org_a):
    adult = signup(org_a)
    assert adult.status_code == 202
    assert Mentee.objects.get(user__email="new.mentee@example.org").is_active
    minor = signup(
        org_a,
        email="minor@example.org",
        birth_year=YEAR - 16,
        consent_guardian_name="Me",
        consent_recorded_at="2026-01-01T00:00:00Z",
    )
    assert minor.status_code == 202
    assert Mentee.objects.get(user__email="minor@example.org").is_minor
    assert not Mentee.objects.get(user__email="minor@example.org").is_active
    assert not Mentee.objects.get(user__email="minor@example.org").has_consent


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"birth_year": YEAR + 1}, "birth_year"),
        ({"birth_year": YEAR - 5}, "birth_year"),
        ({"birth_year": YEAR - 120}, "birth_year"),
        ({"birth_year": "twenty"}, "birth_year"),
        ({"organisation": None}, "organisation"),
        ({"password": "qwertyuiop"}, "password"),
        ({"timezone": ""}, "timezone"),
    ],
)
def test_bad_mentee_sign_ups_are_refused_per_field(org_a, bob, changes, field):
    before = User.objects.count()
    response = signup(org_a, **changes)
    assert response.status_code == 400
    assert field in response.json()
    assert User.objects.count() == before


def test_mentees_see_only_themselves_and_never_the_consent_details(api, bob, eve, mia, carol, dave, alice):
    assert [i["id"] for i in api(bob).get("/api/mentees/").json()["results"]] == [bob.pk]
    assert "consent_guardian_name" not in api(bob).get("/api/mentees/me/").json()
    assert api(eve).get(f"/api/mentees/{bob.pk}/").status_code == 404
    assert api(alice).get(f"/api/mentees/{bob.pk}/").status_code == 404
    assert api(dave).get(f"/api/mentees/{bob.pk}/").status_code == 404
    coordinator_view = api(carol).get(f"/api/mentees/{mia.pk}/").json()
    assert "consent_guardian_name" in coordinator_view
    assert api(carol).patch(f"/api/mentees/{bob.pk}/", {"display_name": "X"}, format="json").status_code == 403


def test_coordinators_filter_mentees_by_language_age_group_and_activity(api, carol, bob, mia, eve):
    ids = lambda query: {i["id"] for i in api(carol).get(f"/api/mentees/{query}").json()["results"]}  # noqa: E731
    assert ids("") == {bob.pk, mia.pk, eve.pk}
    assert ids("?age_group=minor") == {mia.pk}
    assert ids("?active=false") == {mia.pk}
    assert ids("?language=ar&age_group=adult") == {bob.pk, eve.pk}
    assert ids("?language=uk") == set()


def test_the_mentee_list_costs_the_same_queries_for_more_mentees(api, carol, org_a, django_assert_num_queries):
    make_mentee(org_a, "m1@example.org", "M1")
    with CaptureQueriesContext(connection) as few:
        api(carol).get("/api/mentees/")
    for index in range(2, 8):
        make_mentee(org_a, f"m{index}@example.org", f"M{index}")
    with django_assert_num_queries(len(few)):
        api(carol).get("/api/mentees/")


def test_a_mentee_edits_their_profile_but_not_their_consent(api, mia):
    response = api(mia).patch(
        "/api/mentees/me/",
        {"display_name": "Mia K", "has_consent": True, "consent_recorded_at": "2026-01-01T00:00:00Z"},
        format="json",
    )
    assert response.status_code == 200
    mia.refresh_from_db()
    assert mia.user.display_name == "Mia K"
    assert not mia.has_consent
    bad = api(mia).patch("/api/mentees/me/", {"birth_year": YEAR + 3}, format="json")
    assert bad.status_code == 400
    assert "birth_year" in bad.json()


def test_consent_is_recorded_and_withdrawn_by_a_coordinator_of_the_organisation(api, mia, carol, dave):
    payload = {"guardian_name": "Amal K", "given_on": str(timezone.localdate()), "method": "signed_form"}
    assert api(dave).post(f"/api/mentees/{mia.pk}/consent/", payload, format="json").status_code == 404
    assert api(mia).post(f"/api/mentees/{mia.pk}/consent/", payload, format="json").status_code == 403
    recorded = api(carol).post(f"/api/mentees/{mia.pk}/consent/", payload, format="json")
    assert recorded.status_code == 200
    assert recorded.json()["is_active"] is True
    mia.refresh_from_db()
    assert mia.consent_recorded_by == carol
    withdrawn = api(carol).delete(f"/api/mentees/{mia.pk}/consent/")
    assert withdrawn.json()["is_active"] is False


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        (
            {
                "guardian_name": "A",
                "given_on": str(timezone.localdate() + datetime.timedelta(days=3)),
                "method": "email",
            },
            "given_on",
        ),
        ({"guardian_name": "A", "given_on": "2026-01-01", "method": "telepathy"}, "method"),
        ({"given_on": "2026-01-01", "method": "email"}, "guardian_name"),
        ({"guardian_name": "A", "given_on": "yesterday", "method": "email"}, "given_on"),
    ],
)
def test_bad_consent_input_is_refused_and_records_nothing(api, mia, carol, payload, field):
    response = api(carol).post(f"/api/mentees/{mia.pk}/consent/", payload, format="json")
    assert response.status_code == 400
    assert field in response.json()
    mia.refresh_from_db()
    assert not mia.has_consent
