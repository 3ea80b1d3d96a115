"""The match-runs API: only coordinators start and read runs, only their own organisation's; bad weights and
overlap are refused per field before any run exists."""

import pytest

from accounts.models import Skill
from mentees.services import help_request_create
from scheduling.models import MatchRun, Pairing
from scheduling.services.availability import availability_replace
from scheduling.services.match_runs import match_run_execute, match_run_start

pytestmark = pytest.mark.django_db

EVENINGS = [(0, 18 * 60, 21 * 60), (2, 18 * 60, 21 * 60)]


@pytest.fixture
def ready(alice, bob):
    """Alice and bob are free on the same evenings and bob asks for help with his CV."""
    availability_replace(user=alice.user, windows=EVENINGS)
    availability_replace(user=bob.user, windows=EVENINGS)
    return help_request_create(mentee=bob, needs=Skill.objects.filter(slug="cv-writing"))


def start_run(organisation, by) -> MatchRun:
    return match_run_execute(match_run_start(organisation=organisation, started_by=by, weights={}).pk)


class TestStart:
    def test_a_coordinator_starts_a_run_that_is_accepted_then_executed(
        self, api, ready, org_a, carol, alice, bob, django_capture_on_commit_callbacks
    ):
        # given the weights and overlap a coordinator chose
        body = {
            "weights": {
                "need_weight": 70,
                "language_weight": 10.5,
                "overlap_weight": 20,
                "overlap_saturation_minutes": 120,
            },
            "min_overlap_minutes": 90,
        }
        # when they start a run
        with django_capture_on_commit_callbacks(execute=True) as callbacks:
            response = api(carol).post("/api/match-runs/", body, format="json")
        # then it is accepted, queued, and executed after commit
        assert response.status_code == 202, response.json()
        accepted = response.json()
        assert (accepted["status"], accepted["organisation"]) == ("queued", org_a.pk)
        assert len(callbacks) == 1
        run = MatchRun.objects.get(pk=accepted["id"])
        assert (run.status, run.matched, run.started_by) == ("succeeded", 1, carol)
        assert run.weights == body["weights"]
        assert run.min_overlap_minutes == 90
        assert list(Pairing.objects.filter(match_run=run).values_list("mentee_id", "volunteer_id")) == [
            (bob.pk, alice.pk)
        ]
        # and reading it shows the outcome
        shown = api(carol).get(f"/api/match-runs/{run.pk}/").json()
        assert (shown["status"], shown["progress"], shown["matched"], shown["mentees_considered"]) == (
            "succeeded",
            100,
            1,
            1,
        )

    def test_a_run_without_a_body_uses_the_defaults(self, api, carol, django_capture_on_commit_callbacks):
        with django_capture_on_commit_callbacks(execute=True):
            response = api(carol).post("/api/match-runs/", {}, format="json")
        assert response.status_code == 202
        run = MatchRun.objects.get(pk=response.json()["id"])
        assert (run.weights, run.min_overlap_minutes, run.status) == ({}, 60, "succeeded")

    @pytest.mark.parametrize("minutes", [15, 600])
    def test_the_overlap_bounds_are_allowed(self, api, carol, minutes, django_capture_on_commit_callbacks):
        with django_capture_on_commit_callbacks(execute=True):
            response = api(carol).post("/api/match-runs/", {"min_overlap_minutes": minutes}, format="json")
        assert response.status_code == 202
        assert MatchRun.objects.get().min_overlap_minutes == minutes

    @pytest.mark.parametrize(
        ("body", "field", "says"),
        [
            ({"weights": {"need_weigth": 60}}, "weights", "unknown weight"),
            ({"weights": {"need_weight": -1}}, "weights", ""),
            ({"weights": {"overlap_weight": 1_000_001}}, "weights", ""),
            ({"weights": {"language_weight": "lots"}}, "weights", ""),
            ({"weights": {"overlap_saturation_minutes": 0}}, "weights", "positive"),
            ({"weights": {"need_weight": "NaN"}}, "weights", ""),
            ({"weights": [60, 20]}, "weights", ""),
            ({"min_overlap_minutes": 5}, "min_overlap_minutes", ""),
            ({"min_overlap_minutes": 14}, "min_overlap_minutes", ""),
            ({"min_overlap_minutes": 601}, "min_overlap_minutes", ""),
            ({"min_overlap_minutes": "an hour"}, "min_overlap_minutes", ""),
        ],
        ids=[
            "unknown-key",
            "negative",
            "too-big",
            "not-a-number",
            "zero-saturation",
            "nan",
            "not-an-object",
            "overlap-5",
            "overlap-14",
            "overlap-601",
            "overlap-text",
        ],
    )
    def test_it_refuses_bad_settings_per_field_and_creates_no_run(
        self, api, carol, body, field, says, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=True) as callbacks:
            response = api(carol).post("/api/match-runs/", body, format="json")
        assert response.status_code == 400
        assert set(response.json()) == {field}
        assert says in str(response.json()[field])
        assert not MatchRun.objects.exists()
        assert callbacks == []

    def test_bad_weights_and_overlap_are_both_reported(self, api, carol):
        response = api(carol).post(
            "/api/match-runs/", {"weights": {"need_weight": -5}, "min_overlap_minutes": 5}, format="json"
        )
        assert response.status_code == 400
        assert set(response.json()) == {"weights", "min_overlap_minutes"}
        assert not MatchRun.objects.exists()

    @pytest.mark.parametrize("who", ["alice", "bob", "mallory"])
    def test_volunteers_and_mentees_cannot_start_a_run(self, api, request, who):
        response = api(request.getfixturevalue(who)).post("/api/match-runs/", {}, format="json")
        assert response.status_code == 403
        assert not MatchRun.objects.exists()

    def test_anonymous_callers_cannot_start_a_run(self, api, carol):
        assert api(None).post("/api/match-runs/", {}, format="json").status_code == 401
        assert not MatchRun.objects.exists()

    def test_a_run_only_ever_covers_the_coordinators_own_organisation(
        self, api, ready, org_b, dave, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=True):
            response = api(dave).post("/api/match-runs/", {}, format="json")
        run = MatchRun.objects.get(pk=response.json()["id"])
        assert (run.organisation, run.mentees_considered, run.volunteers_considered) == (org_b, 0, 0)
        assert not Pairing.objects.exists()


