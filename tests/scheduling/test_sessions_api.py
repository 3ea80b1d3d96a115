"""The sessions API: the two people of a current pairing book sessions when both are available (or inside a
slot of their organisation), mark them held or missed once started, cancel them saying why; coordinators
read them; nobody else sees them."""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from common.events import Event
from mentees.services import consent_record
from scheduling.models import MentoringSession, Pairing, PairingStatus, SessionStatus
from scheduling.services.availability import availability_replace
from scheduling.services.pairings import pairing_approve, pairing_end
from scheduling.services.sessions import session_book
from scheduling.services.slots import slot_create
from tests.conftest import make_volunteer, vet

pytestmark = pytest.mark.django_db

MADRID = ZoneInfo("Europe/Madrid")
DAYTIME = [(day, 8 * 60, 22 * 60) for day in range(7)]  # every day 08:00-22:00, local time


def madrid(days: int, hour: int, minute: int = 0) -> datetime:
    """Local time in Madrid, `days` from today."""
    return datetime.combine(timezone.localdate() + timedelta(days=days), time(hour, minute), tzinfo=MADRID)


def body(pairing, start: datetime, minutes: int = 60, **extra) -> dict:
    return {
        "pairing": pairing.pk,
        "start": start.isoformat(),
        "end": (start + timedelta(minutes=minutes)).isoformat(),
        **extra,
    }


def stored() -> list:
    """Everything booking, marking and cancelling may write, to show a refused call changed nothing."""
    return [
        list(MentoringSession.objects.order_by("pk").values()),
        list(Pairing.objects.order_by("pk").values_list("pk", "status")),
    ]


def approve(org, coordinator, mentee, volunteer) -> Pairing:
    pairing = Pairing.objects.create(organisation=org, mentee=mentee, volunteer=volunteer)
    return pairing_approve(pairing_id=pairing.pk, by=coordinator)


@pytest.fixture
def pairing(org_a, carol, alice, bob) -> Pairing:
    """Alice mentors bob; both are free every day from 08:00 to 22:00 in Madrid."""
    availability_replace(user=alice.user, windows=DAYTIME)
    availability_replace(user=bob.user, windows=DAYTIME)
    return approve(org_a, carol, bob, alice)


@pytest.fixture
def session(pairing, bob) -> MentoringSession:
    start = madrid(3, 10)
    return session_book(pairing=pairing, by=bob.user, start=start, end=start + timedelta(hours=1))


@pytest.fixture
def outsiders(victor, eve, mallory, org_b):
    """People who may not see alice and bob's sessions: others of the organisation and of another one."""
    return [victor, eve, mallory, make_volunteer(org_b, "olga@nicosia.example", "Olga")]


