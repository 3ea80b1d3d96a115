"""Races with real threads against PostgreSQL: no overbooked slot, no overfilled volunteer."""

import threading
from datetime import timedelta

import pytest
from django.db import close_old_connections, connection
from django.utils import timezone

from scheduling.models import Pairing, PairingStatus, Slot, SlotSignup
from scheduling.services.errors import SchedulingError
from scheduling.services.pairings import pairing_approve
from scheduling.services.slots import slot_signup_create
from tests.conftest import make_coordinator, make_mentee, make_volunteer

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("vocabulary")]


def race(workers: list) -> list:
    """Start every worker at the same instant; return what each returned or raised."""
    barrier = threading.Barrier(len(workers))
    outcomes: list = [None] * len(workers)

    def run(index, work):
        try:
            barrier.wait()
            outcomes[index] = work()
        except Exception as exc:
            outcomes[index] = exc
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=run, args=(i, work)) for i, work in enumerate(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return outcomes


def test_it_gives_the_last_place_of_a_slot_to_exactly_one_of_many_volunteers(org_a, carol):
    # given a slot with one place and eight volunteers
    start = timezone.now() + timedelta(days=2)
    slot = Slot.objects.create(
        organisation=org_a,
        created_by=carol,
        topic="CV clinic",
        volunteers_needed=1,
        start=start,
        end=start + timedelta(hours=1),
    )
    volunteers = [make_volunteer(org_a, f"racer{i}@example.org", f"Racer {i}") for i in range(8)]
    # when they all sign up at once
    outcomes = race([lambda v=v: slot_signup_create(slot_id=slot.pk, volunteer=v) for v in volunteers])
    # then exactly one got it and the others were told the slot is full
    assert sum(isinstance(outcome, SlotSignup) for outcome in outcomes) == 1
    assert all(isinstance(outcome, SchedulingError) for outcome in outcomes if not isinstance(outcome, SlotSignup))
    assert SlotSignup.objects.filter(slot=slot).count() == 1


def test_it_never_signs_a_volunteer_up_twice_when_they_double_click(org_a, carol):
    start = timezone.now() + timedelta(days=2)
    slot = Slot.objects.create(
        organisation=org_a,
        created_by=carol,
        topic="Python",
        volunteers_needed=5,
        start=start,
        end=start + timedelta(hours=1),
    )
    volunteer = make_volunteer(org_a, "double@example.org", "Double")
    race([lambda: slot_signup_create(slot_id=slot.pk, volunteer=volunteer) for _ in range(6)])
    assert SlotSignup.objects.filter(slot=slot, volunteer=volunteer).count() == 1


def test_two_coordinators_approving_at_once_cannot_overfill_a_volunteer(org_a):
    # given a volunteer with room for one more mentee and proposals for six mentees
    carol = make_coordinator(org_a, "carol2@example.org", "Carol")
    olga = make_coordinator(org_a, "olga@example.org", "Olga")
    volunteer = make_volunteer(org_a, "busy@example.org", "Busy", capacity=1)
    proposals = [
        Pairing.objects.create(
            organisation=org_a, volunteer=volunteer, mentee=make_mentee(org_a, f"m{i}@example.org", f"M{i}")
        )
        for i in range(6)
    ]
    # when coordinators approve them all at the same instant
    outcomes = race(
        [
            lambda p=p, who=(carol if i % 2 else olga): pairing_approve(pairing_id=p.pk, by=who)
            for i, p in enumerate(proposals)
        ]
    )
    # then exactly one was approved
    assert sum(isinstance(outcome, Pairing) for outcome in outcomes) == 1
    assert Pairing.objects.filter(volunteer=volunteer, status=PairingStatus.APPROVED).count() == 1


def test_approving_two_proposals_of_one_mentee_at_once_leaves_one_current_pairing(org_a, carol):
    mentee = make_mentee(org_a, "sought@example.org", "Sought")
    proposals = [
        Pairing.objects.create(
            organisation=org_a, mentee=mentee, volunteer=make_volunteer(org_a, f"v{i}@example.org", f"V{i}", capacity=3)
        )
        for i in range(4)
    ]
    race([lambda p=p: pairing_approve(pairing_id=p.pk, by=carol) for p in proposals])
    assert Pairing.objects.filter(mentee=mentee).current().count() == 1
