"""What erasing an account does to scheduling, at its edges: only the erased person's pairings end (as
volunteer or as mentee), only their proposals, windows and future places go, and their export holds their
own windows. Written after a mutation run showed these rules could change without any test noticing."""

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.personal_data import erase_user
from scheduling.models import AvailabilityWindow, EndKind, Pairing, PairingStatus, Slot, SlotBooking, SlotSignup
from scheduling.services.availability import availability_replace
from scheduling.services.pairings import pairing_approve

pytestmark = pytest.mark.django_db


def propose(volunteer, mentee) -> Pairing:
    return Pairing.objects.create(organisation=mentee.organisation, volunteer=volunteer, mentee=mentee)


def approve(volunteer, mentee, by) -> Pairing:
    return pairing_approve(pairing_id=propose(volunteer, mentee).pk, by=by)


def statuses() -> dict[tuple[str, str], str]:
    return {
        (p.volunteer.user.email, p.mentee.user.email): p.status
        for p in Pairing.objects.select_related("volunteer__user", "mentee__user")
    }


def a_slot(org, by, days: int) -> Slot:
    start = timezone.now() + timedelta(days=days)
    return Slot.objects.create(
        organisation=org, created_by=by, start=start, end=start + timedelta(hours=1), topic="CV clinic"
    )


def test_erasing_a_volunteer_ends_their_current_pairing_and_drops_only_their_proposals(
    org_a, carol, alice, victor, bob, eve
):
    current = approve(alice, bob, carol)
    propose(alice, eve)
    propose(victor, eve)
    erase_user(alice.user)
    current.refresh_from_db()
    assert (current.status, current.end_kind, current.ended_by, current.end_reason) == (
        PairingStatus.ENDED,
        EndKind.CANCELLED,
        alice.user,
        "One of the two erased their account.",
    )
    assert statuses() == {
        (alice.user.email, "bob@example.org"): PairingStatus.ENDED,
        ("victor@example.org", "eve@example.org"): PairingStatus.PROPOSED,
    }


def test_erasing_a_mentee_ends_their_current_pairing_and_leaves_others_pairings_alone(
    org_a, carol, alice, victor, bob, eve
):
    approve(alice, bob, carol)
    propose(victor, bob)
    approve(victor, eve, carol)
    propose(alice, eve)
    erase_user(bob.user)
    assert statuses() == {
        ("alice@example.org", bob.user.email): PairingStatus.ENDED,
        ("victor@example.org", "eve@example.org"): PairingStatus.APPROVED,
        ("alice@example.org", "eve@example.org"): PairingStatus.PROPOSED,
    }


def test_erasure_removes_the_persons_windows_and_future_places_only(org_a, carol, alice, victor, bob, eve):
    availability_replace(user=alice.user, windows=[(0, 600, 720)])
    availability_replace(user=bob.user, windows=[(1, 600, 720)])
    past, future = a_slot(org_a, carol, -2), a_slot(org_a, carol, 2)
    for slot in (past, future):
        SlotSignup.objects.create(slot=slot, volunteer=alice)
        SlotSignup.objects.create(slot=slot, volunteer=victor)
        SlotBooking.objects.create(slot=slot, mentee=bob)
        SlotBooking.objects.create(slot=slot, mentee=eve)
    erase_user(alice.user)
    erase_user(bob.user)
    assert list(AvailabilityWindow.objects.values_list("user", flat=True)) == []
    assert set(SlotSignup.objects.values_list("slot", "volunteer")) == {
        (past.pk, alice.pk),
        (past.pk, victor.pk),
        (future.pk, victor.pk),
    }
    assert set(SlotBooking.objects.values_list("slot", "mentee")) == {
        (past.pk, bob.pk),
        (past.pk, eve.pk),
        (future.pk, eve.pk),
    }


def test_erasing_one_person_keeps_the_others_windows(alice, bob):
    availability_replace(user=alice.user, windows=[(0, 600, 720)])
    availability_replace(user=bob.user, windows=[(1, 600, 720)])
    erase_user(alice.user)
    assert list(AvailabilityWindow.objects.values_list("user", "day")) == [(bob.user.pk, 1)]


def test_the_export_holds_the_persons_own_windows(api, alice, bob):
    availability_replace(user=alice.user, windows=[(0, 600, 720), (4, 1080, 1440)])
    availability_replace(user=bob.user, windows=[(1, 600, 720)])
    response = api(alice).get("/api/me/export/")
    assert response.status_code == 200
    assert response.json()["scheduling"] == {
        "availability": [
            {"day": 0, "start_minute": 600, "end_minute": 720},
            {"day": 4, "start_minute": 1080, "end_minute": 1440},
        ]
    }