class TestBook:
    @pytest.mark.parametrize("who", ["alice", "bob"])
    def test_a_member_books_a_session_when_both_are_available(self, api, request, pairing, who):
        person = request.getfixturevalue(who)
        response = api(person).post("/api/sessions/", body(pairing, madrid(3, 18)), format="json")
        assert response.status_code == 201, response.json()
        assert (response.json()["status"], response.json()["booked_by"]) == ("booked", person.user.pk)
        session = MentoringSession.objects.get(pk=response.json()["id"])
        assert (session.pairing, session.start, session.end, session.slot) == (
            pairing,
            madrid(3, 18),
            madrid(3, 19),
            None,
        )
        pairing.refresh_from_db()
        assert pairing.status == PairingStatus.ACTIVE  # the first session starts the mentoring

    @pytest.mark.parametrize(("minutes", "start_hour"), [(15, 21), (240, 8)])
    def test_the_shortest_and_longest_sessions_are_allowed(self, api, pairing, bob, minutes, start_hour):
        start = madrid(3, start_hour, 45 if minutes == 15 else 0)
        assert api(bob).post("/api/sessions/", body(pairing, start, minutes), format="json").status_code == 201

    def test_coordinators_cannot_book(self, api, pairing, carol, dave):
        before = stored()
        for person in (carol, dave):
            assert api(person).post("/api/sessions/", body(pairing, madrid(3, 18)), format="json").status_code == 403
        assert stored() == before

    def test_anonymous_callers_cannot_book(self, api, pairing):
        assert api(None).post("/api/sessions/", body(pairing, madrid(3, 18)), format="json").status_code == 401
        assert not MentoringSession.objects.exists()

    def test_someone_elses_pairing_is_not_a_valid_choice(self, api, pairing, outsiders):
        before = stored()
        for person in outsiders:
            response = api(person).post("/api/sessions/", body(pairing, madrid(3, 18)), format="json")
            assert response.status_code == 400
            assert "pairing" in response.json()
        assert stored() == before

    @pytest.mark.parametrize("state", ["proposed", "rejected", "ended", "suspended"])
    def test_a_pairing_that_is_not_current_is_not_a_valid_choice(self, api, org_a, carol, alice, bob, state):
        pairing = Pairing.objects.create(organisation=org_a, mentee=bob, volunteer=alice)
        if state == "ended":
            pairing_approve(pairing_id=pairing.pk, by=carol)
            pairing_end(pairing_id=pairing.pk, by=carol, kind="cancelled", reason="Moved away")
        elif state != "proposed":
            Pairing.objects.filter(pk=pairing.pk).update(status=state)
        availability_replace(user=alice.user, windows=DAYTIME)
        availability_replace(user=bob.user, windows=DAYTIME)
        before = stored()
        response = api(bob).post("/api/sessions/", body(pairing, madrid(3, 18)), format="json")
        assert response.status_code == 400
        assert "pairing" in response.json()
        assert stored() == before

    def test_it_refuses_a_time_one_of_them_is_not_available_naming_who(self, api, pairing, alice, bob):
        availability_replace(user=bob.user, windows=[(day, 17 * 60, 19 * 60) for day in range(7)])
        before = stored()
        response = api(alice).post("/api/sessions/", body(pairing, madrid(3, 18, 30)), format="json")
        assert response.status_code == 400
        assert "Bob is not available" in response.json()["start"][0]
        assert stored() == before

    def test_inside_an_organisation_slot_no_common_availability_is_needed(self, api, org_a, carol, pairing, bob):
        # given a slot early in the morning, when neither is available
        slot = slot_create(
            organisation=org_a, created_by=carol, start=madrid(3, 6), end=madrid(3, 8), topic="Early birds"
        )
        # when they book a session inside it, then it is booked in the slot
        response = api(bob).post("/api/sessions/", body(pairing, madrid(3, 6, 30), slot=slot.pk), format="json")
        assert response.status_code == 201, response.json()
        assert MentoringSession.objects.get().slot == slot
        # and outside any slot that time is refused
        response = api(bob).post("/api/sessions/", body(pairing, madrid(4, 6, 30)), format="json")
        assert response.status_code == 400
        assert "start" in response.json()

    def test_a_session_may_fill_its_slot_from_start_to_end(self, api, org_a, carol, pairing, bob):
        slot = slot_create(
            organisation=org_a, created_by=carol, start=madrid(3, 6), end=madrid(3, 8), topic="Early birds"
        )
        response = api(bob).post("/api/sessions/", body(pairing, madrid(3, 6), 120, slot=slot.pk), format="json")
        assert response.status_code == 201, response.json()

    def test_a_session_must_fall_inside_its_slot(self, api, org_a, carol, pairing, bob):
        slot = slot_create(
            organisation=org_a, created_by=carol, start=madrid(3, 6), end=madrid(3, 8), topic="Early birds"
        )
        before = stored()
        response = api(bob).post("/api/sessions/", body(pairing, madrid(3, 7, 30), slot=slot.pk), format="json")
        assert response.status_code == 400
        assert "inside the slot" in response.json()["start"][0]
        assert stored() == before

    def test_a_slot_of_another_organisation_is_not_a_valid_choice(self, api, org_b, dave, pairing, bob):
        slot = slot_create(organisation=org_b, created_by=dave, start=madrid(3, 6), end=madrid(3, 8), topic="Theirs")
        before = stored()
        response = api(bob).post("/api/sessions/", body(pairing, madrid(3, 6, 30), slot=slot.pk), format="json")
        assert response.status_code == 400
        assert "slot" in response.json()
        assert stored() == before

    @pytest.mark.parametrize(
        ("change", "field"),
        [
            (lambda b: {"start": madrid(-1, 10).isoformat(), "end": madrid(-1, 11).isoformat()}, "start"),
            (lambda b: {"end": madrid(3, 10, 10).isoformat()}, "end"),
            (lambda b: {"end": madrid(3, 14, 1).isoformat()}, "end"),
            (lambda b: {"end": madrid(3, 9).isoformat()}, "end"),
            (lambda b: {"end": b["start"]}, "end"),
            (lambda b: {"start": None}, "start"),
            (lambda b: {"start": "soon"}, "start"),
            (lambda b: {"pairing": None}, "pairing"),
            (lambda b: {"pairing": 999_999}, "pairing"),
        ],
        ids=[
            "in-the-past",
            "10-minutes",
            "over-4h",
            "end-before-start",
            "no-length",
            "no-start",
            "unreadable-start",
            "no-pairing",
            "unknown-pairing",
        ],
    )
    def test_it_refuses_a_bad_session_naming_the_field_and_books_nothing(self, api, pairing, bob, change, field):
        data = body(pairing, madrid(3, 10))
        data.update(change(data))
        before = stored()
        response = api(bob).post("/api/sessions/", data, format="json")
        assert response.status_code == 400
        assert field in response.json(), response.json()
        assert stored() == before

    def test_it_says_why_a_session_is_too_short(self, api, pairing, bob):
        response = api(bob).post("/api/sessions/", body(pairing, madrid(3, 10), minutes=14), format="json")
        assert response.status_code == 400
        assert response.json()["end"] == ["A session lasts between 15 minutes and 4 hours."]

    def test_it_refuses_a_session_starting_this_very_moment_saying_why(self, api, pairing, bob, monkeypatch):
        start = madrid(3, 10)
        monkeypatch.setattr(timezone, "now", lambda: start)
        before = stored()
        response = api(bob).post("/api/sessions/", body(pairing, start), format="json")
        assert response.status_code == 400
        assert response.json()["start"] == ["A session must start in the future."]
        assert stored() == before

    def test_it_refuses_a_session_overlapping_another_of_the_pair(self, api, pairing, session, alice):
        before = stored()
        response = api(alice).post(
            "/api/sessions/", body(pairing, session.start + timedelta(minutes=30)), format="json"
        )
        assert response.status_code == 400
        assert "already has a session" in response.json()["start"][0]
        assert stored() == before
        assert api(alice).post("/api/sessions/", body(pairing, session.end), format="json").status_code == 201
        one_before = session.start - timedelta(hours=1)
        assert api(alice).post("/api/sessions/", body(pairing, one_before), format="json").status_code == 201

    def test_a_cancelled_session_frees_its_time(self, api, pairing, session, bob):
        api(bob).post(f"/api/sessions/{session.pk}/cancel/", {"reason": "Ill"}, format="json")
        response = api(bob).post("/api/sessions/", body(pairing, session.start), format="json")
        assert response.status_code == 201

    def test_a_volunteer_cannot_be_booked_into_two_sessions_at_once(
        self, api, org_a, carol, pairing, session, eve, alice
    ):
        # given alice, who mentors bob and eve, has a session with bob from 10:00 to 11:00
        availability_replace(user=eve.user, windows=DAYTIME)
        with_eve = approve(org_a, carol, eve, alice)
        before = stored()
        # when eve books alice from 10:30
        response = api(eve).post("/api/sessions/", body(with_eve, session.start + timedelta(minutes=30)), format="json")
        # then alice cannot be in two places at once
        assert response.status_code == 400
        assert "start" in response.json()
        assert stored() == before

    def test_a_mentee_still_in_a_session_of_an_ended_pairing_cannot_book_over_it(
        self, api, monkeypatch, org_a, carol, pairing, bob, victor
    ):
        # given bob's session with alice is under way when their pairing ends (a started session stays booked)
        session = MentoringSession.objects.create(
            pairing=pairing, organisation=org_a, start=madrid(3, 10), end=madrid(3, 11), booked_by=bob.user
        )
        now, overlapping = madrid(3, 10, 30), madrid(3, 10, 45)
        monkeypatch.setattr(timezone, "now", lambda: now)
        pairing_end(pairing_id=pairing.pk, by=carol, kind="cancelled", reason="Moved away")
        availability_replace(user=victor.user, windows=DAYTIME)
        with_victor = approve(org_a, carol, bob, victor)
        before = stored()
        # when bob books victor for a time that overlaps it
        response = api(bob).post("/api/sessions/", body(with_victor, overlapping), format="json")
        # then bob cannot be in two sessions at once
        assert response.status_code == 400
        assert "already has a session" in response.json()["start"][0]
        assert stored() == before
        assert MentoringSession.objects.get(pk=session.pk).status == SessionStatus.BOOKED

    def test_a_minor_cannot_book_a_volunteer_whose_vetting_lapsed_before_the_sweep_ran(
        self, api, org_a, carol, alice, mia
    ):
        # given mia (a minor, with consent) was paired with alice while alice's check was current
        consent_record(
            mentee=mia, guardian_name="Amal", given_on=timezone.localdate(), method="in_person", recorded_by=carol
        )
        vet(alice, carol)
        availability_replace(user=alice.user, windows=DAYTIME)
        availability_replace(user=mia.user, windows=DAYTIME)
        with_mia = approve(org_a, carol, mia, alice)
        # when alice's check expires and mia books before the hourly sweep suspends the pairing
        alice.vetting_expires_on = timezone.localdate() - timedelta(days=1)
        alice.save()
        before = stored()
        response = api(mia).post("/api/sessions/", body(with_mia, madrid(3, 18)), format="json")
        # then safeguarding refuses the session, saying why
        assert response.status_code == 400
        assert "background check is current" in response.json()["non_field_errors"][0]
        assert stored() == before


