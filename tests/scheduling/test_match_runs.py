"""What a match run considers, keeps and refuses."""

import pytest
from django.utils import timezone

from accounts.models import Skill
from accounts.selectors import Vocabulary
from mentees.services import consent_record, help_request_close, help_request_create
from safeguarding.models import Action, Entry
from scheduling.models import MatchRun, Pairing, PairingStatus
from scheduling.reasons import render_reasons
from scheduling.services.availability import availability_replace
from scheduling.services.match_runs import match_run_execute, match_run_start
from scheduling.services.pairings import pairing_approve, pairing_pin, pairing_reject
from tests.conftest import make_mentee, make_volunteer, vet

pytestmark = pytest.mark.django_db

EVENING = [(0, 18 * 60, 21 * 60), (2, 18 * 60, 21 * 60)]


def ready(person, needs=("cv-writing",)):
    """Give a profile Monday and Wednesday evenings and, for a mentee, an open help request."""
    availability_replace(user=person.user, windows=EVENING)
    if hasattr(person, "birth_year"):
        return help_request_create(mentee=person, needs=Skill.objects.filter(slug__in=needs))
    return None


def run(organisation, by, **weights) -> MatchRun:
    started = match_run_start(organisation=organisation, started_by=by, weights=weights)
    return match_run_execute(started.pk)


def proposed(run_: MatchRun) -> set[tuple[int, int]]:
    return set(
        Pairing.objects.filter(match_run=run_, status=PairingStatus.PROPOSED).values_list("mentee_id", "volunteer_id")
    )


def test_it_proposes_pairs_with_scores_reasons_and_counts(org_a, carol, alice, bob):
    ready(alice)
    help_request = ready(bob)
    result = run(org_a, carol)
    assert result.status == "succeeded"
    assert (result.mentees_considered, result.volunteers_considered, result.matched) == (1, 1, 1)
    assert result.candidate_pairs == 1
    assert result.progress == 100
    assert set(result.timings) >= {"candidates_s", "solve_s"}
    pairing = Pairing.objects.get(match_run=result)
    assert (pairing.mentee_id, pairing.volunteer_id, pairing.help_request_id) == (bob.pk, alice.pk, help_request.pk)
    assert pairing.score > 0
    assert pairing.reasons == [  # alice speaks Arabic fluently, bob natively; both free 2 x 3 h a week
        {"kind": "language", "code": "ar", "level": "fluent"},
        {"kind": "need", "code": "cv-writing"},
        {"kind": "overlap", "minutes": 360},
    ]


def test_it_stores_reasons_in_any_language_of_the_vocabulary(org_a, carol):
    # given a volunteer and a mentee whose only common language is Bambara, which the matcher has no name for
    bambara = [{"language": "bm", "level": "native"}]
    ready(make_volunteer(org_a, "awa@example.org", "Awa", languages=bambara, skills=["cv-writing"]))
    ready(make_mentee(org_a, "sekou@example.org", "Sekou", languages=bambara))
    # when a run proposes them
    pairing = Pairing.objects.get(match_run=run(org_a, carol))
    # then the stored reason names the code, and the renderer names the language from the vocabulary
    assert pairing.reasons[0] == {"kind": "language", "code": "bm", "level": "native"}
    assert render_reasons(pairing.reasons, Vocabulary())[0] == "speaks Bambara (native level)"


def test_it_only_considers_open_requests_and_active_profiles(org_a, carol, alice, bob, mia, eve):
    ready(alice)
    help_request_close(help_request=ready(bob))  # closed request
    ready(mia)  # a minor without consent: inactive
    ready(eve)
    eve.user.is_active = False
    eve.user.save()
    result = run(org_a, carol)
    assert result.mentees_considered == 0
    assert result.matched == 0


def test_it_never_pairs_a_minor_with_an_unvetted_or_expired_volunteer(org_a, carol, alice, mia):
    ready(alice)
    ready(mia)
    consent_record(
        mentee=mia, guardian_name="Amal", given_on=timezone.localdate(), method="signed_form", recorded_by=carol
    )
    assert run(org_a, carol).matched == 0  # alice not vetted
    vet(alice, carol, expires_in_days=-1)
    assert run(org_a, carol).matched == 0  # alice's check expired yesterday
    vet(alice, carol)
    assert proposed(run(org_a, carol)) == {(mia.pk, alice.pk)}


def test_it_respects_capacity_already_taken_by_approved_pairings(org_a, carol, victor, bob, eve):
    ready(victor, ())  # capacity 1, housing
    ready(bob, ("housing",))
    ready(eve, ("housing",))
    first = run(org_a, carol)
    (pairing,) = Pairing.objects.filter(match_run=first)
    pairing_approve(pairing_id=pairing.pk, by=carol)
    second = run(org_a, carol)
    assert second.volunteers_considered == 0
    assert proposed(second) == set()