class TestRead:
    def test_coordinators_list_only_their_organisations_runs(self, api, org_a, org_b, carol, dave):
        ours = [start_run(org_a, carol), start_run(org_a, carol)]
        theirs = start_run(org_b, dave)
        listed = api(carol).get("/api/match-runs/").json()["results"]
        assert [run["id"] for run in listed] == [ours[1].pk, ours[0].pk]  # newest first
        assert [run["id"] for run in api(dave).get("/api/match-runs/").json()["results"]] == [theirs.pk]

    def test_a_coordinator_of_another_organisation_gets_404_on_a_run(self, api, org_a, carol, dave):
        run = start_run(org_a, carol)
        assert api(carol).get(f"/api/match-runs/{run.pk}/").status_code == 200
        assert api(dave).get(f"/api/match-runs/{run.pk}/").status_code == 404

    @pytest.mark.parametrize("who", ["alice", "bob", "mia"])
    def test_volunteers_and_mentees_may_not_read_runs(self, api, request, org_a, carol, who):
        run = start_run(org_a, carol)
        client = api(request.getfixturevalue(who))
        assert client.get("/api/match-runs/").status_code == 403
        assert client.get(f"/api/match-runs/{run.pk}/").status_code == 403

    def test_anonymous_callers_may_not_read_runs(self, api, org_a, carol):
        run = start_run(org_a, carol)
        assert api(None).get("/api/match-runs/").status_code == 401
        assert api(None).get(f"/api/match-runs/{run.pk}/").status_code == 401

    def test_a_failed_run_shows_its_error(self, api, ready, org_a, carol, monkeypatch):
        from scheduling import matching

        def explode(*args, **kwargs):
            raise matching.InvalidInstance(["mentees[0].timezone: unknown time zone 'Mars/Olympus'"])

        monkeypatch.setattr(matching, "solve", explode)
        run = start_run(org_a, carol)
        shown = api(carol).get(f"/api/match-runs/{run.pk}/").json()
        assert (shown["status"], shown["stage"]) == ("failed", "failed")
        assert "Mars/Olympus" in shown["error"]

    def test_the_list_costs_the_same_number_of_queries_however_many_runs(
        self, api, ready, org_a, carol, django_assert_num_queries
    ):
        start_run(org_a, carol)
        client = api(carol)
        with django_assert_num_queries(2):  # count, page
            assert len(client.get("/api/match-runs/").json()["results"]) == 1
        for _ in range(6):
            start_run(org_a, carol)
        with django_assert_num_queries(2):
            assert len(client.get("/api/match-runs/").json()["results"]) == 7
