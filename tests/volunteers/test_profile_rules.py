"""Volunteer sign-up, profiles and vetting: who may, who may not (404 when they may not even see), bad input."""

import datetime

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.models import Role, Skill, User
from common.events import Event
from safeguarding.models import Action, Entry
from tests.conftest import vet
from volunteers.models import VettingStatus, Volunteer
from volunteers.services import vetting_record, volunteer_erase, volunteer_signup, volunteer_update

pytestmark = pytest.mark.django_db

SIGNUP = {
    "email": "new.volunteer@example.org",
    "password": "a-long-unusual-passphrase",
    "display_name": "Noor",
    "timezone": "Europe/Rome",
    "languages": [{"language": "ar", "level": "native"}],
    "skills": ["python"],
    "capacity": 2,
}


def signup(org, **changes):
    return APIClient().post("/api/signup/volunteer/", {**SIGNUP, "organisation": org.pk, **changes}, format="json")


def test_a_volunteer_signs_up_and_cannot_vet_themself(org_a):
    response = signup(org_a, vetting_status="verified", role="coordinator")
    assert response.status_code == 202
    volunteer = Volunteer.objects.get(user__email="new.volunteer@example.org")
    assert volunteer.vetting_status == "pending"
    assert volunteer.user.role == Role.VOLUNTEER
    assert volunteer.user.check_password("a-long-unusual-passphrase")


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"email": "not-an-email"}, "email"),
        ({"password": "short"}, "password"),
        ({"password": "password1234"}, "password"),
        ({"password": "12345678901234"}, "password"),
        ({"timezone": "Mars/Olympus"}, "timezone"),
        ({"skills": ["juggling"]}, "skills"),
        ({"languages": [{"language": "xx", "level": "native"}]}, "languages"),
        ({"languages": [{"language": "ar"}, {"language": "ar"}]}, "languages"),
        ({"languages": [{"language": "ar", "level": "expert"}]}, "languages"),
        ({"capacity": 11}, "capacity"),
        ({"capacity": -1}, "capacity"),
        ({"organisation": 999999}, "organisation"),
        ({"display_name": ""}, "display_name"),
    ],
)
def test_bad_sign_ups_are_refused_per_field_and_create_nobody(org_a, alice, changes, field):
    before = User.objects.count()
    response = signup(org_a, **changes)
    assert response.status_code == 400
    assert field in response.json()
    assert User.objects.count() == before


def test_sign_ups_are_throttled_per_address(org_a, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "signup": "2/hour"},
    }
    assert signup(org_a, email="one@example.org").status_code == 202
    assert signup(org_a, email="two@example.org").status_code == 202
    assert signup(org_a, email="three@example.org").status_code == 429
    assert not User.objects.filter(email="three@example.org").exists()


def test_a_coordinator_lists_only_their_organisations_volunteers_with_filters(api, carol, dave, alice, victor, org_b):
    from tests.conftest import make_volunteer, vet

    make_volunteer(org_b, "elsewhere@example.org", "Elsewhere")
    vet(alice, carol)
    listed = api(carol).get("/api/volunteers/").json()
    assert {item["id"] for item in listed["results"]} == {alice.pk, victor.pk}
    assert [i["id"] for i in api(carol).get("/api/volunteers/?skill=housing").json()["results"]] == [victor.pk]
    assert [i["id"] for i in api(carol).get("/api/volunteers/?vetted=true").json()["results"]] == [alice.pk]
    assert [
        i["id"] for i in api(carol).get("/api/volunteers/?language=ar&has_capacity=true&page_size=1").json()["results"]
    ] == [alice.pk]
    assert [i["id"] for i in api(dave).get("/api/volunteers/").json()["results"]] != [alice.pk]


