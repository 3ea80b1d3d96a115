"""Nominations of mentees as agents of change: a volunteer who mentors them or a coordinator of their
organisation nominates; a coordinator approves (the badge is awarded) or rejects with a reason."""

import pytest

from badges import services
from badges.models import Award, Contribution, Milestone, Nomination, NominationStatus
from tests.badges.conftest import approve

pytestmark = pytest.mark.django_db


@pytest.fixture
def translator_badge(org_a, carol):
    return services.badge_class_create(
        organisation=org_a, by=carol, name="Language bridge", contribution=Contribution.TRANSLATED
    )


@pytest.fixture
def nomination(pairing, alice, bob, translator_badge) -> Nomination:
    return services.nomination_create(
        mentee=bob, by=alice.user, category=Contribution.TRANSLATED, evidence_text="Translated for a new family."
    )


def body(mentee, **extra) -> dict:
    return {"mentee": mentee.pk, "category": "translated", "evidence_text": "Translated at the clinic.", **extra}


def stored() -> list:
    return [list(Nomination.objects.order_by("pk").values()), list(Award.objects.order_by("pk").values())]


class TestNominate:
    def test_a_volunteer_nominates_the_mentee_they_mentor(self, api, pairing, alice, bob):
        response = api(alice).post("/api/nominations/", body(bob, evidence_url="https://example.org/a"))

        assert response.status_code == 201
        nomination = Nomination.objects.get()
        assert (nomination.mentee, nomination.nominated_by, nomination.status) == (bob, alice.user, "pending")
        assert nomination.evidence_url == "https://example.org/a"

    def test_a_coordinator_nominates_any_mentee_of_their_organisation(self, api, carol, eve):
        assert api(carol).post("/api/nominations/", body(eve)).status_code == 201

    def test_a_volunteer_may_not_nominate_a_mentee_they_do_not_mentor(self, api, pairing, victor, bob):
        response = api(victor).post("/api/nominations/", body(bob))

        assert response.status_code == 400
        assert "mentee" in response.json()
        assert Nomination.objects.count() == 0

    def test_another_organisations_mentee_does_not_exist_for_the_caller(self, api, carol, mallory, dave, bob):
        for who, mentee in ((carol, mallory), (dave, bob)):
            response = api(who).post("/api/nominations/", body(mentee))
            assert response.status_code == 400
            assert "mentee" in response.json()
        assert Nomination.objects.count() == 0

    def test_mentees_may_not_nominate(self, api, bob, eve):
        assert api(bob).post("/api/nominations/", body(eve)).status_code == 403

    @pytest.mark.parametrize(
        ("change", "field"),
        [
            ({"category": "saved-the-world"}, "category"),
            ({"evidence_text": ""}, "evidence_text"),
            ({"evidence_text": "x" * 2001}, "evidence_text"),
            ({"evidence_url": "not a link"}, "evidence_url"),
            ({"mentee": "abc"}, "mentee"),
            ({"mentee": 999999}, "mentee"),
        ],
    )
    def test_bad_input_is_refused_field_by_field_and_changes_nothing(self, api, pairing, alice, bob, change, field):
        before = stored()

        response = api(alice).post("/api/nominations/", {**body(bob), **change}, format="json")

        assert response.status_code == 400
        assert field in response.json()
        assert stored() == before


