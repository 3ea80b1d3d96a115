"""The pairings API: who sees a pairing (coordinators all of their organisation's, members their own once
approved), deciding proposals (approve, reject, pin), ending a pairing and suggested times."""

import pytest
from django.utils import timezone

from accounts.models import Skill
from mentees.models import HelpRequest, HelpRequestStatus
from mentees.services import consent_record, help_request_create
from scheduling.models import MatchRun, Pairing, PairingStatus
from scheduling.services.availability import availability_replace
from scheduling.services.pairings import pairing_approve, pairing_end, pairing_reject
from tests.conftest import make_mentee, make_volunteer

pytestmark = pytest.mark.django_db

EVENINGS = [(day, 18 * 60, 21 * 60) for day in range(7)]
REASONS = [  # as the matcher gives them
    {"kind": "language", "code": "ar", "level": "native"},
    {"kind": "need", "code": "cv-writing"},
    {"kind": "overlap", "minutes": 120},
]


def stored() -> list:
    """Everything the pairing actions may write, to show a refused call changed nothing."""
    return [
        list(Pairing.objects.order_by("pk").values()),
        list(HelpRequest.objects.order_by("pk").values("pk", "status", "closed_at")),
    ]


def ids(response) -> list[int]:
    assert response.status_code == 200, response.json()
    return [pairing["id"] for pairing in response.json()["results"]]


@pytest.fixture
def help_request(bob) -> HelpRequest:
    return help_request_create(mentee=bob, needs=Skill.objects.filter(slug="cv-writing"))


@pytest.fixture
def proposal(org_a, alice, bob, help_request) -> Pairing:
    """A match run's proposal: alice to mentor bob on his CV."""
    return Pairing.objects.create(
        organisation=org_a, mentee=bob, volunteer=alice, help_request=help_request, score=42.5, reasons=REASONS
    )


@pytest.fixture
def approved(proposal, carol) -> Pairing:
    return pairing_approve(pairing_id=proposal.pk, by=carol)


@pytest.fixture
def other_approved(org_a, carol, victor, eve) -> Pairing:
    """Another current pairing in the same organisation, which alice and bob must not see."""
    pairing = Pairing.objects.create(organisation=org_a, mentee=eve, volunteer=victor)
    return pairing_approve(pairing_id=pairing.pk, by=carol)


@pytest.fixture
def volunteer_b(org_b):
    return make_volunteer(org_b, "olga@nicosia.example", "Olga")


