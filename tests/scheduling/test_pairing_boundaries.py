"""The pairing rules at their edges, on SQLite: each test fails if one rule is loosened or tightened by one
(capacity, one current pairing, which help request a decision touches, pinning, active people, vetting
reviews). Written after a mutation run showed these rules could change without any test noticing."""

import datetime

import pytest
from django.utils import timezone

from accounts.models import Skill
from accounts.services import user_deactivate
from chat.models import Conversation, ConversationState
from common.events import Event
from mentees.models import HelpRequest, HelpRequestStatus
from mentees.services import consent_record, consent_withdraw, help_request_close, help_request_create
from safeguarding.models import Action, Entry
from scheduling.models import EndKind, MentoringSession, Pairing, PairingStatus, SessionStatus
from scheduling.services.errors import CapacityExceeded, InvalidTransition, SafeguardingRefusal, SchedulingError
from scheduling.services.pairings import (
    pairing_approve,
    pairing_end,
    pairing_pin,
    pairing_reject,
    pairings_review_consent,
    pairings_review_vetting,
    pairings_suspend_unvetted,
)
from tests.conftest import make_mentee, make_volunteer, vet
from volunteers.models import Volunteer
from volunteers.services import vetting_record

pytestmark = pytest.mark.django_db


def propose(volunteer, mentee, help_request=None) -> Pairing:
    return Pairing.objects.create(
        organisation=mentee.organisation, volunteer=volunteer, mentee=mentee, help_request=help_request
    )


def approve(volunteer, mentee, by, help_request=None) -> Pairing:
    return pairing_approve(pairing_id=propose(volunteer, mentee, help_request).pk, by=by)


def status(pairing) -> str:
    pairing.refresh_from_db()
    return pairing.status


def request_for(mentee, skill="cv-writing") -> HelpRequest:
    return help_request_create(mentee=mentee, needs=Skill.objects.filter(slug=skill))


def consent(mentee, by):
    consent_record(
        mentee=mentee, guardian_name="Amal", given_on=timezone.localdate(), method="in_person", recorded_by=by
    )


@pytest.fixture
def fay(org_a):
    return make_mentee(org_a, "fay@example.org", "Fay", birth_year=1997)


class TestCapacity:
    def test_it_accepts_the_approval_that_fills_a_volunteer_exactly(self, alice, bob, eve, carol):
        approve(alice, bob, carol)  # capacity 2: one taken
        assert approve(alice, eve, carol).status == PairingStatus.APPROVED

    def test_it_refuses_the_approval_past_a_full_volunteer(self, alice, bob, eve, fay, carol):
        approve(alice, bob, carol)
        approve(alice, eve, carol)
        proposal = propose(alice, fay)
        with pytest.raises(CapacityExceeded):
            pairing_approve(pairing_id=proposal.pk, by=carol)
        assert status(proposal) == PairingStatus.PROPOSED

    def test_a_suspended_pairing_still_takes_a_place(self, victor, bob, eve, carol):
        pairing = approve(victor, bob, carol)  # capacity 1
        Pairing.objects.filter(pk=pairing.pk).update(status=PairingStatus.SUSPENDED)
        with pytest.raises(CapacityExceeded):
            approve(victor, eve, carol)

    def test_an_ended_pairing_gives_its_place_back(self, victor, bob, eve, carol):
        pairing = approve(victor, bob, carol)
        pairing_end(pairing_id=pairing.pk, by=carol, kind=EndKind.COMPLETED, reason="done")
        assert approve(victor, eve, carol).status == PairingStatus.APPROVED


class TestOneCurrentPairing:
    def test_a_mentee_with_an_approved_pairing_gets_no_second(self, alice, victor, bob, carol):
        approve(alice, bob, carol)
        with pytest.raises(SchedulingError, match="already has a current pairing"):
            approve(victor, bob, carol)

    def test_a_suspended_pairing_counts_as_current(self, alice, victor, bob, carol):
        pairing = approve(alice, bob, carol)
        Pairing.objects.filter(pk=pairing.pk).update(status=PairingStatus.SUSPENDED)
        proposal = propose(victor, bob)
        with pytest.raises(SchedulingError, match="already has a current pairing"):
            pairing_approve(pairing_id=proposal.pk, by=carol)

    def test_an_ended_pairing_does_not_count(self, alice, victor, bob, carol):
        pairing = approve(alice, bob, carol)
        pairing_end(pairing_id=pairing.pk, by=carol, kind=EndKind.CANCELLED, reason="moved")
        assert approve(victor, bob, carol).status == PairingStatus.APPROVED