class TestMark:
    @pytest.mark.parametrize(
        ("who", "action", "status"),
        [
            ("alice", "held", "held"),
            ("bob", "held", "held"),
            ("alice", "missed", "missed"),
            ("bob", "missed", "missed"),
        ],
    )
    def test_a_member_marks_a_session_once_it_has_started(
        self, api, request, session, monkeypatch, who, action, status
    ):
        person = request.getfixturevalue(who)
        later = session.start + timedelta(minutes=5)
        monkeypatch.setattr(timezone, "now", lambda: later)
        response = api(person).post(f"/api/sessions/{session.pk}/{action}/")
        assert response.status_code == 200, response.json()
        assert response.json()["status"] == status
        session.refresh_from_db()
        assert (session.status, session.marked_by) == (status, person.user)

    @pytest.mark.parametrize("action", ["held", "missed"])
    def test_it_refuses_to_mark_a_session_before_it_starts(self, api, session, alice, monkeypatch, action):
        just_before = session.start - timedelta(seconds=1)
        monkeypatch.setattr(timezone, "now", lambda: just_before)
        before = stored()
        response = api(alice).post(f"/api/sessions/{session.pk}/{action}/")
        assert response.status_code == 400
        assert "status" in response.json()
        assert stored() == before

    def test_a_session_can_be_marked_at_the_moment_it_starts(self, api, session, alice, monkeypatch):
        monkeypatch.setattr(timezone, "now", lambda: session.start)
        response = api(alice).post(f"/api/sessions/{session.pk}/held/")
        assert response.status_code == 200, response.json()
        assert response.json()["status"] == "held"

    def test_marking_tells_of_each_change_once_and_of_no_repeat(self, api, session, alice, bob, monkeypatch, heard):
        later = session.end + timedelta(days=1)
        monkeypatch.setattr(timezone, "now", lambda: later)
        heard.clear()
        for who, action in [(alice, "held"), (bob, "held"), (bob, "missed")]:
            assert api(who).post(f"/api/sessions/{session.pk}/{action}/").status_code == 200
        marked = [(payload["session"].pk, payload["held"]) for event, payload in heard if event == Event.SESSION_MARKED]
        # the milestone counters hear of the held session and of its correction, not of the repeats
        assert marked == [(session.pk, True), (session.pk, False)]

    def test_a_held_session_can_be_corrected_to_missed(self, api, session, alice, bob, monkeypatch):
        later = session.end + timedelta(days=1)
        monkeypatch.setattr(timezone, "now", lambda: later)
        api(alice).post(f"/api/sessions/{session.pk}/held/")
        assert api(bob).post(f"/api/sessions/{session.pk}/missed/").json()["status"] == "missed"

    @pytest.mark.parametrize("action", ["held", "missed"])
    def test_a_cancelled_session_cannot_be_marked(self, api, session, alice, bob, monkeypatch, action):
        api(bob).post(f"/api/sessions/{session.pk}/cancel/", {"reason": "Ill"}, format="json")
        later = session.end + timedelta(hours=1)
        monkeypatch.setattr(timezone, "now", lambda: later)
        before = stored()
        response = api(alice).post(f"/api/sessions/{session.pk}/{action}/")
        assert response.status_code == 400
        assert "status" in response.json()
        assert stored() == before

    @pytest.mark.parametrize("action", ["held", "missed"])
    def test_coordinators_see_but_may_not_mark(self, api, session, carol, dave, monkeypatch, action):
        later = session.end + timedelta(hours=1)
        monkeypatch.setattr(timezone, "now", lambda: later)
        before = stored()
        for person in (carol, dave):
            assert api(person).post(f"/api/sessions/{session.pk}/{action}/").status_code == 403
        assert stored() == before

    @pytest.mark.parametrize("action", ["held", "missed", "cancel"])
    def test_people_outside_the_pairing_get_404(self, api, session, outsiders, monkeypatch, action):
        later = session.end + timedelta(hours=1)
        monkeypatch.setattr(timezone, "now", lambda: later)
        before = stored()
        for person in outsiders:
            response = api(person).post(f"/api/sessions/{session.pk}/{action}/", {"reason": "Mine"}, format="json")
            assert response.status_code == 404
        assert stored() == before

    @pytest.mark.parametrize(
        ("method", "suffix"),
        [
            ("get", ""),
            ("post", "held/"),
            ("post", "missed/"),
            ("post", "cancel/"),
        ],
    )
    def test_anonymous_callers_get_401_on_an_existing_session(self, api, session, method, suffix):
        before = stored()
        response = getattr(api(None), method)(f"/api/sessions/{session.pk}/{suffix}", {"reason": "x"}, format="json")
        assert response.status_code == 401
        assert stored() == before


