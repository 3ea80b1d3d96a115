"""The slots API: who sees and changes a slot, what a slot may be, and volunteers' sign-ups and mentees'
bookings with their rules (places, overlaps, safeguarding, one-to-one slots)."""

from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from accounts.models import Language, Skill
from mentees.services import consent_record
from scheduling.models import Pairing, Slot, SlotBooking, SlotSignup
from scheduling.services.pairings import pairing_approve, pairing_end
from scheduling.services.slots import slot_booking_create, slot_create, slot_signup_create
from tests.conftest import make_volunteer, vet

pytestmark = pytest.mark.django_db


def in_days(days: float, hour: int = 10):
    """An aware time `days` from now, on the hour (UTC)."""
    moment = timezone.now() + timedelta(days=days)
    return moment.replace(hour=hour, minute=0, second=0, microsecond=0)


def a_slot(
    org,
    by,
    *,
    start=None,
    hours: float = 1,
    topic: str = "CV clinic",
    volunteers_needed: int = 2,
    mentee_places: int = 3,
    host=None,
    languages=(),
    skills=(),
    **fields,
) -> Slot:
    start = start or in_days(3)
    return slot_create(
        organisation=org,
        created_by=by,
        host=host,
        start=start,
        end=start + timedelta(hours=hours),
        topic=topic,
        volunteers_needed=volunteers_needed,
        mentee_places=mentee_places,
        languages=Language.objects.filter(code__in=languages),
        skills=Skill.objects.filter(slug__in=skills),
        **fields,
    )


def payload(**overrides) -> dict:
    start = in_days(4)
    body = {
        "start": start.isoformat(),
        "end": (start + timedelta(hours=2)).isoformat(),
        "topic": "Python basics",
        "languages": ["ar", "en"],
        "skills": ["python"],
        "volunteers_needed": 2,
        "mentee_places": 6,
        "online": False,
        "place": "Calle Mayor 1, Madrid",
    }
    body.update(overrides)
    return body


def stored() -> list:
    """Everything the slots API may write, to show a refused call changed nothing."""
    return [
        list(Slot.objects.order_by("pk").values()),
        list(Slot.languages.through.objects.order_by("pk").values_list("slot_id", "language_id")),
        list(Slot.skills.through.objects.order_by("pk").values_list("slot_id", "skill_id")),
        list(SlotSignup.objects.order_by("pk").values_list("slot_id", "volunteer_id")),
        list(SlotBooking.objects.order_by("pk").values_list("slot_id", "mentee_id")),
    ]


def consented(mentee, by):
    consent_record(
        mentee=mentee, guardian_name="Amal", given_on=timezone.localdate(), method="signed_form", recorded_by=by
    )
    mentee.refresh_from_db()
    return mentee


@pytest.fixture
def slot(org_a, carol) -> Slot:
    return a_slot(org_a, carol, languages=["ar"], skills=["cv-writing"])


@pytest.fixture
def other_slot(org_b, dave) -> Slot:
    return a_slot(org_b, dave, topic="Greek for beginners")


@pytest.fixture
def volunteer_b(org_b):
    return make_volunteer(org_b, "olga@nicosia.example", "Olga")