class TestHelpRequests:
    def test_approval_marks_only_its_own_request_as_matched(self, alice, bob, carol):
        mine, other = request_for(bob), request_for(bob, "python")
        approve(alice, bob, carol, help_request=mine)
        mine.refresh_from_db()
        other.refresh_from_db()
        assert (mine.status, other.status) == (HelpRequestStatus.MATCHED, HelpRequestStatus.OPEN)

    def test_a_cancelled_pairing_reopens_only_its_own_request(self, alice, victor, bob, eve, carol):
        mine, eves = request_for(bob), request_for(eve)
        pairing = approve(alice, bob, carol, help_request=mine)
        approve(victor, eve, carol, help_request=eves)
        pairing_end(pairing_id=pairing.pk, by=carol, kind=EndKind.CANCELLED, reason="moved")
        mine.refresh_from_db()
        eves.refresh_from_db()
        assert (mine.status, mine.closed_at) == (HelpRequestStatus.OPEN, None)
        assert eves.status == HelpRequestStatus.MATCHED

    def test_a_completed_pairing_closes_only_its_own_request(self, alice, victor, bob, eve, carol):
        mine, eves = request_for(bob), request_for(eve)
        pairing = approve(alice, bob, carol, help_request=mine)
        approve(victor, eve, carol, help_request=eves)
        pairing_end(pairing_id=pairing.pk, by=carol, kind=EndKind.COMPLETED, reason="done")
        mine.refresh_from_db()
        eves.refresh_from_db()
        assert mine.status == HelpRequestStatus.CLOSED
        assert mine.closed_at is not None
        assert eves.status == HelpRequestStatus.MATCHED


class TestOtherProposals:
    def test_approval_deletes_the_mentees_other_proposals_but_not_other_mentees(self, alice, victor, bob, eve, carol):
        chosen, bobs_other, eves = propose(alice, bob), propose(victor, bob), propose(victor, eve)
        pairing_approve(pairing_id=chosen.pk, by=carol)
        assert not Pairing.objects.filter(pk=bobs_other.pk).exists()
        assert status(eves) == PairingStatus.PROPOSED

    def test_rejecting_a_pinned_proposal_unpins_it(self, alice, bob, carol):
        proposal = pairing_pin(pairing_id=propose(alice, bob).pk, pinned=True)
        assert proposal.pinned
        pairing_reject(pairing_id=proposal.pk, by=carol, reason="not now")
        proposal.refresh_from_db()
        assert (proposal.status, proposal.pinned) == (PairingStatus.REJECTED, False)


class TestPinning:
    def test_pinned_proposals_count_towards_capacity(self, victor, bob, eve):
        pairing_pin(pairing_id=propose(victor, bob).pk, pinned=True)  # capacity 1: the pin takes it
        second = propose(victor, eve)
        with pytest.raises(CapacityExceeded):
            pairing_pin(pairing_id=second.pk, pinned=True)
        second.refresh_from_db()
        assert not second.pinned

    def test_the_last_place_can_be_pinned(self, alice, bob, eve):
        pairing_pin(pairing_id=propose(alice, bob).pk, pinned=True)  # capacity 2: one place left
        assert pairing_pin(pairing_id=propose(alice, eve).pk, pinned=True).pinned

    def test_current_pairings_and_pins_add_up(self, alice, bob, eve, fay, carol):
        approve(alice, bob, carol)
        pairing_pin(pairing_id=propose(alice, eve).pk, pinned=True)
        with pytest.raises(CapacityExceeded):
            pairing_pin(pairing_id=propose(alice, fay).pk, pinned=True)

    def test_pinning_the_same_proposal_again_does_not_count_it_twice(self, victor, bob):
        proposal = pairing_pin(pairing_id=propose(victor, bob).pk, pinned=True)
        assert pairing_pin(pairing_id=proposal.pk, pinned=True).pinned

    def test_a_mentee_has_one_pinned_proposal_at_most(self, alice, victor, bob):
        pairing_pin(pairing_id=propose(alice, bob).pk, pinned=True)
        with pytest.raises(SchedulingError, match="already pinned"):
            pairing_pin(pairing_id=propose(victor, bob).pk, pinned=True)

    def test_another_mentees_pin_does_not_stop_it(self, alice, bob, eve):
        pairing_pin(pairing_id=propose(alice, bob).pk, pinned=True)
        assert pairing_pin(pairing_id=propose(alice, eve).pk, pinned=True).pinned

    def test_a_minor_without_consent_cannot_be_pinned(self, alice, mia, carol):
        vet(alice, carol)
        with pytest.raises(SafeguardingRefusal):
            pairing_pin(pairing_id=propose(alice, mia).pk, pinned=True)

    def test_a_minor_with_an_unvetted_volunteer_cannot_be_pinned(self, alice, mia, carol):
        consent(mia, carol)
        with pytest.raises(SafeguardingRefusal):
            pairing_pin(pairing_id=propose(alice, mia).pk, pinned=True)

    def test_a_minor_with_consent_and_a_vetted_volunteer_can_be_pinned(self, alice, mia, carol):
        consent(mia, carol)
        vet(alice, carol)
        assert pairing_pin(pairing_id=propose(alice, mia).pk, pinned=True).pinned

    def test_only_a_proposed_pairing_can_be_pinned(self, alice, bob, carol):
        pairing = approve(alice, bob, carol)
        with pytest.raises(InvalidTransition):
            pairing_pin(pairing_id=pairing.pk, pinned=True)

    def test_unpinning_needs_no_place(self, victor, bob, eve, carol):
        proposal = pairing_pin(pairing_id=propose(victor, bob).pk, pinned=True)
        approve(victor, eve, carol)  # now full, the pin is over capacity
        assert not pairing_pin(pairing_id=proposal.pk, pinned=False).pinned