def test_the_volunteer_list_costs_the_same_queries_for_more_volunteers(api, carol, org_a, django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.conftest import make_volunteer

    make_volunteer(org_a, "v1@example.org", "V1")
    with CaptureQueriesContext(connection) as few:
        api(carol).get("/api/volunteers/")
    for index in range(2, 8):
        make_volunteer(org_a, f"v{index}@example.org", f"V{index}")
    with django_assert_num_queries(len(few)):
        api(carol).get("/api/volunteers/")


def test_a_volunteer_sees_and_edits_only_themself(api, alice, victor, carol, dave, bob):
    assert [i["id"] for i in api(alice).get("/api/volunteers/").json()["results"]] == [alice.pk]
    response = api(alice).patch(
        f"/api/volunteers/{alice.pk}/",
        {"bio": "Updated", "skills": ["housing"], "vetting_status": "verified", "vetting_expires_on": "2099-01-01"},
        format="json",
    )
    assert response.status_code == 200
    alice.refresh_from_db()
    assert alice.bio == "Updated"
    assert alice.vetting_status == "pending"
    assert alice.vetting_expires_on is None
    assert api(victor).get(f"/api/volunteers/{alice.pk}/").status_code == 404
    assert api(victor).patch(f"/api/volunteers/{alice.pk}/", {"bio": "x"}, format="json").status_code == 404
    assert api(dave).get(f"/api/volunteers/{alice.pk}/").status_code == 404
    assert api(bob).get(f"/api/volunteers/{alice.pk}/").status_code == 404
    assert api(carol).get(f"/api/volunteers/{alice.pk}/").status_code == 200
    assert api(carol).patch(f"/api/volunteers/{alice.pk}/", {"bio": "x"}, format="json").status_code == 403


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"capacity": 50}, "capacity"),
        ({"timezone": "Nowhere/Land"}, "timezone"),
        ({"skills": ["nonsense"]}, "skills"),
        ({"languages": [{"language": "en"}, {"language": "en"}]}, "languages"),
        ({"display_name": "x" * 81}, "display_name"),
    ],
)
def test_bad_profile_edits_change_nothing(api, alice, payload, field):
    response = api(alice).patch("/api/volunteers/me/", payload, format="json")
    assert response.status_code == 400
    assert field in response.json()
    alice.refresh_from_db()
    assert alice.capacity == 2
    assert alice.user.timezone == "Europe/Madrid"
    assert {item.language_id for item in alice.user.languages.all()} == {"ar", "en"}


def test_vetting_is_recorded_by_a_coordinator_of_the_same_organisation_only(api, alice, carol, dave):
    today = timezone.localdate()
    payload = {"status": "verified", "checked_on": str(today), "expires_on": str(today + datetime.timedelta(365))}
    assert api(dave).post(f"/api/volunteers/{alice.pk}/vetting/", payload, format="json").status_code == 404
    assert api(alice).post(f"/api/volunteers/{alice.pk}/vetting/", payload, format="json").status_code == 403
    response = api(carol).post(f"/api/volunteers/{alice.pk}/vetting/", payload, format="json")
    assert response.status_code == 200
    assert response.json()["vetted"] is True
    alice.refresh_from_db()
    assert alice.vetting_recorded_by == carol


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"status": "verified", "checked_on": "2026-01-01"}, "expires_on"),
        ({"status": "verified", "expires_on": "2027-01-01"}, "checked_on"),
        ({"status": "verified", "checked_on": "2026-06-01", "expires_on": "2026-05-01"}, "expires_on"),
        ({"status": "verified", "checked_on": "2099-01-01", "expires_on": "2100-01-01"}, "checked_on"),
        ({"status": "excellent"}, "status"),
    ],
)
def test_bad_vetting_input_is_refused_and_changes_nothing(api, alice, carol, payload, field):
    response = api(carol).post(f"/api/volunteers/{alice.pk}/vetting/", payload, format="json")
    assert response.status_code == 400
    assert field in response.json()
    alice.refresh_from_db()
    assert alice.vetting_status == "pending"


def test_an_expired_check_is_not_vetted(api, alice, carol):
    from tests.conftest import vet

    vet(alice, carol, expires_in_days=-1)
    assert api(carol).get(f"/api/volunteers/{alice.pk}/").json()["vetted"] is False
    assert api(carol).get("/api/volunteers/?vetted=true").json()["results"] == []


