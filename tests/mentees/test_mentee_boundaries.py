"""What a mentee's sign-up and a help request store when nothing more is said: the time zone given at
sign-up (not the default), and "normal" urgency."""

import datetime

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.models import Skill, User
from common.events import Event
from mentees.models import HelpRequest, HelpRequestStatus
from mentees.services import (
    consent_record,
    consent_withdraw,
    help_request_close,
    help_request_create,
    help_request_update,
    mentee_erase,
    mentee_signup,
    mentee_update,
)
from safeguarding.models import Action, Entry
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def test_the_service_stores_the_time_zone_given_at_sign_up(org_a):
    mentee = mentee_signup(
        email="amal@example.org",
        password=PASSWORD,
        display_name="Amal",
        organisation=org_a,
        birth_year=2000,
        timezone="Asia/Kabul",
    )
    assert User.objects.get(pk=mentee.user_id).timezone == "Asia/Kabul"


def test_the_api_stores_the_time_zone_given_at_sign_up(org_a):
    response = APIClient().post(
        "/api/signup/mentee/",
        {
            "email": "amal@example.org",
            "password": PASSWORD,
            "display_name": "Amal",
            "organisation": org_a.pk,
            "birth_year": timezone.localdate().year - 20,
            "timezone": "Asia/Kabul",
            "languages": [{"language": "ar", "level": "native"}],
        },
        format="json",
    )
    assert response.status_code in (201, 202), response.json()
    assert User.objects.get(email="amal@example.org").timezone == "Asia/Kabul"


def test_a_help_request_is_of_normal_urgency_unless_said(bob):
    help_request = help_request_create(mentee=bob, needs=Skill.objects.filter(slug="cv-writing"))
    assert HelpRequest.objects.get(pk=help_request.pk).urgency == "normal"