class TestActivePeople:
    def test_an_inactive_volunteer_cannot_be_approved(self, alice, bob, carol):
        proposal = propose(alice, bob)
        user_deactivate(user=alice.user)
        with pytest.raises(SafeguardingRefusal, match="active"):
            pairing_approve(pairing_id=proposal.pk, by=carol)
        assert status(proposal) == PairingStatus.PROPOSED

    def test_an_inactive_mentee_cannot_be_approved(self, alice, bob, carol):
        proposal = propose(alice, bob)
        user_deactivate(user=bob.user)
        with pytest.raises(SafeguardingRefusal, match="active"):
            pairing_approve(pairing_id=proposal.pk, by=carol)
        assert status(proposal) == PairingStatus.PROPOSED


class TestVettingReviews:
    @pytest.fixture
    def nora(self, org_a):
        return make_mentee(org_a, "nora@example.org", "Nora", birth_year=timezone.localdate().year - 15)

    def test_renewal_resumes_only_that_volunteers_pairings_and_reopens_their_conversations(
        self, org_a, alice, victor, mia, nora, carol
    ):
        # given alice with mia and victor with nora, both minors, both vetted and approved
        consent(mia, carol)
        consent(nora, carol)
        vet(alice, carol)
        vet(victor, carol)
        alices, victors = approve(alice, mia, carol), approve(victor, nora, carol)
        # when both checks lapse and the periodic review suspends both pairings
        for volunteer in (alice, victor):
            vet(volunteer, carol, expires_in_days=-1)
        assert (status(alices), status(victors)) == (PairingStatus.SUSPENDED, PairingStatus.SUSPENDED)
        # then renewing alice's resumes hers only, and opens her conversation again
        vet(alice, carol)
        assert (status(alices), status(victors)) == (PairingStatus.APPROVED, PairingStatus.SUSPENDED)
        states = dict(Conversation.objects.values_list("pairing_id", "state"))
        assert states == {alices.pk: ConversationState.OPEN, victors.pk: ConversationState.SUSPENDED}

    def test_a_rejected_check_suspends_only_pairings_with_minors(self, org_a, alice, bob, mia, carol):
        consent(mia, carol)
        vet(alice, carol)
        with_minor, with_adult = approve(alice, mia, carol), approve(alice, bob, carol)
        vetting_record(
            volunteer=alice,
            status="rejected",
            checked_on=timezone.localdate() - datetime.timedelta(1),
            expires_on=None,
            recorded_by=carol,
        )
        assert (status(with_minor), status(with_adult)) == (PairingStatus.SUSPENDED, PairingStatus.APPROVED)