class TestDecide:
    def test_approval_awards_the_organisations_badge_for_that_contribution(self, api, carol, bob, nomination):
        response = api(carol).post(f"/api/nominations/{nomination.pk}/approve/", {})

        assert response.status_code == 200
        assert response.json()["status"] == "approved"
        award = Award.objects.get(recipient=bob.user)
        assert award.badge_class.name == "Language bridge"
        assert award.awarded_by == carol
        assert award.evidence_text == "Translated for a new family."
        assert response.json()["award"] == award.pk

    def test_a_nomination_without_a_link_has_none(self, nomination):
        assert Nomination.objects.get(pk=nomination.pk).evidence_url == ""

    def test_the_coordinator_may_choose_another_badge(self, api, org_a, carol, bob, nomination):
        other = services.badge_class_create(organisation=org_a, by=carol, name="Community voice")

        api(carol).post(f"/api/nominations/{nomination.pk}/approve/", {"badge_class": other.pk})

        assert Award.objects.get(recipient=bob.user).badge_class == other

    def test_without_a_matching_badge_approval_is_refused_and_nothing_changes(self, api, carol, pairing, alice, bob):
        nomination = services.nomination_create(
            mentee=bob, by=alice.user, category=Contribution.SPOKE_AT_EVENT, evidence_text="Spoke at the library."
        )
        before = stored()

        response = api(carol).post(f"/api/nominations/{nomination.pk}/approve/", {})

        assert response.status_code == 400
        assert "badge_class" in response.json()
        assert stored() == before

    def test_approval_picks_the_badge_of_this_organisation_for_this_contribution(
        self, api, org_a, org_b, carol, dave, pairing, alice, bob
    ):
        # given older badges for the same contribution elsewhere, and for another contribution here
        services.badge_class_create(organisation=org_b, by=dave, name="Theirs", contribution=Contribution.TRANSLATED)
        services.badge_class_create(
            organisation=org_a, by=carol, name="A peer helper", contribution=Contribution.HELPED_PEER
        )
        ours = services.badge_class_create(
            organisation=org_a, by=carol, name="Language bridge", contribution=Contribution.TRANSLATED
        )
        nomination = services.nomination_create(
            mentee=bob,
            by=alice.user,
            category=Contribution.TRANSLATED,
            evidence_text="Translated at school.",
            evidence_url="https://example.org/school",
        )

        assert api(carol).post(f"/api/nominations/{nomination.pk}/approve/", {}).status_code == 200
        award = Award.objects.get(recipient=bob.user)
        assert (award.badge_class, award.evidence_url) == (ours, "https://example.org/school")

    def test_a_milestone_badge_cannot_be_chosen(self, api, org_a, carol, nomination):
        milestone = services.milestone_badge_class(organisation_id=org_a.pk, milestone=Milestone.FIRST_SESSION)
        before = stored()

        response = api(carol).post(f"/api/nominations/{nomination.pk}/approve/", {"badge_class": milestone.pk})

        assert response.status_code == 400
        assert "badge_class" in response.json()
        assert stored() == before

    def test_another_organisations_badge_cannot_be_chosen(self, api, org_b, dave, carol, nomination):
        foreign = services.badge_class_create(organisation=org_b, by=dave, name="Elsewhere")
        before = stored()

        response = api(carol).post(f"/api/nominations/{nomination.pk}/approve/", {"badge_class": foreign.pk})

        assert response.status_code == 400
        assert "badge_class" in response.json()
        assert stored() == before

    def test_rejection_needs_a_reason_and_keeps_it(self, api, carol, nomination):
        before = stored()
        assert api(carol).post(f"/api/nominations/{nomination.pk}/reject/", {"reason": ""}).status_code == 400
        assert stored() == before

        response = api(carol).post(f"/api/nominations/{nomination.pk}/reject/", {"reason": "Not enough detail yet."})

        assert response.status_code == 200
        nomination.refresh_from_db()
        assert (nomination.status, nomination.reason, nomination.decided_by) == (
            "rejected",
            "Not enough detail yet.",
            carol,
        )
        assert Award.objects.count() == 0

    @pytest.mark.parametrize("first", ["approve", "reject"])
    def test_a_decided_nomination_cannot_be_decided_again(self, api, carol, nomination, first):
        api(carol).post(f"/api/nominations/{nomination.pk}/{first}/", {"reason": "because"})
        before = stored()

        for action in ("approve", "reject"):
            response = api(carol).post(f"/api/nominations/{nomination.pk}/{action}/", {"reason": "again"})
            assert response.status_code == 400
        assert stored() == before

    @pytest.mark.parametrize("action", ["approve", "reject"])
    def test_another_organisations_coordinator_gets_404(self, api, dave, nomination, action):
        response = api(dave).post(f"/api/nominations/{nomination.pk}/{action}/", {"reason": "x"})

        assert response.status_code == 404
        assert Nomination.objects.get().status == NominationStatus.PENDING

    @pytest.mark.parametrize("action", ["approve", "reject"])
    def test_the_nominating_volunteer_may_not_decide(self, api, alice, nomination, action):
        assert api(alice).post(f"/api/nominations/{nomination.pk}/{action}/", {"reason": "x"}).status_code == 403

    @pytest.mark.parametrize("who", ["alice", "dave"])
    def test_the_services_let_only_a_coordinator_of_the_organisation_decide(self, request, who, nomination):
        # the API stops these people first; the rule holds for any other caller of the services too
        other = request.getfixturevalue(who)
        user = getattr(other, "user", other)
        with pytest.raises(services.BadgeForbidden):
            services.nomination_reject(nomination_id=nomination.pk, by=user, reason="x")
        with pytest.raises(services.BadgeForbidden):
            services.nomination_approve(nomination_id=nomination.pk, by=user)
        assert Nomination.objects.get().status == NominationStatus.PENDING


class TestVisibility:
    def test_who_sees_a_pending_nomination(self, api, carol, alice, victor, bob, dave, nomination):
        def sees(who) -> bool:
            return api(who).get(f"/api/nominations/{nomination.pk}/").status_code == 200

        assert sees(carol)
        assert sees(alice)
        assert not sees(victor)
        assert not sees(dave)
        assert not sees(bob)  # the mentee hears of it once approved

    def test_the_mentee_sees_it_once_approved(self, api, carol, bob, nomination):
        services.nomination_approve(nomination_id=nomination.pk, by=carol)

        assert [row["id"] for row in api(bob).get("/api/nominations/").json()["results"]] == [nomination.pk]

    def test_the_coordinators_list_costs_a_fixed_number_of_queries(
        self, api, org_a, carol, alice, victor, bob, eve, nomination, django_assert_num_queries
    ):
        approve(org_a, carol, eve, victor)
        services.nomination_create(mentee=eve, by=victor.user, category="helped_peer", evidence_text="Helped.")

        with django_assert_num_queries(2):
            assert len(api(carol).get("/api/nominations/").json()["results"]) == 2


def test_the_mentees_one_may_nominate(org_a, pairing, carol, alice, victor, bob, eve, mallory):
    from badges.selectors import nominatable_mentees

    assert list(nominatable_mentees(user=alice.user)) == [bob]
    assert list(nominatable_mentees(user=victor.user)) == []
    assert set(nominatable_mentees(user=carol)) == {bob, eve}
    assert list(nominatable_mentees(user=bob.user)) == []
