"""Milestones are awarded from the scheduling events, exactly once per person and milestone, whatever
repeats, duplicates or undoes them; the request that causes them pays no query for it."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from badges import handlers, services
from badges.models import Award, BadgeClass, Milestone
from common.events import Event, send
from mentees.models import HelpRequest
from scheduling.models import EndKind, MentoringSession, Pairing, PairingStatus, SessionStatus
from scheduling.services.pairings import pairing_end
from tests.badges.conftest import approve, past_session
from tests.conftest import make_mentee, make_volunteer
from volunteers.services import volunteer_from_mentee

pytestmark = pytest.mark.django_db


def milestones(person) -> list[str]:
    user = getattr(person, "user", person)
    return sorted(Award.objects.filter(recipient=user).values_list("milestone", flat=True))


class TestFirstSession:
    def test_it_awards_the_mentee_and_the_volunteer_when_a_first_session_is_held(self, pairing, mark, alice, bob):
        mark(past_session(pairing))

        assert milestones(bob) == [Milestone.FIRST_SESSION]
        assert milestones(alice) == [Milestone.PEOPLE_1]

    def test_a_missed_session_awards_nothing(self, pairing, mark, alice, bob):
        mark(past_session(pairing), held=False)

        assert milestones(bob) == milestones(alice) == []

    def test_a_session_marked_held_again_awards_nothing_more(self, pairing, mark, bob):
        session = mark(past_session(pairing))
        mark(session)  # no change, no event
        mark(session, held=False)
        mark(session)  # held again: the count is back at one, the badge exists

        assert milestones(bob) == [Milestone.FIRST_SESSION]

    def test_the_same_event_twice_awards_once(self, pairing, bob, committed):
        session = past_session(pairing)
        MentoringSession.objects.filter(pk=session.pk).update(status=SessionStatus.HELD)

        with committed():
            send(Event.SESSION_MARKED, session=session, held=True)
            send(Event.SESSION_MARKED, session=session, held=True)
        with committed():
            handlers.on_session_marked(session=session, held=True)

        assert milestones(bob) == [Milestone.FIRST_SESSION]

    def test_two_workers_racing_award_once(self, pairing, bob):
        # given the session is held and the first worker has awarded
        session = past_session(pairing)
        MentoringSession.objects.filter(pk=session.pk).update(status=SessionStatus.HELD)
        assert services.award_milestone(user=bob.user, milestone=Milestone.FIRST_SESSION) is not None
        # when the second worker (which checked before the first wrote) tries
        # then the database refuses the duplicate and nothing is added
        assert services.award_milestone(user=bob.user, milestone=Milestone.FIRST_SESSION) is None
        assert Award.objects.filter(recipient=bob.user).count() == 1

    def test_a_session_held_then_undone_before_the_task_runs_awards_nothing(self, pairing, bob, committed):
        from scheduling.services.sessions import session_mark

        session = past_session(pairing)
        with committed():
            session_mark(session=session, by=bob.user, held=True)
            session_mark(session=session, by=bob.user, held=False)

        assert milestones(bob) == []


class TestFiveSessions:
    def test_it_awards_five_sessions_on_the_fifth_once(self, pairing, mark, bob):
        sessions = [past_session(pairing, days_ago=10 - i) for i in range(6)]
        for session in sessions[:4]:
            mark(session)
        assert Milestone.FIVE_SESSIONS not in milestones(bob)

        mark(sessions[4])
        mark(sessions[5])

        assert milestones(bob).count(Milestone.FIVE_SESSIONS) == 1

    def test_an_earned_badge_stays_when_a_session_is_re_marked_missed_and_is_not_awarded_twice(
        self, pairing, mark, bob
    ):
        sessions = [mark(past_session(pairing, days_ago=10 - i)) for i in range(5)]
        assert Milestone.FIVE_SESSIONS in milestones(bob)

        mark(sessions[0], held=False)  # four held now
        award = Award.objects.get(recipient=bob.user, milestone=Milestone.FIVE_SESSIONS)
        assert award.revoked_at is None
        mark(sessions[0])  # five again

        assert Award.objects.filter(recipient=bob.user, milestone=Milestone.FIVE_SESSIONS).count() == 1


class TestVolunteerMilestones:
    def test_hours_mentored_count_only_held_sessions(self, pairing, mark, alice):
        # 3 sessions of 4 hours, one of them missed: 8 hours, then 12
        sessions = [past_session(pairing, days_ago=5 - i, minutes=240) for i in range(3)]
        mark(sessions[0])
        mark(sessions[1], held=False)
        mark(sessions[2])
        assert Milestone.HOURS_10 not in milestones(alice)

        mark(sessions[1])

        assert Milestone.HOURS_10 in milestones(alice)
        assert Milestone.HOURS_50 not in milestones(alice)

    def test_ten_hours_are_reached_on_the_minute(self, pairing, alice):
        for days_ago, minutes in ((3, 300), (2, 299)):
            held = past_session(pairing, days_ago=days_ago, minutes=minutes)
            MentoringSession.objects.filter(pk=held.pk).update(status=SessionStatus.HELD)
        assert Milestone.HOURS_10 not in services.milestones_reached(user=alice.user)

        MentoringSession.objects.filter(pk=held.pk).update(end=held.end + timedelta(minutes=1))

        assert Milestone.HOURS_10 in services.milestones_reached(user=alice.user)

    def test_people_mentored_counts_different_mentees(self, org_a, carol, alice, mark):
        # given alice has held sessions with four mentees in earlier, ended pairings
        for n in range(4):
            mentee = make_mentee(org_a, f"m{n}@example.org", f"M{n}")
            earlier = Pairing.objects.create(
                organisation=org_a, mentee=mentee, volunteer=alice, status=PairingStatus.ENDED
            )
            MentoringSession.objects.filter(pk=past_session(earlier, days_ago=30).pk).update(status=SessionStatus.HELD)
        # when a session with a fifth is held
        fifth = make_mentee(org_a, "fifth@example.org", "Fifth")
        mark(past_session(approve(org_a, carol, fifth, alice)))

        assert Milestone.PEOPLE_1 in milestones(alice)
        assert Milestone.PEOPLE_5 in milestones(alice)
        assert Milestone.PEOPLE_10 not in milestones(alice)

    def test_a_mentee_never_gets_volunteer_milestones_nor_a_volunteer_mentee_ones(self, pairing, mark, alice, bob):
        for i in range(5):
            mark(past_session(pairing, days_ago=10 - i, minutes=240))

        assert set(milestones(bob)) == {Milestone.FIRST_SESSION, Milestone.FIVE_SESSIONS}
        assert set(milestones(alice)) == {Milestone.PEOPLE_1, Milestone.HOURS_10}


class TestPairingCompleted:
    def test_a_completed_pairing_awards_completion_and_the_solved_request(self, org_a, carol, alice, bob, committed):
        request = HelpRequest.objects.create(organisation=org_a, mentee=bob, description="CV")
        pairing = Pairing.objects.create(organisation=org_a, mentee=bob, volunteer=alice, help_request=request)
        from scheduling.services.pairings import pairing_approve

        pairing_approve(pairing_id=pairing.pk, by=carol)

        with committed():
            pairing_end(pairing_id=pairing.pk, by=carol, kind=EndKind.COMPLETED, reason="done")

        assert milestones(bob) == sorted([Milestone.PAIRING_COMPLETED, Milestone.FIRST_HELP_REQUEST_SOLVED])

    def test_a_cancelled_pairing_awards_nothing(self, pairing, carol, bob, committed):
        with committed():
            pairing_end(pairing_id=pairing.pk, by=carol, kind=EndKind.CANCELLED, reason="moved away")

        assert milestones(bob) == []

    def test_a_second_completed_pairing_or_a_repeated_event_awards_nothing_more(
        self, org_a, carol, alice, victor, bob, committed
    ):
        first = approve(org_a, carol, bob, alice)
        with committed():
            pairing_end(pairing_id=first.pk, by=carol, kind=EndKind.COMPLETED, reason="done")
        second = approve(org_a, carol, bob, victor)
        with committed():
            pairing_end(pairing_id=second.pk, by=carol, kind=EndKind.COMPLETED, reason="done")
            send(Event.PAIRING_COMPLETED, pairing=second)

        assert milestones(bob) == [Milestone.PAIRING_COMPLETED]


class TestThreeMonths:
    def test_the_daily_sweep_awards_three_months_after_the_first_session_once(self, pairing, bob):
        held = past_session(pairing, days_ago=100)
        MentoringSession.objects.filter(pk=held.pk).update(status=SessionStatus.HELD)  # no event since

        from badges.tasks import three_months_sweep

        assert three_months_sweep.delay().get() == 1
        assert three_months_sweep.delay().get() == 0

        assert milestones(bob).count(Milestone.THREE_MONTHS) == 1

    def test_it_is_not_awarded_before_three_months(self, pairing, mark, bob):
        mark(past_session(pairing, days_ago=60))

        assert services.three_months_sweep() == 0
        assert Milestone.THREE_MONTHS not in milestones(bob)

    def test_it_comes_when_time_passes_without_any_event(self, pairing, mark, bob):
        mark(past_session(pairing, days_ago=60))

        assert services.three_months_sweep(now=timezone.now() + timedelta(days=40)) == 1
        assert Milestone.THREE_MONTHS in milestones(bob)

    def test_an_ended_mentoring_without_a_session_after_three_months_does_not_reach_it(self, pairing, bob):
        held = past_session(pairing, days_ago=100)
        MentoringSession.objects.filter(pk=held.pk).update(status=SessionStatus.HELD)
        Pairing.objects.filter(pk=pairing.pk).update(status=PairingStatus.ENDED)

        assert services.three_months_sweep() == 0

    def test_an_ended_mentoring_with_a_session_held_after_three_months_reaches_it(self, pairing, bob):
        # given bob's first session was 200 days ago and one more was held 10 days ago; the pairing has ended
        for days_ago in (200, 10):
            held = past_session(pairing, days_ago=days_ago)
            MentoringSession.objects.filter(pk=held.pk).update(status=SessionStatus.HELD)
        Pairing.objects.filter(pk=pairing.pk).update(status=PairingStatus.ENDED)

        assert services.three_months_sweep() == 1
        assert Milestone.THREE_MONTHS in milestones(bob)

    def test_the_sweep_counts_every_mentee_it_awards(self, org_a, carol, alice, pairing, bob):
        dana = make_mentee(org_a, "dana@example.org", "Dana")
        for each in (pairing, approve(org_a, carol, dana, alice)):
            held = past_session(each, days_ago=100)
            MentoringSession.objects.filter(pk=held.pk).update(status=SessionStatus.HELD)

        assert services.three_months_sweep() == 2
        assert Milestone.THREE_MONTHS in milestones(bob)
        assert Milestone.THREE_MONTHS in milestones(dana)


class TestCheck:
    def test_it_returns_the_awards_it_made(self, pairing, bob):
        held = past_session(pairing, days_ago=3)
        MentoringSession.objects.filter(pk=held.pk).update(status=SessionStatus.HELD)  # no event

        awarded = services.milestones_check(user_id=bob.user.pk)

        assert [award.milestone for award in awarded] == [Milestone.FIRST_SESSION]
        assert awarded == list(Award.objects.filter(recipient=bob.user))
        assert services.milestones_check(user_id=bob.user.pk) == []

    def test_what_another_person_holds_does_not_count_as_held(self, org_a, carol, alice, pairing, bob):
        dana = make_mentee(org_a, "dana@example.org", "Dana")
        for each in (approve(org_a, carol, dana, alice), pairing):
            held = past_session(each, days_ago=3)
            MentoringSession.objects.filter(pk=held.pk).update(status=SessionStatus.HELD)
        services.milestones_check(user_id=dana.user.pk)

        assert [award.milestone for award in services.milestones_check(user_id=bob.user.pk)] == [
            Milestone.FIRST_SESSION
        ]

    def test_awards_take_consecutive_places_in_the_status_list_from_zero(self, pairing, alice, bob):
        held = past_session(pairing, days_ago=3)
        MentoringSession.objects.filter(pk=held.pk).update(status=SessionStatus.HELD)

        first = services.milestones_check(user_id=bob.user.pk) + services.milestones_check(user_id=alice.user.pk)

        assert sorted(award.status_index for award in first) == list(range(len(first)))
        assert len(first) >= 2
        assert {(award.evidence_text, award.evidence_url) for award in first} == {("", "")}

    def test_it_counts_from_the_moment_it_is_given(self, pairing, bob):
        held = past_session(pairing, days_ago=60)
        MentoringSession.objects.filter(pk=held.pk).update(status=SessionStatus.HELD)

        later = services.milestones_check(user_id=bob.user.pk, now=timezone.now() + timedelta(days=40))

        assert Milestone.THREE_MONTHS in [award.milestone for award in later]

    def test_another_pairs_sessions_count_nothing_for_a_mentee_or_volunteer(
        self, org_a, carol, alice, victor, pairing, bob
    ):
        dana = make_mentee(org_a, "dana@example.org", "Dana")
        danas = approve(org_a, carol, dana, alice)
        held = past_session(danas, days_ago=3)
        MentoringSession.objects.filter(pk=held.pk).update(status=SessionStatus.HELD)
        Pairing.objects.filter(pk=danas.pk).update(status=PairingStatus.ENDED, end_kind=EndKind.COMPLETED)

        assert services.milestones_reached(user=bob.user) == set()
        assert services.milestones_reached(user=victor.user) == set()
        assert services.milestones_reached(user=dana.user) == {Milestone.FIRST_SESSION, Milestone.PAIRING_COMPLETED}

    def test_three_months_are_reached_on_the_day_they_are_complete(self, pairing, bob):
        held = past_session(pairing, days_ago=10)
        MentoringSession.objects.filter(pk=held.pk).update(status=SessionStatus.HELD)

        on_the_day = services.milestones_reached(user=bob.user, now=held.start + services.THREE_MONTHS)
        a_moment_before = services.milestones_reached(
            user=bob.user, now=held.start + services.THREE_MONTHS - timedelta(seconds=1)
        )

        assert Milestone.THREE_MONTHS in on_the_day
        assert Milestone.THREE_MONTHS not in a_moment_before

    def test_the_pair_of_a_missing_session_or_pairing_is_nobody(self, pairing, alice, bob):
        assert services.pair_user_ids(pairing_id=pairing.pk) == [bob.user.pk, alice.user.pk]
        assert services.pair_user_ids(session_id=0) == services.pair_user_ids(pairing_id=0) == []

    @pytest.mark.parametrize("change", [{"is_active": False}, {"erased_at": timezone.now()}])
    def test_a_deactivated_or_erased_account_is_awarded_nothing(self, pairing, bob, change):
        held = past_session(pairing, days_ago=3)
        MentoringSession.objects.filter(pk=held.pk).update(status=SessionStatus.HELD)
        type(bob.user).objects.filter(pk=bob.user.pk).update(**change)

        assert services.milestones_check(user_id=bob.user.pk) == []
        assert milestones(bob) == []


class TestPeerMentor:
    def test_a_former_mentee_who_becomes_a_volunteer_is_a_peer_mentor(self, pairing, carol, bob, committed):
        with committed():
            pairing_end(pairing_id=pairing.pk, by=carol, kind=EndKind.COMPLETED, reason="done")
        with committed():
            volunteer_from_mentee(user=bob.user, bio="I help newcomers with CVs")

        assert Milestone.PEER_MENTOR in milestones(bob)
        assert Milestone.PAIRING_COMPLETED in milestones(bob)  # earned as a mentee, kept

    def test_a_new_volunteer_is_not_a_peer_mentor(self, org_a, committed):
        with committed():
            volunteer = make_volunteer(org_a, "new@example.org", "New")

        assert milestones(volunteer) == []

    def test_a_mentee_still_being_mentored_cannot_switch(self, pairing, bob):
        from volunteers.services import NotAFormerMentee

        with pytest.raises(NotAFormerMentee):
            volunteer_from_mentee(user=bob.user)


def test_a_retired_milestone_badge_is_awarded_no_more(org_a, pairing, mark, bob, carol):
    badge_class = services.milestone_badge_class(organisation_id=org_a.pk, milestone=Milestone.FIRST_SESSION)
    services.badge_class_retire(badge_class=badge_class, by=carol)

    mark(past_session(pairing))

    assert milestones(bob) == []


def test_milestone_badges_speak_of_skills_not_status():
    from badges.models import MILESTONE_TEXTS

    words = ("refugee", "migrant", "minor", "asylum", "newcomer status", "young")
    for milestone in Milestone:
        texts = [str(milestone.label), *(str(text) for text in MILESTONE_TEXTS[milestone][:2])]
        assert not any(word in text.lower() for text in texts for word in words), milestone


def test_marking_a_session_held_costs_the_request_no_query_for_badges(pairing, alice, django_assert_num_queries):
    from common.events import _signals
    from scheduling.services.sessions import session_mark

    def queries_of_marking(session) -> int:
        with CaptureQueriesContext(connection) as captured:
            session_mark(session=session, by=alice.user, held=True)
        return len(captured)

    # given the cost of marking with badges not listening
    event = Event.SESSION_MARKED
    assert _signals[event].disconnect(dispatch_uid=(event, handlers.on_session_marked))
    try:
        without_badges = queries_of_marking(past_session(pairing, days_ago=2))
    finally:
        from common.events import connect

        connect(event, handlers.on_session_marked)

    # then with badges listening, the request costs the same: the awarding waits for the task
    session = past_session(pairing, days_ago=1)
    with django_assert_num_queries(without_badges):
        session_mark(session=session, by=alice.user, held=True)
    assert BadgeClass.objects.count() == 0
    assert Award.objects.count() == 0


def test_a_failure_while_awarding_never_fails_the_marking(pairing, mark, bob, monkeypatch):
    def broken(**kwargs):
        raise RuntimeError("counting failed")

    monkeypatch.setattr(services, "milestones_check", broken)

    session = mark(past_session(pairing))

    assert MentoringSession.objects.get(pk=session.pk).status == SessionStatus.HELD
    assert milestones(bob) == []