def test_only_volunteers_have_a_me_profile(api, alice, carol, bob):
    assert api(alice).get("/api/volunteers/me/").json()["id"] == alice.pk
    assert api(carol).get("/api/volunteers/me/").status_code == 403
    assert api(bob).get("/api/volunteers/me/").status_code == 403


def test_the_sign_up_service_stores_the_profile_with_one_place_unless_said(org_a):
    volunteer = volunteer_signup(
        email="Sami@Example.org",
        password=SIGNUP["password"],
        display_name="Sami",
        organisation=org_a,
        timezone="Europe/Rome",
        bio="Engineer",
        skills=Skill.objects.filter(slug="python"),
    )
    volunteer = Volunteer.objects.select_related("user").get(pk=volunteer.pk)
    assert (volunteer.capacity, volunteer.bio, volunteer.organisation_id) == (1, "Engineer", org_a.pk)
    assert (volunteer.user.role, volunteer.user.timezone, volunteer.user.email) == (
        Role.VOLUNTEER,
        "Europe/Rome",
        "sami@example.org",
    )
    assert list(volunteer.skills.values_list("slug", flat=True)) == ["python"]


def test_an_update_changes_skills_only_when_given(alice):
    skills = set(alice.skills.values_list("slug", flat=True))
    volunteer_update(volunteer=alice, user={"display_name": "Alicia"}, bio="New bio")
    alice.refresh_from_db()
    assert (alice.bio, User.objects.get(pk=alice.user_id).display_name) == ("New bio", "Alicia")
    assert set(alice.skills.values_list("slug", flat=True)) == skills
    volunteer_update(volunteer=alice, skills=Skill.objects.filter(slug="cv-writing"))
    assert list(alice.skills.values_list("slug", flat=True)) == ["cv-writing"]


@pytest.mark.parametrize(
    ("status", "action", "expires_kept"),
    [
        (VettingStatus.VERIFIED, Action.VETTING_RECORDED, True),
        (VettingStatus.REJECTED, Action.VETTING_REJECTED, False),
        (VettingStatus.PENDING, Action.VETTING_RECORDED, False),
    ],
)
def test_a_vetting_record_keeps_an_expiry_only_for_a_verified_check_and_is_logged(
    alice, carol, heard, status, action, expires_kept
):
    checked, expires = datetime.date(2026, 1, 5), datetime.date(2027, 1, 5)
    vetting_record(volunteer=alice, status=status, checked_on=checked, expires_on=expires, recorded_by=carol)
    alice.refresh_from_db()
    kept = expires if expires_kept else None
    assert (alice.vetting_status, alice.vetting_checked_on, alice.vetting_expires_on) == (status, checked, kept)
    assert alice.vetting_recorded_by == carol
    (entry,) = Entry.objects.filter(action=action)
    assert (entry.actor, entry.subject, entry.object_id, entry.organisation_id) == (
        carol,
        alice.user,
        alice.pk,
        alice.organisation_id,
    )
    assert entry.detail == {
        "status": status,
        "checked_on": "2026-01-05",
        "expires_on": "2027-01-05" if expires_kept else None,
    }
    assert [p["volunteer"].pk for event, p in heard if event == Event.VETTING_CHANGED] == [alice.pk]


def test_a_vetting_record_without_a_check_date_logs_none(alice, carol):
    vetting_record(volunteer=alice, status=VettingStatus.PENDING, checked_on=None, expires_on=None, recorded_by=carol)
    assert Entry.objects.get(action=Action.VETTING_RECORDED).detail["checked_on"] is None


def test_erasure_empties_the_profile_and_keeps_the_vetting(alice, carol, bob):
    vet(alice, carol)
    volunteer_erase(alice.user)
    alice.refresh_from_db()
    assert (alice.bio, alice.capacity, list(alice.skills.all())) == ("", 0, [])
    assert alice.vetting_status == VettingStatus.VERIFIED
    volunteer_erase(bob.user)  # not a volunteer: nothing to do


def test_a_volunteer_signed_up_without_a_time_zone_is_in_utc(org_a):
    volunteer = volunteer_signup(
        email="t@example.org", password=SIGNUP["password"], display_name="T", organisation=org_a
    )
    assert User.objects.get(pk=volunteer.user_id).timezone == "UTC"
