"""Export of everything held about a person, and erasure that leaves nothing identifying."""

import io

import pytest
from django.core.management import call_command
from django.test import Client

from accounts.models import User
from mentees.models import HelpRequest
from mentees.services import consent_record, help_request_create
from tests.conftest import PASSWORD, make_mentee
from volunteers.models import Volunteer

pytestmark = pytest.mark.django_db


def test_a_volunteer_exports_their_account_and_profile(alice, api):
    response = api(alice).get("/api/me/export/")
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    data = response.json()
    assert data["account"]["email"] == "alice@example.org"
    assert {item["language"] for item in data["account"]["languages"]} == {"ar", "en"}
    assert sorted(data["volunteer"]["skills"]) == ["cv-writing", "python"]
    assert data["volunteer"]["vetting"]["status"] == "pending"
    assert data["mentee"] is None


def test_a_mentee_exports_their_help_requests_and_consent(mia, carol, api):
    from accounts.models import Skill

    help_request_create(mentee=mia, needs=Skill.objects.filter(slug="housing"), description="A room near school")
    consent_record(
        mentee=mia, guardian_name="Amal", given_on=mia.created_at.date(), method="signed_form", recorded_by=carol
    )
    data = api(mia).get("/api/me/export/").json()
    assert data["mentee"]["help_requests"][0]["description"] == "A room near school"
    assert data["mentee"]["guardian_consent"]["guardian_name"] == "Amal"
    assert data["volunteer"] is None


def test_export_needs_an_account(db):
    assert Client().get("/api/me/export/").status_code == 401


def test_erasure_refuses_a_wrong_password_and_keeps_everything(bob, api):
    response = api(bob).post("/api/me/erase/", {"password": "not-my-password"}, format="json")
    assert response.status_code == 400
    assert "password" in response.json()
    assert User.objects.filter(email="bob@example.org").exists()


def test_erasure_leaves_nothing_that_identifies_the_person(org_a, carol, alice):
    # given a mentee with distinctive data, a help request and a live session
    from accounts.models import Skill

    mentee = make_mentee(org_a, "zarathustra.q@example.org", "Zarathustra Quill", birth_year=2001)
    help_request_create(
        mentee=mentee, needs=Skill.objects.filter(slug="cv-writing"), description="Quillwright apprenticeship CV"
    )
    client = Client()
    client.post(
        "/api/auth/login/",
        {"email": "zarathustra.q@example.org", "password": PASSWORD},
        content_type="application/json",
    )
    # when they erase their account
    response = client.post("/api/me/erase/", {"password": PASSWORD}, content_type="application/json")
    # then no row anywhere holds their e-mail, name or words, and the session is gone
    assert response.status_code == 204
    dump = io.StringIO()
    call_command("dumpdata", stdout=dump)
    text = dump.getvalue()
    for trace in ("zarathustra", "Zarathustra", "Quill", "Quillwright"):
        assert trace not in text
    # the account stays only as a pseudonym others' records can point to, unable to log in
    erased = User.objects.get(pk=mentee.user_id)
    assert erased.erased_at is not None
    assert not erased.is_active
    assert not erased.has_usable_password()
    assert erased.display_name == "Former member"
    assert erased.email.endswith("@erased.invalid")
    assert not erased.languages.exists()
    assert list(HelpRequest.objects.filter(mentee_id=mentee.pk).values_list("description", "status")) == [
        ("", "closed")
    ]
    assert client.get("/api/auth/me/").status_code == 401
    # and others are untouched
    assert Volunteer.objects.filter(pk=alice.pk).exists()
    assert User.objects.filter(pk=carol.pk).exists()


def test_a_coordinator_who_leaves_does_not_take_the_records_they_made(carol, alice, api):
    from volunteers.services import vetting_record

    vetting_record(
        volunteer=alice,
        status="verified",
        checked_on=alice.created_at.date(),
        expires_on=alice.created_at.date().replace(year=alice.created_at.year + 1),
        recorded_by=carol,
    )
    assert api(carol).post("/api/me/erase/", {"password": PASSWORD}, format="json").status_code == 204
    alice.refresh_from_db()
    assert alice.vetting_status == "verified"
    # who recorded the check stays known, as a pseudonym
    assert alice.vetting_recorded_by_id == carol.pk
    assert alice.vetting_recorded_by.display_name == "Former member"