class TestListAndRead:
    def test_organisation_members_see_only_their_organisations_slots(
        self, api, slot, other_slot, carol, alice, bob, dave, mallory
    ):
        for person in (carol, alice, bob):
            assert [s["id"] for s in api(person).get("/api/slots/").json()["results"]] == [slot.pk]
        for person in (dave, mallory):
            assert [s["id"] for s in api(person).get("/api/slots/").json()["results"]] == [other_slot.pk]

    def test_anyone_in_the_organisation_reads_a_slot_with_its_counts(self, api, slot, alice, bob, victor):
        slot_signup_create(slot_id=slot.pk, volunteer=alice)
        slot_booking_create(slot_id=slot.pk, mentee=bob)
        for person in (alice, bob, victor):
            response = api(person).get(f"/api/slots/{slot.pk}/")
            assert response.status_code == 200
            body = response.json()
            assert (body["topic"], body["signup_count"], body["booking_count"]) == ("CV clinic", 1, 1)
            assert (body["languages"], body["skills"], body["host"]) == (["ar"], ["cv-writing"], None)

    def test_another_organisation_gets_404_on_a_slot(self, api, slot, dave, mallory, volunteer_b):
        for person in (dave, mallory, volunteer_b):
            assert api(person).get(f"/api/slots/{slot.pk}/").status_code == 404

    @pytest.mark.parametrize(
        ("method", "suffix"),
        [
            ("get", ""),
            ("patch", ""),
            ("put", ""),
            ("delete", ""),
            ("post", "signup/"),
            ("delete", "signup/"),
            ("post", "booking/"),
            ("delete", "booking/"),
        ],
    )
    def test_anonymous_callers_get_401_on_an_existing_slot(self, api, slot, method, suffix):
        before = stored()
        response = getattr(api(None), method)(f"/api/slots/{slot.pk}/{suffix}", {}, format="json")
        assert response.status_code == 401
        assert stored() == before

    def test_anonymous_callers_cannot_list_or_publish(self, api, slot):
        assert api(None).get("/api/slots/").status_code == 401
        assert api(None).post("/api/slots/", payload(), format="json").status_code == 401
        assert Slot.objects.count() == 1

    def test_the_list_costs_the_same_number_of_queries_however_many_slots(
        self, api, org_a, carol, alice, bob, django_assert_num_queries
    ):
        # given one slot of each kind, with languages, skills, a sign-up and a booking
        group = a_slot(org_a, carol, languages=["ar", "en"], skills=["python"])
        a_slot(org_a, carol, host=alice, volunteers_needed=0, start=in_days(6), languages=["es"])
        slot_signup_create(slot_id=group.pk, volunteer=alice)
        slot_booking_create(slot_id=group.pk, mentee=bob)
        client = api(carol)
        # count, page, languages, skills; on PostgreSQL count, keys, the rows with their slugs as arrays
        queries = 3 if connection.vendor == "postgresql" else 4
        with django_assert_num_queries(queries):
            assert len(client.get("/api/slots/").json()["results"]) == 2
        # when there are many more, hosted by other volunteers too
        for i in range(6):
            host = make_volunteer(org_a, f"host{i}@example.org", f"Host {i}")
            a_slot(
                org_a,
                carol,
                host=host,
                volunteers_needed=0,
                start=in_days(8 + i),
                languages=["fr", "ar"],
                skills=["housing", "python"],
            )
            slot_signup_create(slot_id=a_slot(org_a, carol, start=in_days(20 + i)).pk, volunteer=host)
        # then the list still costs the same
        with django_assert_num_queries(queries):
            assert len(client.get("/api/slots/").json()["results"]) == 14
        with django_assert_num_queries(queries):
            assert len(client.get("/api/slots/?language=ar&has_free_places=true").json()["results"]) == 7


class TestFilters:
    @pytest.fixture
    def slots(self, org_a, carol, alice, victor, bob) -> dict[str, Slot]:
        """Three slots: `full_volunteers` needs nobody more, `full_mentees` has no mentee place left,
        `one_to_one` is alice's own."""
        full_volunteers = a_slot(
            org_a,
            carol,
            topic="A",
            start=in_days(2),
            volunteers_needed=1,
            mentee_places=2,
            languages=["ar"],
            skills=["cv-writing"],
        )
        slot_signup_create(slot_id=full_volunteers.pk, volunteer=victor)
        full_mentees = a_slot(
            org_a,
            carol,
            topic="B",
            start=in_days(5),
            volunteers_needed=2,
            mentee_places=1,
            languages=["es", "ar"],
            skills=["python"],
        )
        slot_booking_create(slot_id=full_mentees.pk, mentee=bob)
        one_to_one = a_slot(
            org_a,
            alice.user,
            topic="C",
            start=in_days(8),
            volunteers_needed=0,
            mentee_places=1,
            host=alice,
            languages=["en"],
        )
        return {"A": full_volunteers, "B": full_mentees, "C": one_to_one}

    @pytest.mark.parametrize(
        ("query", "expected"),
        [
            ("", "ABC"),
            ("starts_after={day4}", "BC"),
            ("starts_before={day4}", "A"),
            ("starts_after={day4}&starts_before={day6}", "B"),
            ("language=ar", "AB"),
            ("language=en", "C"),
            ("language=ru", ""),
            ("skill=python", "B"),
            ("skill=cv-writing", "A"),
            ("has_free_places=true", "AC"),
            ("has_free_places=false", "B"),
            ("needs_volunteers=true", "B"),
            ("needs_volunteers=false", "AC"),
            ("host={alice}", "C"),
            ("language=ar&needs_volunteers=true", "B"),
        ],
    )
    def test_it_filters_slots(self, api, slots, alice, bob, query, expected):
        day4 = in_days(4, hour=0).isoformat().replace("+00:00", "Z")
        day6 = in_days(6, hour=0).isoformat().replace("+00:00", "Z")
        query = query.format(day4=day4, day6=day6, alice=alice.pk)
        response = api(bob).get(f"/api/slots/?{query}")
        assert response.status_code == 200, response.json()
        assert "".join(s["topic"] for s in response.json()["results"]) == expected

    def test_a_language_filter_keeps_the_counts_right(self, api, slots, bob):
        (slot,) = api(bob).get("/api/slots/?language=ar&skill=python").json()["results"]
        assert (slot["topic"], slot["languages"], slot["booking_count"], slot["signup_count"]) == (
            "B",
            ["ar", "es"],
            1,
            0,
        )

    @pytest.mark.parametrize(
        ("query", "field"),
        [
            ("starts_after=next-tuesday", "starts_after"),
            ("has_free_places=perhaps", "has_free_places"),
            ("host=alice", "host"),
            ("host=99999999999999999999", "host"),
        ],
    )
    def test_it_refuses_a_malformed_filter_rather_than_ignoring_it(self, api, slots, bob, query, field):
        response = api(bob).get(f"/api/slots/?{query}")
        assert response.status_code == 400
        assert field in response.json()