def test_a_help_request_filed_through_the_api_is_of_normal_urgency(api, bob):
    response = api(bob).post("/api/help-requests/", {"needs": ["cv-writing"]}, format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["urgency"] == "normal"
    assert HelpRequest.objects.get(pk=response.json()["id"]).urgency == "normal"


def consent(mentee, by, method="in_person"):
    return consent_record(
        mentee=mentee, guardian_name="Amal", given_on=datetime.date(2026, 1, 5), method=method, recorded_by=by
    )


def test_consent_is_recorded_with_who_when_and_how_logged_and_told(mia, carol, heard):
    consent(mia, carol, method="signed_form")
    mia.refresh_from_db()
    assert (mia.consent_guardian_name, mia.consent_given_on, mia.consent_method, mia.consent_recorded_by) == (
        "Amal",
        datetime.date(2026, 1, 5),
        "signed_form",
        carol,
    )
    assert mia.consent_recorded_at is not None
    (entry,) = Entry.objects.filter(action=Action.CONSENT_RECORDED)
    assert (entry.actor, entry.subject, entry.object_id, entry.organisation_id) == (
        carol,
        mia.user,
        mia.pk,
        mia.organisation_id,
    )
    assert entry.detail == {"given_on": "2026-01-05", "method": "signed_form"}
    told = [payload for event, payload in heard if event == Event.CONSENT_CHANGED]
    assert [(p["mentee"].pk, p["by"]) for p in told] == [(mia.pk, carol)]


def test_withdrawn_consent_clears_every_field_and_is_logged_with_the_reason(mia, carol, heard):
    consent(mia, carol)
    heard.clear()
    consent_withdraw(mentee=mia, by=carol, reason="guardian called")
    mia.refresh_from_db()
    assert (mia.consent_guardian_name, mia.consent_given_on, mia.consent_method) == ("", None, "")
    assert (mia.consent_recorded_at, mia.consent_recorded_by) == (None, None)
    (entry,) = Entry.objects.filter(action=Action.CONSENT_WITHDRAWN)
    assert (entry.actor, entry.subject, entry.reason, entry.organisation_id) == (
        carol,
        mia.user,
        "guardian called",
        mia.organisation_id,
    )
    assert [(p["mentee"].pk, p["by"]) for event, p in heard if event == Event.CONSENT_CHANGED] == [(mia.pk, carol)]


def test_a_mentee_update_changes_the_profile_and_the_account(bob):
    mentee_update(mentee=bob, user={"display_name": "Roberto"}, birth_year=1990)
    bob.refresh_from_db()
    assert (bob.birth_year, User.objects.get(pk=bob.user_id).display_name) == (1990, "Roberto")


def test_a_request_takes_the_languages_given_or_else_the_mentees_own(bob):
    own = set(bob.user.languages.values_list("language_id", flat=True))
    assert own
    default = help_request_create(mentee=bob, needs=Skill.objects.filter(slug="python"), description="help")
    chosen = help_request_create(mentee=bob, needs=[], languages=["fr"])
    assert set(default.languages.values_list("code", flat=True)) == own
    assert list(chosen.languages.values_list("code", flat=True)) == ["fr"]
    default.refresh_from_db()
    assert (default.organisation_id, default.description) == (bob.organisation_id, "help")
    assert list(default.needs.values_list("slug", flat=True)) == ["python"]


def test_a_request_update_changes_only_what_is_given(bob):
    request = help_request_create(mentee=bob, needs=Skill.objects.filter(slug="python"), languages=["fr"])
    help_request_update(help_request=request, description="more")
    assert list(request.needs.values_list("slug", flat=True)) == ["python"]
    assert list(request.languages.values_list("code", flat=True)) == ["fr"]
    help_request_update(help_request=request, needs=Skill.objects.filter(slug="cv-writing"), languages=["en"])
    request.refresh_from_db()
    assert request.description == "more"
    assert list(request.needs.values_list("slug", flat=True)) == ["cv-writing"]
    assert list(request.languages.values_list("code", flat=True)) == ["en"]


def test_closing_a_request_twice_keeps_the_first_closing_time(bob):
    request = help_request_create(mentee=bob, needs=[])
    closed = help_request_close(help_request=request)
    assert closed.status == HelpRequestStatus.CLOSED
    first = closed.closed_at
    assert first is not None
    assert help_request_close(help_request=request).closed_at == first


def test_erasure_removes_what_the_mentee_wrote_and_the_guardians_name_and_closes_open_requests(mia, bob, carol):
    consent(mia, carol)
    open_request = help_request_create(mentee=mia, needs=[], description="my story")
    closed_request = help_request_create(mentee=mia, needs=[], description="old story")
    closed_at = help_request_close(help_request=closed_request).closed_at
    others = help_request_create(mentee=bob, needs=[], description="bob's story")
    mentee_erase(mia.user)
    mia.refresh_from_db()
    open_request.refresh_from_db()
    closed_request.refresh_from_db()
    others.refresh_from_db()
    assert mia.consent_guardian_name == "erased"
    assert (open_request.description, open_request.status) == ("", HelpRequestStatus.CLOSED)
    assert open_request.closed_at is not None
    assert (closed_request.description, closed_request.closed_at) == ("", closed_at)
    assert (others.description, others.status) == ("bob's story", HelpRequestStatus.OPEN)


def test_erasure_of_a_mentee_without_consent_leaves_the_guardian_field_empty(bob, alice):
    mentee_erase(bob.user)
    bob.refresh_from_db()
    assert bob.consent_guardian_name == ""
    mentee_erase(alice.user)  # not a mentee: nothing to do


def test_defaults_a_sign_up_and_a_request_store_when_nothing_is_said(org_a):
    mentee = mentee_signup(
        email="d@example.org", password=PASSWORD, display_name="D", organisation=org_a, birth_year=1990
    )
    assert User.objects.get(pk=mentee.user_id).timezone == "UTC"
    assert help_request_create(mentee=mentee, needs=[]).description == ""


def test_a_withdrawal_without_a_reason_logs_an_empty_one_on_the_mentee(mia, carol):
    consent(mia, carol)
    consent_withdraw(mentee=mia, by=carol)
    (entry,) = Entry.objects.filter(action=Action.CONSENT_WITHDRAWN)
    assert (entry.reason, entry.object_id) == ("", mia.pk)


def test_closing_and_erasing_stamp_what_they_change(mia, carol):
    consent(mia, carol)
    request = help_request_create(mentee=mia, needs=[], description="story")
    before = HelpRequest.objects.get(pk=request.pk).updated_at
    help_request_close(help_request=request)
    closed = HelpRequest.objects.get(pk=request.pk).updated_at
    assert closed > before
    mentee_before = type(mia).objects.get(pk=mia.pk).updated_at
    mentee_erase(mia.user)
    assert HelpRequest.objects.get(pk=request.pk).updated_at > closed
    assert type(mia).objects.get(pk=mia.pk).updated_at > mentee_before