class TestSeeing:
    def test_a_coordinator_sees_the_organisations_pairings_including_proposals(
        self, api, proposal, other_approved, carol
    ):
        assert sorted(ids(api(carol).get("/api/pairings/"))) == sorted([proposal.pk, other_approved.pk])
        body = api(carol).get(f"/api/pairings/{proposal.pk}/").json()
        assert body["status"] == "proposed"
        assert body["mentee"] == {"id": proposal.mentee_id, "display_name": "Bob", "is_minor": False}
        assert body["volunteer"] == {"id": proposal.volunteer_id, "display_name": "Alice", "vetted": False}
        assert (body["score"], body["reasons"]) == (42.5, REASONS)
        assert body["reason_texts"] == ["speaks Arabic (native level)", "covers CV writing", "120 min a week in common"]

    def test_a_coordinator_reads_the_reasons_in_their_language(self, api, proposal, carol):
        for language, arabic in (("es", "Árabe"), ("ar", "العربيّة")):
            body = api(carol).get(f"/api/pairings/{proposal.pk}/", HTTP_ACCEPT_LANGUAGE=language).json()
            assert body["reasons"] == REASONS
            assert arabic in body["reason_texts"][0]
            assert "Arabic" not in body["reason_texts"][0]

    def test_reasons_stored_as_sentences_before_they_were_structured_still_show(self, api, proposal, carol):
        Pairing.objects.filter(pk=proposal.pk).update(reasons=["speaks Arabic (native level)", "covers cv-writing"])
        body = api(carol).get(f"/api/pairings/{proposal.pk}/").json()
        assert body["reasons"] == body["reason_texts"] == ["speaks Arabic (native level)", "covers cv-writing"]

    def test_members_never_see_a_proposal(self, api, proposal, alice, bob):
        for person in (alice, bob):
            assert ids(api(person).get("/api/pairings/")) == []
            assert api(person).get(f"/api/pairings/{proposal.pk}/").status_code == 404

    def test_members_see_their_own_pairing_once_approved(self, api, approved, other_approved, alice, bob):
        for person in (alice, bob):
            assert ids(api(person).get("/api/pairings/")) == [approved.pk]
            assert api(person).get(f"/api/pairings/{approved.pk}/").json()["status"] == "approved"

    def test_members_no_longer_see_a_rejected_proposal(self, api, proposal, carol, alice, bob):
        pairing_reject(pairing_id=proposal.pk, by=carol, reason="Bob asked for a woman mentor")
        for person in (alice, bob):
            assert api(person).get(f"/api/pairings/{proposal.pk}/").status_code == 404
        assert api(carol).get(f"/api/pairings/{proposal.pk}/").json()["rejection_reason"] == (
            "Bob asked for a woman mentor"
        )

    def test_members_still_see_their_ended_pairing(self, api, approved, alice):
        pairing_end(pairing_id=approved.pk, by=alice.user, kind="completed", reason="CV done")
        assert api(alice).get(f"/api/pairings/{approved.pk}/").json()["status"] == "ended"

    def test_people_outside_the_pairing_get_404(self, api, approved, victor, eve, dave, mallory, volunteer_b):
        for person in (victor, eve, dave, mallory, volunteer_b):
            assert ids(api(person).get("/api/pairings/")) == []
            assert api(person).get(f"/api/pairings/{approved.pk}/").status_code == 404

    @pytest.mark.parametrize(
        ("method", "suffix"),
        [
            ("get", ""),
            ("post", "approve/"),
            ("post", "reject/"),
            ("post", "pin/"),
            ("post", "end/"),
            ("get", "suggested-times/"),
        ],
    )
    def test_anonymous_callers_get_401_on_an_existing_pairing(self, api, proposal, method, suffix):
        before = stored()
        response = getattr(api(None), method)(f"/api/pairings/{proposal.pk}/{suffix}")
        assert response.status_code == 401
        assert stored() == before
        assert api(None).get("/api/pairings/").status_code == 401

    def test_the_list_costs_the_same_number_of_queries_however_many_pairings(
        self, api, org_a, proposal, other_approved, carol, django_assert_num_queries
    ):
        client = api(carol)
        with django_assert_num_queries(5):  # count, the page's keys, its rows with both people, languages, skills
            assert len(ids(client.get("/api/pairings/"))) == 2
        for i in range(8):
            Pairing.objects.create(
                organisation=org_a,
                score=i,
                reasons=REASONS,
                mentee=make_mentee(org_a, f"m{i}@example.org", f"M{i}"),
                volunteer=make_volunteer(org_a, f"v{i}@example.org", f"V{i}"),
            )
        with django_assert_num_queries(5):
            assert len(ids(client.get("/api/pairings/"))) == 10
        with django_assert_num_queries(5):
            assert len(ids(client.get("/api/pairings/?status=proposed&pinned=false"))) == 9

    def test_a_members_list_costs_the_same_too(self, api, org_a, carol, alice, approved, django_assert_num_queries):
        with django_assert_num_queries(5):
            assert len(ids(api(alice).get("/api/pairings/"))) == 1
        mentee = make_mentee(org_a, "second@example.org", "Second")
        pairing_approve(
            pairing_id=Pairing.objects.create(organisation=org_a, mentee=mentee, volunteer=alice, reasons=REASONS).pk,
            by=carol,
        )
        with django_assert_num_queries(5):
            assert len(ids(api(alice).get("/api/pairings/"))) == 2