class TestPublish:
    def test_a_coordinator_publishes_a_group_slot(self, api, org_a, carol):
        body = payload()
        response = api(carol).post("/api/slots/", body, format="json")
        assert response.status_code == 201, response.json()
        created = response.json()
        assert created["host"] is None
        assert created["organisation"] == org_a.pk
        assert (created["signup_count"], created["booking_count"]) == (0, 0)
        slot = Slot.objects.get(pk=created["id"])
        assert (slot.topic, slot.volunteers_needed, slot.mentee_places, slot.online, slot.place) == (
            "Python basics",
            2,
            6,
            False,
            "Calle Mayor 1, Madrid",
        )
        assert slot.start.isoformat() == body["start"]
        assert slot.created_by == carol
        assert sorted(slot.languages.values_list("code", flat=True)) == ["ar", "en"]
        assert list(slot.skills.values_list("slug", flat=True)) == ["python"]

    def test_a_volunteer_publishes_their_own_one_to_one_slot_without_volunteer_places(self, api, alice):
        response = api(alice).post("/api/slots/", payload(volunteers_needed=5, mentee_places=1), format="json")
        assert response.status_code == 201, response.json()
        assert response.json()["host"] == alice.pk
        assert response.json()["volunteers_needed"] == 0
        slot = Slot.objects.get(pk=response.json()["id"])
        assert (slot.host, slot.volunteers_needed, slot.organisation_id) == (alice, 0, alice.user.organisation_id)

    def test_organisation_and_host_cannot_be_chosen_by_the_caller(self, api, org_b, carol, alice):
        response = api(carol).post("/api/slots/", payload(organisation=org_b.pk, host=alice.pk), format="json")
        assert response.status_code == 201
        slot = Slot.objects.get(pk=response.json()["id"])
        assert (slot.organisation_id, slot.host_id) == (carol.organisation_id, None)

    def test_a_mentee_cannot_publish_a_slot(self, api, bob):
        response = api(bob).post("/api/slots/", payload(), format="json")
        assert response.status_code == 403
        assert not Slot.objects.exists()

    @pytest.mark.parametrize(
        ("change", "field"),
        [
            (lambda b: {"end": (in_days(4) - timedelta(minutes=30)).isoformat()}, "end"),
            (lambda b: {"end": b["start"]}, "end"),
            (lambda b: {"start": in_days(-1).isoformat(), "end": in_days(-1, hour=11).isoformat()}, "start"),
            (lambda b: {"end": (in_days(4) + timedelta(hours=12, minutes=1)).isoformat()}, "end"),
            (lambda b: {"online": False, "place": ""}, "place"),
            (lambda b: {"languages": ["ar", "xx"]}, "languages"),
            (lambda b: {"skills": ["no-such-skill"]}, "skills"),
            (lambda b: {"volunteers_needed": 101}, "volunteers_needed"),
            (lambda b: {"volunteers_needed": -1}, "volunteers_needed"),
            (lambda b: {"mentee_places": 501}, "mentee_places"),
            (lambda b: {"topic": ""}, "topic"),
            (lambda b: {"start": "tomorrow at ten"}, "start"),
        ],
        ids=[
            "end-before-start",
            "no-length",
            "in-the-past",
            "over-12h",
            "offline-without-place",
            "unknown-language",
            "unknown-skill",
            "too-many-volunteers",
            "negative-volunteers",
            "too-many-mentees",
            "no-topic",
            "unreadable-start",
        ],
    )
    def test_it_refuses_a_bad_slot_naming_the_field_and_stores_nothing(self, api, carol, slot, change, field):
        body = payload()
        body.update(change(body))
        before = stored()
        response = api(carol).post("/api/slots/", body, format="json")
        assert response.status_code == 400
        assert field in response.json(), response.json()
        assert stored() == before

    def test_twelve_hours_exactly_is_allowed(self, api, carol):
        body = payload()
        body["end"] = (in_days(4) + timedelta(hours=12)).isoformat()
        assert api(carol).post("/api/slots/", body, format="json").status_code == 201


