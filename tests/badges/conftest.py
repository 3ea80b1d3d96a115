"""Badges cast: alice mentors bob (approved by carol, Casa Abierta); sessions are made in the past and
marked through the real service, so the events and the tasks after the commit run as in a request."""

from datetime import timedelta

import pytest
from django.utils import timezone, translation

from scheduling.models import MentoringSession, Pairing
from scheduling.services.pairings import pairing_approve
from scheduling.services.sessions import session_mark


@pytest.fixture(autouse=True)
def _language_of_each_test_its_own():
    """A request leaves its language active in the thread; the next test starts from the default again."""
    yield
    translation.deactivate()


def approve(org, coordinator, mentee, volunteer) -> Pairing:
    pairing = Pairing.objects.create(organisation=org, mentee=mentee, volunteer=volunteer)
    return pairing_approve(pairing_id=pairing.pk, by=coordinator)


def past_session(pairing: Pairing, *, days_ago: float = 1, minutes: int = 60) -> MentoringSession:
    start = timezone.now() - timedelta(days=days_ago)
    return MentoringSession.objects.create(
        pairing=pairing, organisation_id=pairing.organisation_id, start=start, end=start + timedelta(minutes=minutes)
    )


@pytest.fixture
def pairing(org_a, carol, alice, bob) -> Pairing:
    return approve(org_a, carol, bob, alice)


@pytest.fixture
def mark(django_capture_on_commit_callbacks):
    """`mark(session, held=True)`: the pair marks a session, and what waits for the commit runs."""

    def run(session: MentoringSession, *, held: bool = True, by=None) -> MentoringSession:
        with django_capture_on_commit_callbacks(execute=True):
            return session_mark(session=session, by=by or session.pairing.volunteer.user, held=held)

    return run


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """`with committed(): ...` runs what the block scheduled for after the commit (the badge tasks)."""
    return lambda: django_capture_on_commit_callbacks(execute=True)