def test_a_second_volunteer_with_room_is_unaffected_by_a_full_one(org_a, victor, bob, eve, carol):
    """Capacity is counted per volunteer: victor being full does not stop another volunteer."""
    other = make_volunteer(org_a, "otto@example.org", "Otto", capacity=1)
    approve(victor, bob, carol)
    assert approve(other, eve, carol).status == PairingStatus.APPROVED


def session(pairing, days: int, status=None) -> MentoringSession:
    """A session `days` from now (negative: in the past), an hour long."""
    start = timezone.now() + datetime.timedelta(days=days)
    return MentoringSession.objects.create(
        pairing=pairing,
        organisation=pairing.organisation,
        start=start,
        end=start + datetime.timedelta(hours=1),
        status=status or SessionStatus.BOOKED,
    )


def session_state(item) -> tuple[str, str]:
    item.refresh_from_db()
    return item.status, item.cancel_reason


def logged(action):
    return Entry.objects.filter(action=action).order_by("id")


class TestWhatDecisionsRecord:
    def test_a_rejection_keeps_who_when_and_why_and_is_logged(self, alice, bob, carol):
        proposal = propose(alice, bob)
        pairing_reject(pairing_id=proposal.pk, by=carol, reason="different city")
        proposal.refresh_from_db()
        assert (proposal.decided_by, proposal.rejection_reason) == (carol, "different city")
        assert proposal.decided_at is not None
        (entry,) = logged(Action.PAIRING_REJECTED)
        assert (entry.actor, entry.subject, entry.reason) == (carol, bob.user, "different city")
        assert entry.detail == {"volunteer": alice.user_id, "mentee": bob.user_id}
        assert (entry.organisation_id, entry.object_id) == (bob.organisation_id, proposal.pk)

    def test_an_approval_keeps_who_and_when_and_is_logged_with_both_people(self, alice, bob, carol):
        pairing = approve(alice, bob, carol)
        pairing.refresh_from_db()
        assert (pairing.status, pairing.decided_by) == (PairingStatus.APPROVED, carol)
        assert pairing.decided_at is not None
        (entry,) = logged(Action.PAIRING_APPROVED)
        assert (entry.actor, entry.subject, entry.organisation_id) == (carol, bob.user, bob.organisation_id)
        assert entry.detail == {"volunteer": alice.user_id, "mentee": bob.user_id, "status": PairingStatus.APPROVED}
        assert (entry.object_id, entry.reason) == (pairing.pk, "")

    def test_an_ending_keeps_who_how_and_why(self, alice, bob, carol):
        pairing = approve(alice, bob, carol)
        pairing_end(pairing_id=pairing.pk, by=carol, kind=EndKind.CANCELLED, reason="moved away")
        pairing.refresh_from_db()
        assert (pairing.status, pairing.ended_by, pairing.end_kind, pairing.end_reason) == (
            PairingStatus.ENDED,
            carol,
            EndKind.CANCELLED,
            "moved away",
        )
        assert pairing.ended_at is not None
        (entry,) = logged(Action.PAIRING_ENDED)
        assert (entry.actor, entry.reason) == (carol, "moved away")

    def test_a_rejected_or_ended_pairing_cannot_be_rejected_ended_or_approved_again(self, alice, victor, bob, carol):
        rejected = propose(victor, bob)
        pairing_reject(pairing_id=rejected.pk, by=carol, reason="no")
        with pytest.raises(InvalidTransition):
            pairing_reject(pairing_id=rejected.pk, by=carol, reason="again")
        with pytest.raises(InvalidTransition):
            pairing_end(pairing_id=rejected.pk, by=carol, kind=EndKind.CANCELLED, reason="x")
        ended = approve(alice, bob, carol)
        pairing_end(pairing_id=ended.pk, by=carol, kind=EndKind.COMPLETED, reason="done")
        with pytest.raises(InvalidTransition):
            pairing_end(pairing_id=ended.pk, by=carol, kind=EndKind.COMPLETED, reason="done")
        with pytest.raises(InvalidTransition):
            pairing_approve(pairing_id=ended.pk, by=carol)