def test_it_never_proposes_a_pair_a_coordinator_rejected(org_a, carol, alice, bob):
    ready(alice)
    ready(bob)
    (pairing,) = Pairing.objects.filter(match_run=run(org_a, carol))
    pairing_reject(pairing_id=pairing.pk, by=carol, reason="Bob asked for a woman mentor")
    assert proposed(run(org_a, carol)) == set()


def test_it_keeps_a_pinned_proposal_even_when_a_better_pair_appears(org_a, carol, alice, bob):
    ready(alice)
    ready(bob)
    (pairing,) = Pairing.objects.filter(match_run=run(org_a, carol))
    # pin a weaker alternative: a volunteer who covers nothing bob needs
    weaker = make_volunteer(org_a, "weak@example.org", "Weak", skills=["video-editing"])
    ready(weaker)
    Pairing.objects.filter(pk=pairing.pk).delete()
    alternative = Pairing.objects.create(organisation=org_a, mentee=bob, volunteer=weaker, score=1)
    pairing_pin(pairing_id=alternative.pk, pinned=True)
    result = run(org_a, carol)
    assert Pairing.objects.filter(organisation=org_a, status="proposed").count() == 1
    alternative.refresh_from_db()
    assert alternative.match_run_id == result.pk
    assert alternative.pinned


def test_a_new_run_replaces_undecided_proposals(org_a, carol, alice, bob):
    ready(alice)
    ready(bob)
    first = run(org_a, carol)
    second = run(org_a, carol)
    assert not Pairing.objects.filter(match_run=first).exists()
    assert proposed(second) == {(bob.pk, alice.pk)}


def test_a_failed_run_records_its_message(org_a, carol, alice, bob, monkeypatch):
    from scheduling import matching

    ready(alice)
    ready(bob)

    def explode(*args, **kwargs):
        raise matching.InvalidInstance(["volunteers[0].timezone: unknown time zone 'Mars/Olympus'"])

    monkeypatch.setattr(matching, "solve", explode)
    result = run(org_a, carol)
    assert result.status == "failed"
    assert "Mars/Olympus" in result.error
    assert not Pairing.objects.exists()


def test_a_run_is_executed_once_even_if_its_task_is_delivered_twice(org_a, carol, alice, bob):
    ready(alice)
    ready(bob)
    started = match_run_start(organisation=org_a, started_by=carol, weights={})
    match_run_execute(started.pk)
    match_run_execute(started.pk)
    assert Pairing.objects.filter(match_run=started).count() == 1


def test_weights_change_the_score(org_a, carol, alice, bob):
    ready(alice)
    ready(bob)
    default = Pairing.objects.get(match_run=run(org_a, carol)).score
    heavier = Pairing.objects.get(match_run=run(org_a, carol, need_weight=200)).score
    assert heavier > default


def test_a_runs_queries_do_not_grow_with_the_people_and_proposals(org_a, carol, alice, victor, bob, eve):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    ready(alice)
    ready(bob)
    run(org_a, carol)  # so that each measured run replaces earlier proposals
    with CaptureQueriesContext(connection) as small:
        assert run(org_a, carol).matched == 1
    ready(victor, needs=())
    ready(eve, needs=("housing",))
    ready(make_volunteer(org_a, "wanda@example.org", "Wanda", skills=["cv-writing"]))
    with CaptureQueriesContext(connection) as larger:
        assert run(org_a, carol).matched == 2
    assert len(larger.captured_queries) == len(small.captured_queries)


def test_a_run_logs_only_its_own_proposals_naming_the_two_people_and_the_score(
    org_a, org_b, carol, alice, bob, mallory
):
    # given another organisation has an undecided proposal of its own
    Pairing.objects.create(
        organisation=org_b, mentee=mallory, volunteer=make_volunteer(org_b, "olga@nicosia.example", "Olga")
    )
    ready(alice)
    ready(bob)
    result = run(org_a, carol)
    proposal = Pairing.objects.get(match_run=result)
    entries = Entry.objects.filter(action=Action.PAIRING_PROPOSED)
    assert [(entry.object_id, entry.detail) for entry in entries] == [
        (
            proposal.pk,
            {"match_run": result.pk, "volunteer": alice.user_id, "mentee": bob.user_id, "score": proposal.score},
        )
    ]
    # who asked for it (the run's starter) and whom it concerns (the mentee)
    assert [(entry.actor_id, entry.subject_id) for entry in entries] == [(carol.pk, bob.user_id)]
