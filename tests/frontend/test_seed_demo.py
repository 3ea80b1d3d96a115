import io

import pytest
from django.core.management import call_command
from django.test import Client

from accounts.models import Organisation, Role, User
from chat.models import Conversation
from mentees.models import HelpRequest, Mentee
from volunteers.models import Volunteer

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded():
    call_command("seed_demo", stdout=io.StringIO())


def counts():
    return (Organisation.objects.count(), User.objects.count(), Volunteer.objects.count(), Mentee.objects.count(),
            HelpRequest.objects.count())


def test_it_loads_four_organisations_with_people_and_requests(seeded):
    assert sorted(Organisation.objects.values_list("country", flat=True)) == ["CY", "ES", "GR", "IT"]
    assert User.objects.filter(role=Role.COORDINATOR).count() == 8
    assert Volunteer.objects.count() >= 55
    assert Mentee.objects.count() >= 110
    assert HelpRequest.objects.filter(needs__isnull=False).distinct().count() >= 110
    spoken = set(User.objects.values_list("languages__language_id", flat=True))
    assert {"ar", "uk", "ti", "fr", "es", "en"} <= spoken
    assert spoken & {"fa", "prs"}
    assert Volunteer.objects.vetted().count() >= 30
    assert Mentee.objects.minors().exists()


def test_running_it_again_changes_nothing(seeded):
    before = counts()
    call_command("seed_demo", stdout=io.StringIO())
    assert counts() == before


def test_the_named_demo_logins_work_through_the_api(seeded):
    for email in ["coordinator.madrid@demo.example", "volunteer@demo.example", "mentee@demo.example",
                  "minor@demo.example", "admin@demo.example"]:
        response = Client().post("/api/auth/login/", {"email": email, "password": "demo-mentoring-2026"},
                                 content_type="application/json")
        assert response.status_code == 200, email


def test_the_demo_minor_waits_for_consent_and_the_demo_pair_can_chat(seeded):
    assert not Mentee.objects.get(user__email="minor@demo.example").is_active
    assert Mentee.objects.minors().active().exists()  # some minors have consent on record
    assert Conversation.objects.filter(pairing__volunteer__user__email="volunteer@demo.example",
                                       pairing__mentee__user__email="mentee@demo.example").exists()


def test_a_coordinator_can_run_the_matcher_on_the_demo_data(seeded, django_capture_on_commit_callbacks):
    client = Client()
    client.post("/api/auth/login/", {"email": "coordinator.madrid@demo.example", "password": "demo-mentoring-2026"},
                content_type="application/json")
    with django_capture_on_commit_callbacks(execute=True):
        run = client.post("/api/match-runs/", {}, content_type="application/json").json()
    result = client.get(f"/api/match-runs/{run['id']}/").json()
    assert result["status"] == "succeeded"
    assert result["matched"] > 5