class TestCancel:
    @pytest.mark.parametrize("who", ["alice", "bob"])
    def test_a_member_cancels_a_booked_session_saying_why(self, api, request, session, who):
        person = request.getfixturevalue(who)
        response = api(person).post(
            f"/api/sessions/{session.pk}/cancel/", {"reason": "Job interview that day"}, format="json"
        )
        assert response.status_code == 200
        assert (response.json()["status"], response.json()["cancelled_by"], response.json()["cancel_reason"]) == (
            "cancelled",
            person.user.pk,
            "Job interview that day",
        )
        session.refresh_from_db()
        assert (session.status, session.cancelled_by, session.cancel_reason) == (
            SessionStatus.CANCELLED,
            person.user,
            "Job interview that day",
        )

    @pytest.mark.parametrize(
        "data",
        [{}, {"reason": ""}, {"reason": "  "}, {"reason": "x" * 501}],
        ids=["missing", "empty", "blank", "too-long"],
    )
    def test_it_refuses_a_cancellation_without_a_proper_reason(self, api, session, bob, data):
        before = stored()
        response = api(bob).post(f"/api/sessions/{session.pk}/cancel/", data, format="json")
        assert response.status_code == 400
        assert "reason" in response.json()
        assert stored() == before

    def test_only_a_booked_session_can_be_cancelled(self, api, session, alice, bob):
        api(bob).post(f"/api/sessions/{session.pk}/cancel/", {"reason": "Ill"}, format="json")
        before = stored()
        response = api(alice).post(f"/api/sessions/{session.pk}/cancel/", {"reason": "Me too"}, format="json")
        assert response.status_code == 400
        assert "status" in response.json()
        assert stored() == before
        # the first cancellation is what stays on record
        session.refresh_from_db()
        assert (session.cancelled_by, session.cancel_reason) == (bob.user, "Ill")

    def test_a_held_session_cannot_be_cancelled(self, api, session, alice, monkeypatch):
        later = session.end + timedelta(hours=1)
        monkeypatch.setattr(timezone, "now", lambda: later)
        api(alice).post(f"/api/sessions/{session.pk}/held/")
        before = stored()
        response = api(alice).post(f"/api/sessions/{session.pk}/cancel/", {"reason": "Oops"}, format="json")
        assert response.status_code == 400
        assert "status" in response.json()
        assert stored() == before

    def test_coordinators_may_not_cancel(self, api, session, carol, dave):
        before = stored()
        for person in (carol, dave):
            response = api(person).post(f"/api/sessions/{session.pk}/cancel/", {"reason": "Room closed"}, format="json")
            assert response.status_code == 403
        assert stored() == before