class TestSessionsEndWithThePairing:
    def test_ending_cancels_only_this_pairings_sessions_to_come(self, alice, victor, bob, eve, carol):
        pairing, other = approve(alice, bob, carol), approve(victor, eve, carol)
        coming, held, others = session(pairing, 2), session(pairing, -2, SessionStatus.HELD), session(other, 2)
        past_booked = session(pairing, -1)
        already = session(pairing, 3, SessionStatus.CANCELLED)
        MentoringSession.objects.filter(pk=already.pk).update(cancel_reason="ill")
        before = MentoringSession.objects.get(pk=coming.pk).updated_at
        pairing_end(pairing_id=pairing.pk, by=carol, kind=EndKind.CANCELLED, reason="moved")
        assert session_state(coming) == (SessionStatus.CANCELLED, "The pairing ended.")
        assert MentoringSession.objects.get(pk=coming.pk).updated_at > before
        assert session_state(already) == (SessionStatus.CANCELLED, "ill")
        assert session_state(held) == (SessionStatus.HELD, "")
        assert session_state(past_booked) == (SessionStatus.BOOKED, "")
        assert session_state(others) == (SessionStatus.BOOKED, "")

    def test_a_suspension_cancels_the_sessions_to_come_and_says_why(self, org_a, alice, bob, mia, carol):
        consent(mia, carol)
        vet(alice, carol)
        minors, adults = approve(alice, mia, carol), approve(alice, bob, carol)
        coming, adults_coming = session(minors, 3), session(adults, 3)
        vet(alice, carol, expires_in_days=-1)
        assert session_state(coming) == (SessionStatus.CANCELLED, "The pairing was suspended.")
        assert session_state(adults_coming) == (SessionStatus.BOOKED, "")


class TestSuspensionAndResumption:
    def test_a_suspension_says_why_and_a_resumption_clears_it(self, alice, mia, carol):
        consent(mia, carol)
        vet(alice, carol)
        pairing = approve(alice, mia, carol)
        vet(alice, carol, expires_in_days=-1)
        pairing.refresh_from_db()
        assert (pairing.status, pairing.suspended_reason) == (PairingStatus.SUSPENDED, "vetting not current")
        (suspended,) = logged(Action.PAIRING_SUSPENDED)
        assert (suspended.reason, suspended.subject, suspended.actor) == ("vetting not current", mia.user, carol)
        vet(alice, carol)
        pairing.refresh_from_db()
        assert (pairing.status, pairing.suspended_reason) == (PairingStatus.APPROVED, "")
        (resumed,) = logged(Action.PAIRING_RESUMED)
        assert resumed.reason == "vetting current"

    def test_a_pairing_that_had_met_resumes_as_active(self, alice, mia, carol):
        consent(mia, carol)
        vet(alice, carol)
        pairing = approve(alice, mia, carol)
        session(pairing, -3, SessionStatus.HELD)
        Pairing.objects.filter(pk=pairing.pk).update(status=PairingStatus.ACTIVE)
        vet(alice, carol, expires_in_days=-1)
        assert status(pairing) == PairingStatus.SUSPENDED
        vet(alice, carol)
        assert status(pairing) == PairingStatus.ACTIVE

    def test_withdrawn_consent_suspends_and_recorded_consent_resumes_the_minors_pairing(self, alice, mia, carol):
        consent(mia, carol)
        vet(alice, carol)
        pairing = approve(alice, mia, carol)
        consent_withdraw(mentee=mia, by=carol, reason="guardian called")
        pairing.refresh_from_db()
        assert (pairing.status, pairing.suspended_reason) == (PairingStatus.SUSPENDED, "consent withdrawn")
        consent(mia, carol)
        pairing.refresh_from_db()
        assert (pairing.status, pairing.suspended_reason) == (PairingStatus.APPROVED, "")
        assert [(entry.actor, entry.reason) for entry in logged(Action.PAIRING_RESUMED)] == [
            (carol, "consent recorded")
        ]
        assert [entry.reason for entry in logged(Action.PAIRING_SUSPENDED)] == ["consent withdrawn"]

    def test_the_sweep_logs_each_lapsed_volunteer_once_and_suspends_only_live_minor_pairings(
        self, org_a, alice, victor, bob, mia, carol
    ):
        nora = make_mentee(org_a, "nora@example.org", "Nora", birth_year=timezone.localdate().year - 15)
        for minor in (mia, nora):
            consent(minor, carol)
        vet(alice, carol)
        vet(victor, carol)
        alices, victors, adults = approve(alice, mia, carol), approve(victor, nora, carol), approve(alice, bob, carol)
        lapsed_on = timezone.localdate() - datetime.timedelta(days=1)
        Volunteer.objects.filter(pk=alice.pk).update(vetting_expires_on=lapsed_on)  # no review runs: the sweep finds it
        assert pairings_suspend_unvetted() == 1
        assert (status(alices), status(victors), status(adults)) == (
            PairingStatus.SUSPENDED,
            PairingStatus.APPROVED,
            PairingStatus.APPROVED,
        )
        (expired,) = logged(Action.VETTING_EXPIRED)
        assert (expired.subject, expired.actor, expired.object_id) == (alice.user, None, alice.pk)
        assert expired.detail == {"expires_on": lapsed_on.isoformat()}
        assert expired.organisation_id == alice.organisation_id
        (suspended,) = logged(Action.PAIRING_SUSPENDED)
        assert (suspended.actor, suspended.reason) == (None, "vetting not current")
        assert pairings_suspend_unvetted() == 0  # already suspended: nothing more to do, nothing logged
        assert logged(Action.VETTING_EXPIRED).count() == 1

    def test_an_adults_consent_change_reviews_nothing(self, alice, bob, carol):
        pairing = approve(alice, bob, carol)
        assert pairings_review_consent(mentee=bob, by=carol) == 0
        assert status(pairing) == PairingStatus.APPROVED