class TestFilters:
    @pytest.fixture
    def pairings(self, org_a, carol, alice, victor, bob, eve) -> dict[str, Pairing]:
        run = MatchRun.objects.create(organisation=org_a, started_by=carol, status="succeeded")
        current = pairing_approve(
            pairing_id=Pairing.objects.create(organisation=org_a, mentee=bob, volunteer=victor).pk, by=carol
        )
        pinned = Pairing.objects.create(organisation=org_a, mentee=eve, volunteer=alice, match_run=run, pinned=True)
        loose = Pairing.objects.create(organisation=org_a, mentee=eve, volunteer=victor, match_run=run)
        return {"current": current, "pinned": pinned, "loose": loose, "run": run}

    @pytest.mark.parametrize(
        ("query", "expected"),
        [
            ("status=approved", {"current"}),
            ("status=proposed", {"pinned", "loose"}),
            ("status=ended", set()),
            ("match_run={run}", {"pinned", "loose"}),
            ("volunteer={victor}", {"current", "loose"}),
            ("mentee={eve}", {"pinned", "loose"}),
            ("pinned=true", {"pinned"}),
            ("pinned=false", {"current", "loose"}),
            ("volunteer={victor}&status=proposed", {"loose"}),
        ],
    )
    def test_it_filters_pairings(self, api, pairings, carol, victor, eve, query, expected):
        query = query.format(run=pairings["run"].pk, victor=victor.pk, eve=eve.pk)
        names = {pairing.pk: name for name, pairing in pairings.items() if name != "run"}
        assert {names[pk] for pk in ids(api(carol).get(f"/api/pairings/?{query}"))} == expected

    @pytest.mark.parametrize(
        ("query", "field"),
        [
            ("status=engaged", "status"),
            ("pinned=perhaps", "pinned"),
            ("volunteer=alice", "volunteer"),
            ("match_run=latest", "match_run"),
            ("volunteer=99999999999999999999", "volunteer"),
            ("mentee=99999999999999999999", "mentee"),
        ],
    )
    def test_it_refuses_a_malformed_filter(self, api, pairings, carol, query, field):
        response = api(carol).get(f"/api/pairings/?{query}")
        assert response.status_code == 400
        assert field in response.json()

    def test_a_member_cannot_widen_their_view_with_filters(self, api, pairings, bob, victor):
        assert ids(api(bob).get(f"/api/pairings/?volunteer={victor.pk}")) == [pairings["current"].pk]
        assert ids(api(bob).get("/api/pairings/?status=proposed")) == []


