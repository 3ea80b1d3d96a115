"""A match run at its edges (survivors of a mutation run of scheduling/services/match_runs.py): what a
coordinator watching its progress reads at each stage, what a failure records, that executing one run leaves
the others alone, and what storing a run's proposals keeps: other organisations' proposals, decided
pairings, every pair after a pinned one."""

import logging

from django.utils import timezone

from scheduling import matching
from scheduling.models import EndKind, MatchRun, MatchRunStatus, Pairing, PairingStatus
from scheduling.services import match_runs
from scheduling.services.match_runs import match_run_execute, match_run_start
from scheduling.services.pairings import pairing_approve, pairing_end, pairing_pin
from tests.conftest import make_mentee, make_volunteer, vet
from tests.scheduling.test_match_runs import proposed, ready, run


def test_a_run_asks_for_an_hour_in_common_unless_told_otherwise(org_a, carol):
    started = match_run_start(organisation=org_a, started_by=carol, weights={})
    assert started.min_overlap_minutes == 60
    assert MatchRun.objects.get(pk=started.pk).status == MatchRunStatus.QUEUED


def test_a_coordinator_watching_a_run_reads_each_stage_as_it_comes(org_a, carol, alice, bob, monkeypatch):
    ready(alice)
    ready(bob)
    seen = []

    def watching(step):
        def step_watched(*args, **kwargs):  # what the run's page, polling, reads as the step begins
            seen.append(MatchRun.objects.values("status", "stage", "progress", "started_at", "finished_at").get())
            return step(*args, **kwargs)

        return step_watched

    monkeypatch.setattr(match_runs, "match_instance", watching(match_runs.match_instance))
    monkeypatch.setattr(matching, "solve", watching(matching.solve))
    monkeypatch.setattr(match_runs, "_store", watching(match_runs._store))
    before = timezone.now()
    result = run(org_a, carol)
    assert [(row["status"], row["stage"], row["progress"]) for row in seen] == [
        (MatchRunStatus.RUNNING, "loading", 5),
        (MatchRunStatus.RUNNING, "matching", 30),
        (MatchRunStatus.RUNNING, "storing", 80),
    ]
    assert all(row["started_at"] >= before for row in seen)
    assert all(row["finished_at"] is None for row in seen)
    assert (result.status, result.stage, result.progress) == (MatchRunStatus.SUCCEEDED, "done", 100)
    assert before <= result.started_at <= result.finished_at
    assert result.total_score == Pairing.objects.get(match_run=result).score


def test_executing_a_run_claims_that_run_only(org_a, carol, alice, bob):
    ready(alice)
    ready(bob)
    first = match_run_start(organisation=org_a, started_by=carol, weights={})
    second = match_run_start(organisation=org_a, started_by=carol, weights={})
    match_run_execute(first.pk)
    second.refresh_from_db()
    assert (second.status, second.started_at, second.progress) == (MatchRunStatus.QUEUED, None, 0)
    assert match_run_execute(second.pk).status == MatchRunStatus.SUCCEEDED


def test_a_failure_records_when_and_the_first_2000_characters_of_what(org_a, carol, alice, bob, monkeypatch, caplog):
    ready(alice)
    ready(bob)

    def explode(*args, **kwargs):
        raise RuntimeError("x" * 2500)

    monkeypatch.setattr(matching, "solve", explode)
    before = timezone.now()
    with caplog.at_level(logging.ERROR, logger="scheduling.services.match_runs"):
        result = run(org_a, carol)
    assert (result.status, result.stage) == (MatchRunStatus.FAILED, "failed")
    assert result.error == "x" * 2000
    assert before <= result.started_at <= result.finished_at
    assert [record.getMessage() for record in caplog.records] == [f"match run {result.pk} failed"]


def test_a_run_leaves_another_organisations_proposals_alone(org_a, org_b, carol, dave, alice, bob, mallory):
    theirs = make_volunteer(org_b, "olga@example.org", "Olga", skills=["cv-writing"], capacity=1)
    for person in (alice, bob, theirs, mallory):
        ready(person)
    their_run = run(org_b, dave)
    assert proposed(their_run) == {(mallory.pk, theirs.pk)}
    run(org_a, carol)
    assert proposed(their_run) == {(mallory.pk, theirs.pk)}


def test_a_run_leaves_decided_pairings_alone(org_a, carol, alice, bob):
    vet(alice, by=carol)
    ready(alice)
    ready(bob)
    first = run(org_a, carol)
    approved = pairing_approve(pairing_id=Pairing.objects.get(match_run=first).pk, by=carol)
    run(org_a, carol)
    approved.refresh_from_db()
    assert approved.status == PairingStatus.APPROVED


def test_every_pair_after_a_pinned_one_is_proposed_too(org_a, carol, alice, bob):
    ready(alice)
    ready(bob)
    pinned = Pairing.objects.get(match_run=run(org_a, carol))
    pairing_pin(pairing_id=pinned.pk, pinned=True)
    later = [make_mentee(org_a, f"m{i}@example.org", f"M{i}", birth_year=2000) for i in range(2)]
    helpers = [make_volunteer(org_a, f"v{i}@example.org", f"V{i}", skills=["cv-writing"], capacity=1) for i in range(2)]
    for person in (*later, *helpers):
        ready(person)
    second = run(org_a, carol)
    pinned.refresh_from_db()
    assert pinned.match_run_id == second.pk
    pairs = proposed(second)
    assert (bob.pk, alice.pk) in pairs
    assert {mentee for mentee, _volunteer in pairs} == {bob.pk, *(mentee.pk for mentee in later)}


def test_a_run_delivered_twice_keeps_its_first_start_and_its_proposals(org_a, carol, alice, bob):
    ready(alice)
    ready(bob)
    started = match_run_start(organisation=org_a, started_by=carol, weights={})
    first = match_run_execute(started.pk)
    proposal = Pairing.objects.get(match_run=first)
    again = match_run_execute(started.pk)
    assert (again.started_at, again.finished_at) == (first.started_at, first.finished_at)
    assert list(Pairing.objects.filter(match_run=first)) == [proposal]


def test_a_pinned_pair_that_was_approved_and_ended_is_proposed_anew(org_a, carol, alice, bob):
    vet(alice, by=carol)
    ready(alice)
    ready(bob)
    first = run(org_a, carol)
    pairing = Pairing.objects.get(match_run=first)
    pairing_pin(pairing_id=pairing.pk, pinned=True)
    pairing_approve(pairing_id=pairing.pk, by=carol)
    pairing_end(pairing_id=pairing.pk, by=carol, kind=EndKind.COMPLETED, reason="Done")
    ready(bob)  # a new help request
    second = run(org_a, carol)
    pairing.refresh_from_db()
    assert (pairing.status, pairing.match_run_id) == (PairingStatus.ENDED, first.pk)
    assert proposed(second) == {(bob.pk, alice.pk)}