class TestEndingAndTheRequest:
    def test_a_completed_pairing_tells_once_of_the_solved_request_and_the_completion(self, alice, bob, carol, heard):
        request = request_for(bob)
        pairing = approve(alice, bob, carol, help_request=request)
        before = HelpRequest.objects.get(pk=request.pk).updated_at
        heard.clear()
        pairing_end(pairing_id=pairing.pk, by=carol, kind=EndKind.COMPLETED, reason="done")
        solved = [payload for event, payload in heard if event == Event.HELP_REQUEST_SOLVED]
        completed = [payload for event, payload in heard if event == Event.PAIRING_COMPLETED]
        assert [(p["help_request_id"], p["pairing"].pk) for p in solved] == [(request.pk, pairing.pk)]
        assert [p["pairing"].pk for p in completed] == [pairing.pk]
        assert HelpRequest.objects.get(pk=request.pk).updated_at > before

    def test_a_cancelled_pairing_solves_and_completes_nothing(self, alice, bob, carol, heard):
        pairing = approve(alice, bob, carol, help_request=request_for(bob))
        heard.clear()
        pairing_end(pairing_id=pairing.pk, by=carol, kind=EndKind.CANCELLED, reason="moved")
        assert [event for event, _payload in heard] == [Event.PAIRING_CHANGED]

    @pytest.mark.parametrize("kind", [EndKind.COMPLETED, EndKind.CANCELLED])
    def test_a_request_the_mentee_closed_stays_closed_and_is_not_solved_again(self, alice, bob, carol, heard, kind):
        request = request_for(bob)
        pairing = approve(alice, bob, carol, help_request=request)
        help_request_close(help_request=request)
        closed_at = HelpRequest.objects.get(pk=request.pk).closed_at
        heard.clear()
        pairing_end(pairing_id=pairing.pk, by=carol, kind=kind, reason="over")
        request.refresh_from_db()
        assert (request.status, request.closed_at) == (HelpRequestStatus.CLOSED, closed_at)
        assert Event.HELP_REQUEST_SOLVED not in [event for event, _payload in heard]


class TestPinsOfEndedPairings:
    def test_an_ended_pairing_that_was_pinned_takes_no_place(self, victor, bob, eve, carol):
        first = pairing_pin(pairing_id=propose(victor, bob).pk, pinned=True)  # capacity 1
        pairing_approve(pairing_id=first.pk, by=carol)
        pairing_end(pairing_id=first.pk, by=carol, kind=EndKind.COMPLETED, reason="done")
        assert pairing_pin(pairing_id=propose(victor, eve).pk, pinned=True).pinned

    def test_an_unpinned_proposal_takes_no_place(self, victor, bob, eve):
        propose(victor, bob)  # capacity 1, not pinned
        assert pairing_pin(pairing_id=propose(victor, eve).pk, pinned=True).pinned

    def test_a_mentees_ended_pinned_pairing_does_not_stop_a_new_pin(self, alice, victor, bob, carol):
        first = pairing_pin(pairing_id=propose(alice, bob).pk, pinned=True)
        pairing_approve(pairing_id=first.pk, by=carol)
        pairing_end(pairing_id=first.pk, by=carol, kind=EndKind.CANCELLED, reason="moved")
        assert pairing_pin(pairing_id=propose(victor, bob).pk, pinned=True).pinned

    def test_a_mentees_other_unpinned_proposal_does_not_stop_a_pin(self, alice, victor, bob):
        propose(alice, bob)
        assert pairing_pin(pairing_id=propose(victor, bob).pk, pinned=True).pinned


