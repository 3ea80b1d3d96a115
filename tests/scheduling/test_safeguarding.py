"""Minors are only ever paired with vetted volunteers, with a guardian's consent on record."""

import datetime

import pytest
from django.utils import timezone

from mentees.services import consent_record
from scheduling.models import Pairing, PairingStatus
from scheduling.services.errors import SafeguardingRefusal
from scheduling.services.pairings import pairing_approve
from scheduling.tasks import suspend_unvetted_pairings
from tests.conftest import vet

pytestmark = pytest.mark.django_db


@pytest.fixture
def proposal(org_a, alice, mia):
    return Pairing.objects.create(organisation=org_a, mentee=mia, volunteer=alice, score=50)


def consent(mia, carol):
    consent_record(
        mentee=mia, guardian_name="Amal", given_on=timezone.localdate(), method="in_person", recorded_by=carol
    )


def test_a_minors_pairing_cannot_be_approved_without_consent(proposal, carol, alice, api):
    vet(alice, carol)
    response = api(carol).post(f"/api/pairings/{proposal.pk}/approve/")
    assert response.status_code == 400
    assert "consent" in response.json()["non_field_errors"][0]
    proposal.refresh_from_db()
    assert proposal.status == PairingStatus.PROPOSED


def test_a_minors_pairing_cannot_be_approved_with_an_unvetted_volunteer(proposal, carol, mia):
    consent(mia, carol)
    with pytest.raises(SafeguardingRefusal):
        pairing_approve(pairing_id=proposal.pk, by=carol)


def test_a_minors_pairing_cannot_be_approved_with_expired_vetting(proposal, carol, alice, mia):
    consent(mia, carol)
    vet(alice, carol, expires_in_days=-1)
    with pytest.raises(SafeguardingRefusal):
        pairing_approve(pairing_id=proposal.pk, by=carol)


def test_with_consent_and_current_vetting_it_is_approved(proposal, carol, alice, mia):
    consent(mia, carol)
    vet(alice, carol)
    assert pairing_approve(pairing_id=proposal.pk, by=carol).status == PairingStatus.APPROVED


def test_when_vetting_expires_pairings_with_minors_are_suspended_and_resume_on_renewal(
    proposal, carol, alice, bob, mia, org_a
):
    # given approved pairings of alice with a minor and with an adult
    consent(mia, carol)
    vet(alice, carol)
    pairing_approve(pairing_id=proposal.pk, by=carol)
    adult = Pairing.objects.create(organisation=org_a, mentee=bob, volunteer=alice)
    pairing_approve(pairing_id=adult.pk, by=carol)
    # when her check lapses and the periodic sweep runs
    alice.vetting_expires_on = timezone.localdate() - datetime.timedelta(days=1)
    alice.save()
    assert suspend_unvetted_pairings.delay().get() == 1
    # then only the minor's pairing is suspended
    proposal.refresh_from_db()
    adult.refresh_from_db()
    assert proposal.status == PairingStatus.SUSPENDED
    assert adult.status == PairingStatus.APPROVED
    # and a renewed check resumes it
    vet(alice, carol)
    proposal.refresh_from_db()
    assert proposal.status == PairingStatus.APPROVED


def test_a_rejected_check_suspends_at_once(proposal, carol, alice, mia, api):
    consent(mia, carol)
    vet(alice, carol)
    pairing_approve(pairing_id=proposal.pk, by=carol)
    response = api(carol).post(f"/api/volunteers/{alice.pk}/vetting/", {"status": "rejected"}, format="json")
    assert response.status_code == 200
    proposal.refresh_from_db()
    assert proposal.status == PairingStatus.SUSPENDED


def test_a_volunteer_can_pause_new_matches_without_losing_current_mentees(org_a, carol, alice, bob, eve, api):
    current = Pairing.objects.create(organisation=org_a, mentee=bob, volunteer=alice)
    pairing_approve(pairing_id=current.pk, by=carol)
    assert api(alice).patch("/api/volunteers/me/", {"capacity": 0}, format="json").status_code == 200
    newer = Pairing.objects.create(organisation=org_a, mentee=eve, volunteer=alice)
    response = api(carol).post(f"/api/pairings/{newer.pk}/approve/")
    assert response.status_code == 400
    current.refresh_from_db()
    assert current.status == PairingStatus.APPROVED
