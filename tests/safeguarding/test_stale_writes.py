"""No write overwrites a column it did not change: a stale profile edit never undoes a coordinator's
decision (vetting, consent, a help request's status)."""

import threading

import pytest
from django.db import connection
from django.utils import timezone

from mentees.models import HelpRequest, HelpRequestStatus, Mentee
from mentees.services import consent_record, help_request_close, help_request_create, help_request_update, mentee_update
from tests.conftest import vet
from volunteers.models import VettingStatus, Volunteer
from volunteers.services import vetting_record, volunteer_update

pytestmark = pytest.mark.django_db


def test_it_keeps_a_rejected_vetting_when_a_stale_bio_edit_lands_after_it(alice, carol):
    vet(alice, carol)
    # given the volunteer's edit loaded the profile while the vetting was still verified
    stale = Volunteer.objects.get(pk=alice.pk)
    # when the coordinator rejects the check, then the stale edit is saved
    vetting_record(
        volunteer=alice,
        status=VettingStatus.REJECTED,
        checked_on=timezone.localdate(),
        expires_on=None,
        recorded_by=carol,
    )
    volunteer_update(volunteer=stale, bio="I teach Python")
    # then the rejection stands and the bio changed
    alice.refresh_from_db()
    assert alice.vetting_status == VettingStatus.REJECTED
    assert alice.bio == "I teach Python"


def test_it_keeps_a_withdrawn_consent_when_a_stale_profile_edit_lands_after_it(mia, carol):
    from mentees.services import consent_withdraw

    consent_record(
        mentee=mia, guardian_name="Amal", given_on=timezone.localdate(), method="signed_form", recorded_by=carol
    )
    stale = Mentee.objects.get(pk=mia.pk)
    consent_withdraw(mentee=mia, by=carol)
    mentee_update(mentee=stale, user={"display_name": "Mia R."})
    mia.refresh_from_db()
    assert mia.has_consent is False
    assert mia.user.display_name == "Mia R."


def test_it_keeps_a_closed_request_closed_when_a_stale_edit_lands_after_it(bob):
    request = help_request_create(mentee=bob, needs=[])
    stale = HelpRequest.objects.get(pk=request.pk)
    help_request_close(help_request=request)
    help_request_update(help_request=stale, description="Now also my CV")
    request.refresh_from_db()
    assert request.status == HelpRequestStatus.CLOSED
    assert request.description == "Now also my CV"


def test_a_stale_edit_of_consent_fields_through_the_api_is_refused_silently(api, mia, carol):
    """The mentee's own PATCH cannot set consent: the fields are not writable."""
    response = api(mia).patch(
        f"/api/mentees/{mia.pk}/", {"consent_guardian_name": "Me", "consent_recorded_at": "2026-01-01T00:00:00Z"}
    )
    assert response.status_code in (200, 400)
    mia.refresh_from_db()
    assert mia.has_consent is False


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_it_never_restores_a_rejected_vetting_when_edits_race_the_rejection(vocabulary, org_a, carol):
    from tests.conftest import make_volunteer

    volunteer = make_volunteer(org_a, "race@example.org", "Racer", capacity=1)
    vet(volunteer, carol)
    barrier = threading.Barrier(2)
    errors = []

    def edit():
        try:
            stale = Volunteer.objects.select_related("user").get(pk=volunteer.pk)
            barrier.wait()
            for n in range(20):
                volunteer_update(volunteer=stale, bio=f"edit {n}")
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connection.close()

    def reject():
        try:
            barrier.wait()
            vetting_record(
                volunteer=volunteer,
                status=VettingStatus.REJECTED,
                checked_on=timezone.localdate(),
                expires_on=None,
                recorded_by=carol,
            )
        except Exception as exc:  # pragma: no cover
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=edit), threading.Thread(target=reject)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    volunteer.refresh_from_db()
    assert volunteer.vetting_status == VettingStatus.REJECTED
    assert volunteer.vetting_expires_on is None
    assert volunteer.bio == "edit 19"
