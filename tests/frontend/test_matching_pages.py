"""The coordinator's match runs, their progress, and the proposals with their reasons: approve, reject, pin."""

import pytest

from accounts.models import Skill
from mentees.services import help_request_create
from safeguarding.models import Action, Entry
from scheduling.models import MatchRun, Pairing, PairingStatus
from scheduling.services.availability import availability_replace
from scheduling.services.match_runs import match_run_execute, match_run_start
from tests.conftest import make_mentee, make_volunteer

pytestmark = pytest.mark.django_db
EVENINGS = [(0, 18 * 60, 21 * 60), (2, 18 * 60, 21 * 60)]


@pytest.fixture
def ready(alice, bob):
    """Alice and bob are free on the same evenings and bob asks for help with his CV."""
    availability_replace(user=alice.user, windows=EVENINGS)
    availability_replace(user=bob.user, windows=EVENINGS)
    return help_request_create(mentee=bob, needs=Skill.objects.filter(slug="cv-writing"))


def proposal(org, coordinator) -> Pairing:
    run = match_run_execute(match_run_start(organisation=org, started_by=coordinator, weights={}).pk)
    return Pairing.objects.get(match_run=run)


def test_a_coordinator_starts_a_run_and_is_taken_to_its_progress(
    login, carol, ready, django_capture_on_commit_callbacks
):
    client = login(carol)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/coordinator/match-runs/",
            {"need_weight": "60", "language_weight": "20", "overlap_weight": "20", "min_overlap_minutes": "90"},
        )
    run = MatchRun.objects.get()
    assert response["Location"] == f"/coordinator/match-runs/{run.pk}/"
    assert (run.weights["need_weight"], run.min_overlap_minutes, run.started_by) == (60, 90, carol)
    html = client.get(response["Location"]).content.decode()
    assert "Succeeded" in html
    assert f"/coordinator/proposals/?status=proposed&amp;match_run={run.pk}" in html
    assert "hx-trigger" not in html  # finished: nothing polls any more


def test_a_running_runs_status_polls_with_htmx_and_offers_a_reload(login, carol):
    run = match_run_start(organisation=carol.organisation, started_by=carol, weights={})  # not executed
    client = login(carol)
    html = client.get(f"/coordinator/match-runs/{run.pk}/").content.decode()
    assert 'hx-trigger="every 2s"' in html
    assert "Reload to see the progress" in html
    partial = client.get(f"/coordinator/match-runs/{run.pk}/", HTTP_HX_REQUEST="true")
    assert "<html" not in partial.content.decode()
    assert 'id="run-status"' in partial.content.decode()


def test_it_refuses_bad_weights_and_starts_nothing(login, carol):
    response = login(carol).post(
        "/coordinator/match-runs/",
        {"need_weight": "-1", "language_weight": "x", "overlap_weight": "20", "min_overlap_minutes": "60"},
    )
    html = response.content.decode()
    assert 'id="id_need_weight_error"' in html
    assert 'id="id_language_weight_error"' in html
    assert not MatchRun.objects.exists()


def test_it_hides_another_organisations_run(login, dave, carol):
    run = match_run_start(organisation=carol.organisation, started_by=carol, weights={})
    assert login(dave).get(f"/coordinator/match-runs/{run.pk}/").status_code == 404


def test_it_shows_proposals_with_their_reasons_and_approves_one(login, carol, ready, alice, bob):
    pairing = proposal(carol.organisation, carol)
    client = login(carol)
    html = client.get("/coordinator/proposals/").content.decode()
    assert "Bob with Alice" in html
    from accounts.selectors import Vocabulary
    from scheduling.reasons import render_reasons

    texts = render_reasons(pairing.reasons, Vocabulary())
    assert texts
    for text in texts:
        assert text in html
    response = client.post(f"/coordinator/pairings/{pairing.pk}/approve/", {"next": "/coordinator/proposals/"})
    assert response["Location"] == "/coordinator/proposals/"
    pairing.refresh_from_db()
    assert pairing.status == PairingStatus.APPROVED
    assert pairing.decided_by == carol


