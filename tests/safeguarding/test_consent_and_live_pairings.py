"""Withdrawing a guardian's consent ends what it allowed, everywhere at once; only a live pairing (approved
or active) grants the partner's availability, suggested times, bookings and the chat."""

import datetime

import pytest
from django.utils import timezone

from chat.models import ConversationState
from mentees.services import consent_record, consent_withdraw
from scheduling.models import MentoringSession, PairingStatus, SessionStatus
from scheduling.services.availability import availability_replace
from scheduling.services.errors import InvalidTransition
from scheduling.services.sessions import session_book
from tests.chat.conftest import closed_with, connect
from tests.conftest import vet
from volunteers.models import VettingStatus
from volunteers.services import vetting_record

pytestmark = pytest.mark.django_db


def consent(mia, carol):
    consent_record(
        mentee=mia, guardian_name="Amal", given_on=timezone.localdate(), method="signed_form", recorded_by=carol
    )


def everyone_free(*people):
    for person in people:
        availability_replace(user=getattr(person, "user", person), windows=[(day, 0, 24 * 60) for day in range(7)])


def next_hour():
    start = (timezone.now() + datetime.timedelta(days=2)).replace(minute=0, second=0, microsecond=0)
    return start, start + datetime.timedelta(hours=1)


def test_withdrawn_consent_suspends_the_minors_pairing_and_cancels_coming_sessions(
    minor_conversation, alice, mia, carol
):
    pairing = minor_conversation.pairing
    everyone_free(alice, mia)
    start, end = next_hour()
    session = session_book(pairing=pairing, by=alice.user, start=start, end=end)

    consent_withdraw(mentee=mia, by=carol)

    pairing.refresh_from_db()
    minor_conversation.refresh_from_db()
    session.refresh_from_db()
    assert pairing.status == PairingStatus.SUSPENDED
    assert minor_conversation.state == ConversationState.SUSPENDED
    assert session.status == SessionStatus.CANCELLED


def test_no_session_is_booked_after_consent_is_withdrawn(minor_conversation, alice, mia, carol):
    everyone_free(alice, mia)
    consent_withdraw(mentee=mia, by=carol)
    start, end = next_hour()
    with pytest.raises(InvalidTransition):
        session_book(pairing=minor_conversation.pairing, by=alice.user, start=start, end=end)
    assert not MentoringSession.objects.exists()


def test_the_api_refuses_a_booking_after_consent_is_withdrawn(api, minor_conversation, alice, mia, carol):
    everyone_free(alice, mia)
    consent_withdraw(mentee=mia, by=carol)
    start, end = next_hour()
    response = api(alice).post(
        "/api/sessions/", {"pairing": minor_conversation.pairing.pk, "start": start.isoformat(), "end": end.isoformat()}
    )
    assert response.status_code == 400
    assert "pairing" in response.json()
    assert not MentoringSession.objects.exists()


def test_recorded_consent_resumes_the_pairing(minor_conversation, mia, carol):
    consent_withdraw(mentee=mia, by=carol)
    consent(mia, carol)
    pairing = minor_conversation.pairing
    pairing.refresh_from_db()
    minor_conversation.refresh_from_db()
    assert pairing.status == PairingStatus.APPROVED
    assert minor_conversation.state == ConversationState.OPEN


def test_recorded_consent_does_not_resume_a_pairing_whose_volunteer_is_no_longer_vetted(
    minor_conversation, alice, mia, carol
):
    consent_withdraw(mentee=mia, by=carol)
    vetting_record(
        volunteer=alice,
        status=VettingStatus.REJECTED,
        checked_on=timezone.localdate(),
        expires_on=None,
        recorded_by=carol,
    )
    consent(mia, carol)
    pairing = minor_conversation.pairing
    pairing.refresh_from_db()
    assert pairing.status == PairingStatus.SUSPENDED


def test_renewed_vetting_does_not_resume_a_pairing_whose_consent_was_withdrawn(minor_conversation, alice, mia, carol):
    vetting_record(
        volunteer=alice,
        status=VettingStatus.REJECTED,
        checked_on=timezone.localdate(),
        expires_on=None,
        recorded_by=carol,
    )
    consent_withdraw(mentee=mia, by=carol)
    vet(alice, carol)
    pairing = minor_conversation.pairing
    pairing.refresh_from_db()
    assert pairing.status == PairingStatus.SUSPENDED


@pytest.mark.django_db(transaction=True)
async def test_withdrawn_consent_closes_the_open_sockets_with_4409(vocabulary, org_a, carol):
    from channels.db import database_sync_to_async

    from tests.chat.conftest import approved_conversation
    from tests.conftest import make_mentee, make_volunteer

    def setup():
        volunteer = make_volunteer(org_a, "v@example.org", "Vol")
        minor = make_mentee(org_a, "m@example.org", "Min", birth_year=timezone.localdate().year - 16)
        consent(minor, carol)
        vet(volunteer, carol)
        return volunteer, minor, approved_conversation(org_a, volunteer, minor, carol)

    volunteer, minor, conversation = await database_sync_to_async(setup)()
    socket = await connect(conversation.pk, minor)
    await database_sync_to_async(consent_withdraw)(mentee=minor, by=carol)
    assert await closed_with(socket) == 4409
    again = await connect(conversation.pk, volunteer)
    assert await closed_with(again) == 4403


def test_a_suspended_pairing_shows_no_availability_or_suggested_times_to_the_volunteer(
    api, minor_conversation, alice, mia, carol
):
    everyone_free(alice, mia)
    pairing = minor_conversation.pairing
    assert api(alice).get(f"/api/availability/{mia.user_id}/").status_code == 200
    assert api(alice).get(f"/api/pairings/{pairing.pk}/suggested-times/").status_code == 200

    vetting_record(
        volunteer=alice,
        status=VettingStatus.REJECTED,
        checked_on=timezone.localdate(),
        expires_on=None,
        recorded_by=carol,
    )

    assert api(alice).get(f"/api/availability/{mia.user_id}/").status_code == 404
    assert api(alice).get(f"/api/pairings/{pairing.pk}/suggested-times/").status_code == 403
    assert api(mia).get(f"/api/availability/{alice.user_id}/").status_code == 404
    # the coordinator still sees both
    assert api(carol).get(f"/api/availability/{mia.user_id}/").status_code == 200


def test_an_ended_pairing_shows_no_availability_to_the_former_partner(api, conversation, alice, bob, carol):
    from scheduling.services.pairings import pairing_end

    pairing_end(pairing_id=conversation.pairing.pk, by=carol, kind="completed", reason="done")
    assert api(alice).get(f"/api/availability/{bob.user_id}/").status_code == 404
    assert api(alice).get(f"/api/pairings/{conversation.pairing.pk}/suggested-times/").status_code == 403


def test_a_one_to_one_slot_of_a_suspended_pairing_cannot_be_booked(api, minor_conversation, alice, mia, carol):
    from scheduling.models import Slot

    now = timezone.now()
    slot = Slot.objects.create(
        organisation=minor_conversation.organisation,
        created_by=alice.user,
        host=alice,
        topic="CV",
        start=now + datetime.timedelta(days=3),
        end=now + datetime.timedelta(days=3, hours=1),
        volunteers_needed=0,
        mentee_places=1,
    )
    consent_withdraw(mentee=mia, by=carol)
    response = api(mia).post(f"/api/slots/{slot.pk}/booking/")
    assert response.status_code == 400
    assert not slot.bookings.exists()