class TestWhatAVettingChangeReviews:
    def test_renewing_a_current_check_leaves_a_live_pairing_alone(self, alice, mia, carol):
        consent(mia, carol)
        vet(alice, carol)
        pairing = approve(alice, mia, carol)
        vet(alice, carol, expires_in_days=700)  # renewed while still current
        assert status(pairing) == PairingStatus.APPROVED
        assert not logged(Action.PAIRING_SUSPENDED).exists()

    def test_it_reviews_only_that_volunteers_pairings(self, org_a, alice, victor, mia, carol):
        nora = make_mentee(org_a, "nora@example.org", "Nora", birth_year=timezone.localdate().year - 15)
        consent(mia, carol)
        consent(nora, carol)
        vet(alice, carol)
        vet(victor, carol)
        victors = approve(victor, nora, carol)
        approve(alice, mia, carol)
        # victor's check lapses quietly (the hourly sweep has not run yet)
        lapsed_on = timezone.localdate() - datetime.timedelta(days=1)
        Volunteer.objects.filter(pk=victor.pk).update(vetting_expires_on=lapsed_on)
        vet(alice, carol, expires_in_days=700)
        assert status(victors) == PairingStatus.APPROVED  # the sweep's job, not alice's review

    def test_it_reviews_only_pairings_with_minors(self, alice, bob, carol):
        vet(alice, carol)
        adults = approve(alice, bob, carol)
        user_deactivate(user=bob.user)  # a problem, but not one a vetting change is about
        vet(alice, carol, expires_in_days=-1)
        assert status(adults) == PairingStatus.APPROVED


class TestReviewCounts:
    def test_a_review_counts_each_pairing_it_suspends_or_resumes(self, org_a, alice, mia, carol):
        nora = make_mentee(org_a, "nora@example.org", "Nora", birth_year=timezone.localdate().year - 15)
        for minor in (mia, nora):
            consent(minor, carol)
        vet(alice, carol)
        approve(alice, mia, carol)
        approve(alice, nora, carol)
        lapsed_on = timezone.localdate() - datetime.timedelta(days=1)
        Volunteer.objects.filter(pk=alice.pk).update(vetting_expires_on=lapsed_on)
        assert pairings_suspend_unvetted() == 2
        Volunteer.objects.filter(pk=alice.pk).update(vetting_expires_on=lapsed_on + datetime.timedelta(days=400))
        alice.refresh_from_db()
        assert pairings_review_vetting(volunteer=alice) == 2
        assert pairings_review_vetting(volunteer=alice) == 0

    def test_renewed_vetting_does_not_resume_a_pairing_still_without_consent(self, alice, mia, carol):
        consent(mia, carol)
        vet(alice, carol)
        pairing = approve(alice, mia, carol)
        consent_withdraw(mentee=mia, by=carol, reason="guardian called")
        vet(alice, carol, expires_in_days=700)
        assert status(pairing) == PairingStatus.SUSPENDED


class TestApprovalLeavesHistoryAlone:
    def test_approval_keeps_the_mentees_rejected_and_ended_pairings(self, alice, victor, bob, carol):
        rejected = propose(victor, bob)
        pairing_reject(pairing_id=rejected.pk, by=carol, reason="no")
        ended = approve(victor, bob, carol)
        pairing_end(pairing_id=ended.pk, by=carol, kind=EndKind.CANCELLED, reason="moved")
        approve(alice, bob, carol)
        assert (status(rejected), status(ended)) == (PairingStatus.REJECTED, PairingStatus.ENDED)

    def test_approval_stamps_the_request_it_matches(self, alice, bob, carol):
        request = request_for(bob)
        before = HelpRequest.objects.get(pk=request.pk).updated_at
        approve(alice, bob, carol, help_request=request)
        assert HelpRequest.objects.get(pk=request.pk).updated_at > before

    def test_approval_does_not_reopen_a_request_the_mentee_closed(self, alice, bob, carol):
        request = request_for(bob)
        proposal = propose(alice, bob, help_request=request)
        help_request_close(help_request=request)
        pairing_approve(pairing_id=proposal.pk, by=carol)
        request.refresh_from_db()
        assert request.status == HelpRequestStatus.CLOSED