def test_a_refused_approval_is_shown_and_changes_nothing(login, carol, alice, mia):
    pairing = Pairing.objects.create(organisation=carol.organisation, volunteer=alice, mentee=mia)
    client = login(carol)
    response = client.post(
        f"/coordinator/pairings/{pairing.pk}/approve/", {"next": "/coordinator/proposals/"}, follow=True
    )
    assert "consent must be recorded" in response.content.decode()
    pairing.refresh_from_db()
    assert pairing.status == PairingStatus.PROPOSED


def test_it_rejects_a_proposal_with_a_reason_and_not_without(login, carol, ready):
    pairing = proposal(carol.organisation, carol)
    client = login(carol)
    html = client.post(f"/coordinator/pairings/{pairing.pk}/reject/", {"reason": ""}).content.decode()
    assert 'id="id_reason_error"' in html
    pairing.refresh_from_db()
    assert pairing.status == PairingStatus.PROPOSED
    client.post(f"/coordinator/pairings/{pairing.pk}/reject/", {"reason": "They met before"})
    pairing.refresh_from_db()
    assert (pairing.status, pairing.rejection_reason) == (PairingStatus.REJECTED, "They met before")
    assert Entry.objects.filter(action=Action.PAIRING_REJECTED).exists()


def test_it_pins_and_unpins_a_proposal(login, carol, ready):
    pairing = proposal(carol.organisation, carol)
    client = login(carol)
    client.post(f"/coordinator/pairings/{pairing.pk}/pin/", {"pinned": "1"})
    pairing.refresh_from_db()
    assert pairing.pinned
    client.post(f"/coordinator/pairings/{pairing.pk}/pin/", {"pinned": "0"})
    pairing.refresh_from_db()
    assert not pairing.pinned


def test_it_never_goes_back_to_another_site_after_a_decision(login, carol, ready):
    pairing = proposal(carol.organisation, carol)
    response = login(carol).post(
        f"/coordinator/pairings/{pairing.pk}/pin/", {"pinned": "1", "next": "https://evil.example/"}
    )
    assert response["Location"] == "/coordinator/proposals/"


def test_another_organisations_coordinator_cannot_decide(login, dave, carol, ready):
    pairing = proposal(carol.organisation, carol)
    client = login(dave)
    assert client.post(f"/coordinator/pairings/{pairing.pk}/approve/").status_code == 404
    assert client.post(f"/coordinator/pairings/{pairing.pk}/reject/", {"reason": "x"}).status_code == 404
    assert client.post(f"/coordinator/pairings/{pairing.pk}/pin/", {"pinned": "1"}).status_code == 404
    pairing.refresh_from_db()
    assert (pairing.status, pairing.pinned) == (PairingStatus.PROPOSED, False)


@pytest.mark.parametrize(
    "url",
    ["/coordinator/match-runs/", "/coordinator/proposals/", "/coordinator/held-messages/", "/coordinator/reports/"],
)
@pytest.mark.parametrize("who", ["alice", "bob"])
def test_it_refuses_the_matching_and_oversight_pages_to_others(login, request, url, who):
    assert login(request.getfixturevalue(who)).get(url).status_code == 403


@pytest.mark.parametrize("url", ["/coordinator/match-runs/", "/coordinator/proposals/"])
def test_it_sends_visitors_to_log_in(client, url):
    assert client.get(url)["Location"].startswith("/account/login/")


def test_it_approves_only_by_post(login, carol, ready):
    pairing = proposal(carol.organisation, carol)
    assert login(carol).get(f"/coordinator/pairings/{pairing.pk}/approve/").status_code == 405


@pytest.mark.parametrize("count", [2, 12])
def test_it_lists_proposals_in_constant_queries(login, carol, org_a, count, django_assert_num_queries):
    for index in range(count):
        volunteer = make_volunteer(org_a, f"v{index}@example.org", f"V{index}")
        mentee = make_mentee(org_a, f"m{index}@example.org", f"M{index}")
        Pairing.objects.create(organisation=org_a, volunteer=volunteer, mentee=mentee, reasons=["speaks Arabic"])
    client = login(carol)
    # session, user, count, page (with both people)
    with django_assert_num_queries(4):
        html = client.get("/coordinator/proposals/").content.decode()
    assert html.count('class="card"') == count
