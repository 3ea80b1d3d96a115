"""A mentee whose mentoring is over becomes a volunteer with the same account (and is credited as a peer
mentor, see tests/badges)."""

import pytest

from accounts.models import Role
from badges.models import Award, Milestone
from scheduling.models import EndKind, Pairing
from scheduling.services.pairings import pairing_approve, pairing_end
from volunteers.models import Volunteer

pytestmark = pytest.mark.django_db


@pytest.fixture
def former_mentee(org_a, carol, alice, bob):
    pairing = Pairing.objects.create(organisation=org_a, mentee=bob, volunteer=alice)
    pairing_approve(pairing_id=pairing.pk, by=carol)
    pairing_end(pairing_id=pairing.pk, by=carol, kind=EndKind.COMPLETED, reason="done")
    return bob


def test_a_former_mentee_becomes_a_volunteer_and_a_peer_mentor(api, former_mentee, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = api(former_mentee).post(
            "/api/me/become-volunteer/", {"bio": "I know the way now.", "skills": ["cv-writing"], "capacity": 1}
        )

    assert response.status_code == 201
    user = former_mentee.user
    user.refresh_from_db()
    assert user.role == Role.VOLUNTEER
    assert Volunteer.objects.get(user=user).skills.get().slug == "cv-writing"
    assert Award.objects.filter(recipient=user, milestone=Milestone.PEER_MENTOR).exists()


def test_a_mentee_still_mentored_is_refused_and_nothing_changes(api, org_a, carol, alice, bob):
    pairing = Pairing.objects.create(organisation=org_a, mentee=bob, volunteer=alice)
    pairing_approve(pairing_id=pairing.pk, by=carol)

    response = api(bob).post("/api/me/become-volunteer/", {})

    assert response.status_code == 400
    assert "non_field_errors" in response.json()
    bob.user.refresh_from_db()
    assert bob.user.role == Role.MENTEE
    assert not Volunteer.objects.filter(user=bob.user).exists()


@pytest.mark.parametrize(("body", "field"), [({"capacity": 11}, "capacity"), ({"skills": ["no-such"]}, "skills")])
def test_bad_input_is_refused_field_by_field(api, former_mentee, body, field):
    response = api(former_mentee).post("/api/me/become-volunteer/", body, format="json")

    assert response.status_code == 400
    assert field in response.json()
    assert not Volunteer.objects.filter(user=former_mentee.user).exists()


def test_volunteers_and_coordinators_may_not(api, alice, carol):
    assert api(alice).post("/api/me/become-volunteer/", {}).status_code == 403
    assert api(carol).post("/api/me/become-volunteer/", {}).status_code == 403