class TestChange:
    def test_the_coordinator_changes_a_slot(self, api, slot, carol):
        response = api(carol).patch(
            f"/api/slots/{slot.pk}/",
            {"topic": "CV clinic (room 2)", "languages": ["fr"], "mentee_places": 10},
            format="json",
        )
        assert response.status_code == 200, response.json()
        assert (response.json()["topic"], response.json()["languages"]) == ("CV clinic (room 2)", ["fr"])
        slot.refresh_from_db()
        assert (slot.topic, slot.mentee_places) == ("CV clinic (room 2)", 10)
        assert list(slot.languages.values_list("code", flat=True)) == ["fr"]
        assert list(slot.skills.values_list("slug", flat=True)) == ["cv-writing"]  # untouched

    def test_the_coordinator_replaces_a_slot_with_put(self, api, slot, carol):
        response = api(carol).put(f"/api/slots/{slot.pk}/", payload(topic="Interview practice"), format="json")
        assert response.status_code == 200, response.json()
        slot.refresh_from_db()
        assert (slot.topic, slot.online, slot.volunteers_needed) == ("Interview practice", False, 2)
        assert list(slot.skills.values_list("slug", flat=True)) == ["python"]

    def test_the_coordinator_deletes_a_slot(self, api, slot, carol, alice):
        slot_signup_create(slot_id=slot.pk, volunteer=alice)
        assert api(carol).delete(f"/api/slots/{slot.pk}/").status_code == 204
        assert not Slot.objects.filter(pk=slot.pk).exists()
        assert not SlotSignup.objects.exists()

    def test_the_hosting_volunteer_changes_and_deletes_their_slot(self, api, org_a, alice):
        own = a_slot(org_a, alice.user, host=alice, volunteers_needed=0)
        response = api(alice).patch(f"/api/slots/{own.pk}/", {"topic": "Python one-to-one"}, format="json")
        assert response.status_code == 200
        assert Slot.objects.get(pk=own.pk).topic == "Python one-to-one"
        assert api(alice).delete(f"/api/slots/{own.pk}/").status_code == 204
        assert not Slot.objects.filter(pk=own.pk).exists()

    def test_a_coordinator_manages_a_volunteers_slot_too(self, api, org_a, carol, alice):
        own = a_slot(org_a, alice.user, host=alice, volunteers_needed=0)
        assert api(carol).patch(f"/api/slots/{own.pk}/", {"topic": "Moved"}, format="json").status_code == 200

    @pytest.mark.parametrize("who", ["alice", "victor", "bob"])
    @pytest.mark.parametrize(
        ("method", "body"),
        [
            ("patch", {"topic": "Mine now"}),
            ("put", None),
            ("delete", None),
        ],
    )
    def test_others_in_the_organisation_see_but_may_not_change_a_slot(
        self, api, request, org_a, slot, victor, who, method, body
    ):
        # victor's own slot: alice and bob may not change it either
        victors = a_slot(org_a, victor.user, host=victor, volunteers_needed=0, start=in_days(9))
        person = request.getfixturevalue(who)
        before = stored()
        for target in (slot, victors) if who != "victor" else (slot,):
            response = getattr(api(person), method)(f"/api/slots/{target.pk}/", body or payload(), format="json")
            assert response.status_code == 403, (target.topic, response.status_code)
        assert stored() == before

    @pytest.mark.parametrize(("method", "body"), [("patch", {"topic": "Ours"}), ("put", None), ("delete", None)])
    def test_another_organisation_gets_404_when_changing_a_slot(self, api, slot, dave, volunteer_b, method, body):
        before = stored()
        for person in (dave, volunteer_b):
            response = getattr(api(person), method)(f"/api/slots/{slot.pk}/", body or payload(), format="json")
            assert response.status_code == 404
        assert stored() == before

    @pytest.mark.parametrize(
        ("body", "field"),
        [
            ({"end": (in_days(3) - timedelta(hours=1)).isoformat()}, "end"),
            ({"start": in_days(-2).isoformat()}, "start"),
            ({"end": in_days(3, hour=23).isoformat()}, "end"),
            ({"online": False}, "place"),
            ({"languages": ["klingon"]}, "languages"),
            ({"skills": ["juggling"]}, "skills"),
            ({"volunteers_needed": 1000}, "volunteers_needed"),
        ],
        ids=[
            "end-before-start",
            "start-in-the-past",
            "over-12h",
            "offline-without-place",
            "unknown-language",
            "unknown-skill",
            "too-many-volunteers",
        ],
    )
    def test_it_refuses_a_bad_change_naming_the_field_and_keeps_the_slot(self, api, slot, carol, body, field):
        before = stored()
        response = api(carol).patch(f"/api/slots/{slot.pk}/", body, format="json")
        assert response.status_code == 400
        assert field in response.json(), response.json()
        assert stored() == before

    def test_it_refuses_fewer_volunteer_places_than_sign_ups(self, api, slot, carol, alice, victor):
        slot_signup_create(slot_id=slot.pk, volunteer=alice)
        slot_signup_create(slot_id=slot.pk, volunteer=victor)
        before = stored()
        response = api(carol).patch(
            f"/api/slots/{slot.pk}/", {"volunteers_needed": 1, "topic": "Smaller"}, format="json"
        )
        assert response.status_code == 400
        assert "already signed up" in response.json()["volunteers_needed"][0]
        assert stored() == before
        assert api(carol).patch(f"/api/slots/{slot.pk}/", {"volunteers_needed": 2}, format="json").status_code == 200

    def test_it_refuses_fewer_mentee_places_than_bookings_naming_mentee_places(self, api, slot, carol, bob, eve):
        slot_booking_create(slot_id=slot.pk, mentee=bob)
        slot_booking_create(slot_id=slot.pk, mentee=eve)
        before = stored()
        response = api(carol).patch(f"/api/slots/{slot.pk}/", {"mentee_places": 1}, format="json")
        assert response.status_code == 400
        assert "already booked" in response.json()["mentee_places"][0]
        assert stored() == before
        assert api(carol).patch(f"/api/slots/{slot.pk}/", {"mentee_places": 2}, format="json").status_code == 200

    def test_the_host_cannot_open_their_one_to_one_slot_to_other_volunteers(self, api, org_a, alice):
        own = a_slot(org_a, alice.user, host=alice, volunteers_needed=0)
        api(alice).patch(f"/api/slots/{own.pk}/", {"volunteers_needed": 3}, format="json")
        assert Slot.objects.get(pk=own.pk).volunteers_needed == 0