class TestDecisions:
    def test_a_coordinator_approves_a_proposal(self, api, proposal, help_request, carol):
        response = api(carol).post(f"/api/pairings/{proposal.pk}/approve/")
        assert response.status_code == 200
        assert response.json()["status"] == "approved"
        proposal.refresh_from_db()
        assert (proposal.status, proposal.decided_by) == (PairingStatus.APPROVED, carol)
        help_request.refresh_from_db()
        assert help_request.status == HelpRequestStatus.MATCHED

    @pytest.mark.parametrize(
        ("action", "body"),
        [
            ("approve", {}),
            ("reject", {"reason": "Not a good fit"}),
            ("pin", {"pinned": True}),
        ],
    )
    def test_pair_members_and_others_may_not_decide(self, api, proposal, alice, bob, victor, mallory, action, body):
        before = stored()
        for person in (alice, bob, victor, mallory):
            response = api(person).post(f"/api/pairings/{proposal.pk}/{action}/", body, format="json")
            assert response.status_code == 403
        assert stored() == before

    @pytest.mark.parametrize(
        ("action", "body"),
        [
            ("approve", {}),
            ("reject", {"reason": "Not a good fit"}),
            ("pin", {"pinned": True}),
        ],
    )
    def test_a_coordinator_of_another_organisation_gets_404(self, api, proposal, dave, action, body):
        before = stored()
        response = api(dave).post(f"/api/pairings/{proposal.pk}/{action}/", body, format="json")
        assert response.status_code == 404
        assert stored() == before

    @pytest.mark.parametrize(
        ("action", "body"),
        [
            ("approve", {}),
            ("reject", {"reason": "Changed my mind"}),
            ("pin", {"pinned": True}),
        ],
    )
    def test_only_a_proposal_can_be_decided(self, api, approved, carol, action, body):
        before = stored()
        response = api(carol).post(f"/api/pairings/{approved.pk}/{action}/", body, format="json")
        assert response.status_code == 400
        assert "status" in response.json(), response.json()
        assert stored() == before

    def test_a_rejected_proposal_cannot_be_approved_afterwards(self, api, proposal, carol):
        pairing_reject(pairing_id=proposal.pk, by=carol, reason="No")
        response = api(carol).post(f"/api/pairings/{proposal.pk}/approve/")
        assert response.status_code == 400
        assert "status" in response.json()
        assert Pairing.objects.get(pk=proposal.pk).status == PairingStatus.REJECTED

    def test_a_coordinator_rejects_a_proposal_saying_why(self, api, proposal, carol):
        reason = "x" * 500
        response = api(carol).post(f"/api/pairings/{proposal.pk}/reject/", {"reason": reason}, format="json")
        assert response.status_code == 200
        assert (response.json()["status"], response.json()["rejection_reason"]) == ("rejected", reason)
        proposal.refresh_from_db()
        assert (proposal.status, proposal.decided_by, proposal.rejection_reason) == ("rejected", carol, reason)

    @pytest.mark.parametrize(
        "body",
        [{}, {"reason": ""}, {"reason": "   "}, {"reason": "x" * 501}, {"reason": None}],
        ids=["missing", "empty", "blank", "too-long", "null"],
    )
    def test_it_refuses_a_rejection_without_a_proper_reason(self, api, proposal, carol, body):
        before = stored()
        response = api(carol).post(f"/api/pairings/{proposal.pk}/reject/", body, format="json")
        assert response.status_code == 400
        assert "reason" in response.json()
        assert stored() == before

    def test_a_coordinator_pins_and_unpins_a_proposal(self, api, proposal, carol):
        response = api(carol).post(f"/api/pairings/{proposal.pk}/pin/", {"pinned": True}, format="json")
        assert response.status_code == 200
        assert response.json()["pinned"] is True
        assert Pairing.objects.get(pk=proposal.pk).pinned
        response = api(carol).post(f"/api/pairings/{proposal.pk}/pin/", {"pinned": False}, format="json")
        assert response.json()["pinned"] is False
        assert not Pairing.objects.get(pk=proposal.pk).pinned

    @pytest.mark.parametrize("body", [{}, {"pinned": "perhaps"}, {"pinned": None}], ids=["missing", "junk", "null"])
    def test_it_refuses_a_pin_without_a_yes_or_no(self, api, proposal, carol, body):
        before = stored()
        response = api(carol).post(f"/api/pairings/{proposal.pk}/pin/", body, format="json")
        assert response.status_code == 400
        assert "pinned" in response.json()
        assert stored() == before

    def test_a_minors_proposal_with_an_unvetted_volunteer_cannot_be_pinned(self, api, org_a, carol, alice, mia):
        consent_record(
            mentee=mia, guardian_name="Amal", given_on=timezone.localdate(), method="in_person", recorded_by=carol
        )
        pairing = Pairing.objects.create(organisation=org_a, mentee=mia, volunteer=alice)
        response = api(carol).post(f"/api/pairings/{pairing.pk}/pin/", {"pinned": True}, format="json")
        assert response.status_code == 400
        assert "background check" in response.json()["non_field_errors"][0]
        assert not Pairing.objects.get(pk=pairing.pk).pinned