class TestRead:
    def test_members_and_their_coordinator_see_the_sessions(self, api, session, alice, bob, carol):
        for person in (alice, bob, carol):
            listed = api(person).get("/api/sessions/").json()["results"]
            assert [s["id"] for s in listed] == [session.pk]
            assert api(person).get(f"/api/sessions/{session.pk}/").json()["pairing"] == session.pairing_id

    def test_nobody_else_sees_them(self, api, session, outsiders, dave):
        for person in [*outsiders, dave]:
            assert api(person).get("/api/sessions/").json()["results"] == []
            assert api(person).get(f"/api/sessions/{session.pk}/").status_code == 404

    def test_anonymous_callers_cannot_list(self, api, session):
        assert api(None).get("/api/sessions/").status_code == 401

    def test_the_list_costs_the_same_number_of_queries_however_many_sessions(
        self, api, org_a, carol, pairing, session, bob, victor, eve, django_assert_num_queries
    ):
        with django_assert_num_queries(2):  # count, page
            assert len(api(carol).get("/api/sessions/").json()["results"]) == 1
        for days in range(4, 9):
            session_book(pairing=pairing, by=bob.user, start=madrid(days, 10), end=madrid(days, 11))
        availability_replace(user=victor.user, windows=DAYTIME)
        availability_replace(user=eve.user, windows=DAYTIME)
        other = approve(org_a, carol, eve, victor)
        for days in range(4, 7):
            session_book(pairing=other, by=eve.user, start=madrid(days, 12), end=madrid(days, 13))
        with django_assert_num_queries(2):
            assert len(api(carol).get("/api/sessions/").json()["results"]) == 9
        with django_assert_num_queries(2):
            assert len(api(bob).get("/api/sessions/").json()["results"]) == 6