class TestSignup:
    def test_a_volunteer_signs_up_and_sees_the_new_count(self, api, slot, alice):
        response = api(alice).post(f"/api/slots/{slot.pk}/signup/")
        assert response.status_code == 201
        assert response.json()["signup_count"] == 1
        assert SlotSignup.objects.filter(slot=slot, volunteer=alice).count() == 1

    def test_it_refuses_a_second_signup_of_the_same_volunteer(self, api, slot, alice):
        api(alice).post(f"/api/slots/{slot.pk}/signup/")
        response = api(alice).post(f"/api/slots/{slot.pk}/signup/")
        assert response.status_code == 400
        # this slot's own refusal, not the overlap with itself (which names the slot)
        assert response.json()["non_field_errors"] == ["You are already signed up for this slot."]
        assert SlotSignup.objects.filter(slot=slot).count() == 1

    def test_it_refuses_a_signup_when_the_slot_is_full(self, api, org_a, carol, alice, victor):
        slot = a_slot(org_a, carol, volunteers_needed=1)
        slot_signup_create(slot_id=slot.pk, volunteer=victor)
        response = api(alice).post(f"/api/slots/{slot.pk}/signup/")
        assert response.status_code == 400
        assert response.json()["non_field_errors"] == ["This slot has no free place left."]
        assert list(SlotSignup.objects.values_list("volunteer_id", flat=True)) == [victor.pk]

    def test_it_refuses_a_signup_for_a_one_to_one_slot(self, api, org_a, alice, victor):
        own = a_slot(org_a, alice.user, host=alice, volunteers_needed=0)
        response = api(victor).post(f"/api/slots/{own.pk}/signup/")
        assert response.status_code == 400
        assert not SlotSignup.objects.exists()

    def test_it_refuses_an_overlapping_signup_naming_the_other_slot(self, api, org_a, carol, slot, alice):
        # given alice is in the 10:00-11:00 "CV clinic"
        api(alice).post(f"/api/slots/{slot.pk}/signup/")
        clashing = a_slot(org_a, carol, topic="Interview practice", start=slot.start + timedelta(minutes=30))
        # when she signs up for a slot from 10:30
        response = api(alice).post(f"/api/slots/{clashing.pk}/signup/")
        # then she is told which slot is in the way
        assert response.status_code == 400
        assert "CV clinic" in response.json()["non_field_errors"][0]
        assert not SlotSignup.objects.filter(slot=clashing).exists()

    def test_back_to_back_slots_do_not_overlap(self, api, org_a, carol, slot, alice):
        api(alice).post(f"/api/slots/{slot.pk}/signup/")
        next_one = a_slot(org_a, carol, topic="Next", start=slot.end)
        assert api(alice).post(f"/api/slots/{next_one.pk}/signup/").status_code == 201
        one_before = a_slot(org_a, carol, topic="Before", start=slot.start - timedelta(hours=1))
        assert api(alice).post(f"/api/slots/{one_before.pk}/signup/").status_code == 201

    def test_a_volunteer_withdraws_and_frees_the_place(self, api, org_a, carol, alice, victor):
        slot = a_slot(org_a, carol, volunteers_needed=1)
        api(alice).post(f"/api/slots/{slot.pk}/signup/")
        response = api(alice).delete(f"/api/slots/{slot.pk}/signup/")
        assert response.status_code == 204
        assert not SlotSignup.objects.exists()
        assert api(victor).post(f"/api/slots/{slot.pk}/signup/").json()["signup_count"] == 1

    def test_withdrawing_leaves_other_volunteers_sign_ups_alone(self, api, slot, alice, victor):
        slot_signup_create(slot_id=slot.pk, volunteer=victor)
        assert api(alice).delete(f"/api/slots/{slot.pk}/signup/").status_code == 204
        assert list(SlotSignup.objects.values_list("volunteer_id", flat=True)) == [victor.pk]

    def test_withdrawing_from_one_slot_keeps_the_volunteers_other_sign_ups(self, api, org_a, carol, slot, alice):
        other = a_slot(org_a, carol, topic="Next week", start=slot.start + timedelta(days=7))
        for each in (slot, other):
            slot_signup_create(slot_id=each.pk, volunteer=alice)
        assert api(alice).delete(f"/api/slots/{slot.pk}/signup/").status_code == 204
        assert list(SlotSignup.objects.values_list("slot_id", flat=True)) == [other.pk]

    def test_an_unvetted_volunteer_cannot_join_a_slot_a_minor_has_booked(self, api, slot, carol, alice, victor, mia):
        # given a minor with consent has a place in the slot
        slot_booking_create(slot_id=slot.pk, mentee=consented(mia, carol))
        # when an unvetted volunteer signs up, then safeguarding refuses
        response = api(alice).post(f"/api/slots/{slot.pk}/signup/")
        assert response.status_code == 400
        assert "vetted" in response.json()["non_field_errors"][0]
        assert not SlotSignup.objects.exists()
        # and a volunteer whose vetting lapsed is refused too, while a vetted one is welcome
        vet(victor, carol, expires_in_days=-1)
        assert api(victor).post(f"/api/slots/{slot.pk}/signup/").status_code == 400
        vet(alice, carol)
        assert api(alice).post(f"/api/slots/{slot.pk}/signup/").status_code == 201

    def test_it_refuses_a_signup_at_the_moment_the_slot_starts(self, api, slot, alice, monkeypatch):
        monkeypatch.setattr(timezone, "now", lambda: slot.start)
        response = api(alice).post(f"/api/slots/{slot.pk}/signup/")
        assert response.status_code == 400
        assert "already started" in response.json()["non_field_errors"][0]
        assert not SlotSignup.objects.exists()

    def test_it_refuses_a_signup_for_a_slot_that_has_already_taken_place(self, api, slot, alice, monkeypatch):
        later = slot.end + timedelta(hours=1)
        monkeypatch.setattr(timezone, "now", lambda: later)
        response = api(alice).post(f"/api/slots/{slot.pk}/signup/")
        assert response.status_code == 400
        assert not SlotSignup.objects.exists()

    @pytest.mark.parametrize("method", ["post", "delete"])
    def test_only_volunteers_sign_up(self, api, slot, alice, carol, bob, method):
        slot_signup_create(slot_id=slot.pk, volunteer=alice)
        before = stored()
        for person in (carol, bob):
            assert getattr(api(person), method)(f"/api/slots/{slot.pk}/signup/").status_code == 403
        assert stored() == before

    @pytest.mark.parametrize("method", ["post", "delete"])
    def test_a_volunteer_of_another_organisation_gets_404(self, api, slot, volunteer_b, method):
        before = stored()
        assert getattr(api(volunteer_b), method)(f"/api/slots/{slot.pk}/signup/").status_code == 404
        assert stored() == before


