"""What a mentee's sign-up and a help request store when nothing more is said: the time zone given at
sign-up (not the default), and "normal" urgency."""

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.models import Skill, User
from mentees.models import HelpRequest
from mentees.services import help_request_create, mentee_signup
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
