"""Races with real threads against PostgreSQL: one award per milestone, one status list place per award,
one issuer key per organisation."""

import pytest

from badges import issuing, services
from badges.models import Award, IssuerKey, Milestone
from tests.conftest import make_mentee
from tests.scheduling.test_concurrency import race

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("vocabulary")]


def test_workers_racing_to_award_one_milestone_award_it_once(org_a):
    mentee = make_mentee(org_a, "racer@example.org", "Racer")

    outcomes = race([lambda: services.award_milestone(user=mentee.user, milestone=Milestone.FIRST_SESSION)] * 6)

    assert sum(isinstance(outcome, Award) for outcome in outcomes) == 1
    assert all(outcome is None or isinstance(outcome, Award) for outcome in outcomes)
    assert Award.objects.filter(recipient=mentee.user).count() == 1


def test_awards_made_at_once_take_different_places_in_the_status_list(org_a):
    mentees = [make_mentee(org_a, f"racer{i}@example.org", f"Racer {i}") for i in range(8)]

    race([lambda m=m: services.award_milestone(user=m.user, milestone=Milestone.FIRST_SESSION) for m in mentees])

    indexes = list(Award.objects.filter(organisation=org_a).values_list("status_index", flat=True))
    assert sorted(indexes) == list(range(8))


def test_first_uses_at_once_make_one_key(org_a):
    outcomes = race([lambda: issuing.issuer_key(org_a).pk] * 6)

    assert len(set(outcomes)) == 1
    assert IssuerKey.objects.filter(organisation=org_a).count() == 1