class TestBooking:
    def test_a_mentee_books_a_place_and_gives_it_back(self, api, slot, bob):
        response = api(bob).post(f"/api/slots/{slot.pk}/booking/")
        assert response.status_code == 201
        assert response.json()["booking_count"] == 1
        assert SlotBooking.objects.filter(slot=slot, mentee=bob).exists()
        assert api(bob).delete(f"/api/slots/{slot.pk}/booking/").status_code == 204
        assert not SlotBooking.objects.exists()
        assert api(bob).get(f"/api/slots/{slot.pk}/").json()["booking_count"] == 0

    def test_giving_back_frees_the_place_for_someone_else(self, api, org_a, carol, bob, eve):
        slot = a_slot(org_a, carol, mentee_places=1)
        api(bob).post(f"/api/slots/{slot.pk}/booking/")
        assert api(eve).post(f"/api/slots/{slot.pk}/booking/").status_code == 400
        api(bob).delete(f"/api/slots/{slot.pk}/booking/")
        assert api(eve).post(f"/api/slots/{slot.pk}/booking/").status_code == 201

    def test_it_refuses_a_second_booking_of_the_same_mentee(self, api, slot, bob):
        api(bob).post(f"/api/slots/{slot.pk}/booking/")
        response = api(bob).post(f"/api/slots/{slot.pk}/booking/")
        assert response.status_code == 400
        assert "already booked" in response.json()["non_field_errors"][0]
        assert SlotBooking.objects.count() == 1

    def test_it_refuses_a_booking_when_the_slot_is_full(self, api, org_a, carol, bob, eve):
        slot = a_slot(org_a, carol, mentee_places=1)
        slot_booking_create(slot_id=slot.pk, mentee=eve)
        response = api(bob).post(f"/api/slots/{slot.pk}/booking/")
        assert response.status_code == 400
        assert response.json()["non_field_errors"] == ["This slot has no free place left."]
        assert list(SlotBooking.objects.values_list("mentee_id", flat=True)) == [eve.pk]

    def test_it_refuses_an_overlapping_booking(self, api, org_a, carol, slot, bob):
        api(bob).post(f"/api/slots/{slot.pk}/booking/")
        clashing = a_slot(org_a, carol, topic="Later", start=slot.start + timedelta(minutes=59))
        response = api(bob).post(f"/api/slots/{clashing.pk}/booking/")
        assert response.status_code == 400
        assert "another slot" in response.json()["non_field_errors"][0]
        assert not SlotBooking.objects.filter(slot=clashing).exists()

    def test_back_to_back_bookings_do_not_overlap(self, api, org_a, carol, slot, bob):
        api(bob).post(f"/api/slots/{slot.pk}/booking/")
        next_one = a_slot(org_a, carol, topic="Next", start=slot.end)
        assert api(bob).post(f"/api/slots/{next_one.pk}/booking/").status_code == 201
        one_before = a_slot(org_a, carol, topic="Before", start=slot.start - timedelta(hours=1))
        assert api(bob).post(f"/api/slots/{one_before.pk}/booking/").status_code == 201

    def test_a_minor_without_consent_cannot_book(self, api, slot, mia):
        response = api(mia).post(f"/api/slots/{slot.pk}/booking/")
        assert response.status_code == 400
        assert "not active" in response.json()["non_field_errors"][0]
        assert not SlotBooking.objects.exists()

    def test_a_minor_cannot_book_a_slot_with_an_unvetted_volunteer(self, api, slot, carol, alice, victor, mia):
        # given a vetted and an unvetted volunteer signed up
        vet(victor, carol)
        slot_signup_create(slot_id=slot.pk, volunteer=victor)
        slot_signup_create(slot_id=slot.pk, volunteer=alice)
        consented(mia, carol)
        # when the minor books, then safeguarding refuses
        response = api(mia).post(f"/api/slots/{slot.pk}/booking/")
        assert response.status_code == 400
        assert "not vetted" in response.json()["non_field_errors"][0]
        assert not SlotBooking.objects.exists()
        # and once alice is vetted the minor may book
        vet(alice, carol)
        assert api(mia).post(f"/api/slots/{slot.pk}/booking/").status_code == 201

    def test_a_one_to_one_slot_is_only_for_the_hosts_current_mentees(self, api, org_a, carol, alice, bob, eve):
        # given alice's own slot, and alice currently paired with bob only
        own = a_slot(org_a, alice.user, host=alice, volunteers_needed=0, mentee_places=2)
        pairing = Pairing.objects.create(organisation=org_a, mentee=bob, volunteer=alice)
        response = api(bob).post(f"/api/slots/{own.pk}/booking/")
        assert response.status_code == 400  # a mere proposal is not enough
        pairing_approve(pairing_id=pairing.pk, by=carol)
        # when both try to book, then only bob gets a place
        assert api(bob).post(f"/api/slots/{own.pk}/booking/").status_code == 201
        response = api(eve).post(f"/api/slots/{own.pk}/booking/")
        assert response.status_code == 400
        assert "own mentees" in response.json()["non_field_errors"][0]
        assert list(SlotBooking.objects.values_list("mentee_id", flat=True)) == [bob.pk]

    def test_an_ended_pairing_no_longer_opens_the_hosts_slot(self, api, org_a, carol, alice, bob):
        own = a_slot(org_a, alice.user, host=alice, volunteers_needed=0)
        pairing = Pairing.objects.create(organisation=org_a, mentee=bob, volunteer=alice)
        pairing_approve(pairing_id=pairing.pk, by=carol)
        pairing_end(pairing_id=pairing.pk, by=carol, kind="completed", reason="Done")
        assert api(bob).post(f"/api/slots/{own.pk}/booking/").status_code == 400
        assert not SlotBooking.objects.exists()

    def test_it_refuses_a_booking_at_the_moment_the_slot_starts(self, api, slot, bob, monkeypatch):
        monkeypatch.setattr(timezone, "now", lambda: slot.start)
        response = api(bob).post(f"/api/slots/{slot.pk}/booking/")
        assert response.status_code == 400
        assert "already started" in response.json()["non_field_errors"][0]
        assert not SlotBooking.objects.exists()

    def test_it_refuses_a_booking_for_a_slot_that_has_already_taken_place(self, api, slot, bob, monkeypatch):
        later = slot.end + timedelta(hours=1)
        monkeypatch.setattr(timezone, "now", lambda: later)
        response = api(bob).post(f"/api/slots/{slot.pk}/booking/")
        assert response.status_code == 400
        assert not SlotBooking.objects.exists()

    @pytest.mark.parametrize("method", ["post", "delete"])
    def test_only_mentees_book(self, api, slot, bob, carol, alice, method):
        slot_booking_create(slot_id=slot.pk, mentee=bob)
        before = stored()
        for person in (carol, alice):
            assert getattr(api(person), method)(f"/api/slots/{slot.pk}/booking/").status_code == 403
        assert stored() == before

    @pytest.mark.parametrize("method", ["post", "delete"])
    def test_a_mentee_of_another_organisation_gets_404(self, api, slot, mallory, method):
        before = stored()
        assert getattr(api(mallory), method)(f"/api/slots/{slot.pk}/booking/").status_code == 404
        assert stored() == before

    def test_giving_back_leaves_other_mentees_bookings_alone(self, api, slot, bob, eve):
        slot_booking_create(slot_id=slot.pk, mentee=eve)
        assert api(bob).delete(f"/api/slots/{slot.pk}/booking/").status_code == 204
        assert list(SlotBooking.objects.values_list("mentee_id", flat=True)) == [eve.pk]

    def test_giving_back_one_place_keeps_the_mentees_other_bookings(self, api, org_a, carol, slot, bob):
        other = a_slot(org_a, carol, topic="Next week", start=slot.start + timedelta(days=7))
        for each in (slot, other):
            slot_booking_create(slot_id=each.pk, mentee=bob)
        assert api(bob).delete(f"/api/slots/{slot.pk}/booking/").status_code == 204
        assert list(SlotBooking.objects.values_list("slot_id", flat=True)) == [other.pk]