class TestEnd:
    @pytest.mark.parametrize("who", ["alice", "bob", "carol"])
    def test_a_member_or_the_coordinator_ends_a_cancelled_pairing_and_the_request_reopens(
        self, api, request, approved, help_request, who
    ):
        person = request.getfixturevalue(who)
        response = api(person).post(
            f"/api/pairings/{approved.pk}/end/", {"kind": "cancelled", "reason": "Moved to another city"}, format="json"
        )
        assert response.status_code == 200, response.json()
        assert (response.json()["status"], response.json()["end_kind"]) == ("ended", "cancelled")
        approved.refresh_from_db()
        assert (approved.status, approved.ended_by, approved.end_reason) == (
            PairingStatus.ENDED,
            getattr(person, "user", person),
            "Moved to another city",
        )
        assert approved.ended_at is not None
        help_request.refresh_from_db()
        assert (help_request.status, help_request.closed_at) == (HelpRequestStatus.OPEN, None)

    def test_a_completed_pairing_closes_the_request(self, api, approved, help_request, alice):
        response = api(alice).post(
            f"/api/pairings/{approved.pk}/end/", {"kind": "completed", "reason": "CV done"}, format="json"
        )
        assert response.status_code == 200
        help_request.refresh_from_db()
        assert help_request.status == HelpRequestStatus.CLOSED
        assert help_request.closed_at is not None

    def test_people_outside_the_pairing_get_404_when_ending_it(
        self, api, approved, victor, eve, dave, mallory, volunteer_b
    ):
        before = stored()
        for person in (victor, eve, dave, mallory, volunteer_b):
            response = api(person).post(
                f"/api/pairings/{approved.pk}/end/", {"kind": "cancelled", "reason": "Mine to end"}, format="json"
            )
            assert response.status_code == 404
        assert stored() == before

    def test_members_cannot_end_a_proposal_they_cannot_see(self, api, proposal, alice):
        before = stored()
        response = api(alice).post(
            f"/api/pairings/{proposal.pk}/end/", {"kind": "cancelled", "reason": "No"}, format="json"
        )
        assert response.status_code == 404
        assert stored() == before

    @pytest.mark.parametrize(
        ("body", "field"),
        [
            ({"kind": "paused", "reason": "Holidays"}, "kind"),
            ({"reason": "Holidays"}, "kind"),
            ({"kind": "completed"}, "reason"),
            ({"kind": "completed", "reason": ""}, "reason"),
            ({"kind": "completed", "reason": "x" * 501}, "reason"),
        ],
        ids=["unknown-kind", "no-kind", "no-reason", "empty-reason", "long-reason"],
    )
    def test_it_refuses_a_bad_ending_and_keeps_the_pairing(self, api, approved, bob, body, field):
        before = stored()
        response = api(bob).post(f"/api/pairings/{approved.pk}/end/", body, format="json")
        assert response.status_code == 400
        assert field in response.json()
        assert stored() == before

    def test_only_a_current_pairing_can_be_ended(self, api, proposal, carol, bob):
        before = stored()
        response = api(carol).post(
            f"/api/pairings/{proposal.pk}/end/", {"kind": "cancelled", "reason": "No"}, format="json"
        )
        assert response.status_code == 400
        assert "status" in response.json()
        assert stored() == before
        pairing_approve(pairing_id=proposal.pk, by=carol)
        api(bob).post(f"/api/pairings/{proposal.pk}/end/", {"kind": "completed", "reason": "Done"}, format="json")
        before = stored()
        response = api(bob).post(
            f"/api/pairings/{proposal.pk}/end/", {"kind": "cancelled", "reason": "Again"}, format="json"
        )
        assert response.status_code == 400
        assert "status" in response.json()
        assert stored() == before


class TestSuggestedTimes:
    @pytest.fixture(autouse=True)
    def _evenings(self, alice, bob):
        availability_replace(user=alice.user, windows=EVENINGS)
        availability_replace(user=bob.user, windows=EVENINGS)

    def test_members_and_the_coordinator_get_the_next_common_times(self, api, approved, alice, bob, carol):
        for person in (alice, bob, carol):
            response = api(person).get(f"/api/pairings/{approved.pk}/suggested-times/")
            assert response.status_code == 200
            times = response.json()
            assert len(times) == 5
            assert all(set(time) == {"start", "end"} for time in times)

    def test_the_coordinator_sees_times_for_a_proposal_but_members_do_not(self, api, proposal, alice, carol):
        assert len(api(carol).get(f"/api/pairings/{proposal.pk}/suggested-times/").json()) == 5
        assert api(alice).get(f"/api/pairings/{proposal.pk}/suggested-times/").status_code == 404

    def test_people_outside_the_pairing_get_404(self, api, approved, victor, eve, dave, mallory):
        for person in (victor, eve, dave, mallory):
            assert api(person).get(f"/api/pairings/{approved.pk}/suggested-times/").status_code == 404

    def test_no_common_time_gives_an_empty_list(self, api, approved, alice, bob):
        availability_replace(user=bob.user, windows=[(0, 6 * 60, 7 * 60)])
        assert api(alice).get(f"/api/pairings/{approved.pk}/suggested-times/").json() == []
