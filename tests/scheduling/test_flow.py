"""The whole flow through the API: availability, a help request, a match run, a proposal with its reasons,
approval, a booked session and a held session."""

from datetime import datetime, timedelta

import pytest
from django.core import mail
from django.utils import timezone

from mentees.models import HelpRequest

pytestmark = pytest.mark.django_db


def test_a_mentee_and_a_volunteer_are_matched_approved_and_meet(
    api, alice, bob, carol, monkeypatch, django_capture_on_commit_callbacks
):
    # given a volunteer free on Monday evenings in Madrid and a mentee free on Monday evenings in Athens
    volunteer, mentee, coordinator = api(alice), api(bob), api(carol)
    bob.user.timezone = "Europe/Athens"
    bob.user.save()
    response = volunteer.put(
        "/api/availability/", {"windows": [{"day": "mon", "start": "18:00", "end": "21:00"}]}, format="json"
    )
    assert response.status_code == 200, response.json()
    response = mentee.put(
        "/api/availability/", {"windows": [{"day": "mon", "start": "20:00", "end": "23:00"}]}, format="json"
    )
    assert response.status_code == 200
    # the mentee's evening, seen from Madrid, starts at 19:00
    seen = coordinator.get(f"/api/availability/{bob.user.pk}/?tz=Europe/Madrid").json()
    assert seen["windows"] == [{"day": "mon", "start": "19:00", "end": "22:00"}]
    response = mentee.post(
        "/api/help-requests/", {"needs": ["cv-writing"], "description": "My first CV"}, format="json"
    )
    assert response.status_code == 201
    help_request_id = response.json()["id"]

    # when the coordinator runs the matcher
    with django_capture_on_commit_callbacks(execute=True):
        response = coordinator.post("/api/match-runs/", {"weights": {"need_weight": 60}}, format="json")
    assert response.status_code == 202
    run = coordinator.get(f"/api/match-runs/{response.json()['id']}/").json()

    # then it proposes the pair, with readable reasons
    assert run["status"] == "succeeded", run["error"]
    assert run["matched"] == 1
    assert run["mentees_considered"] == 1
    proposals = coordinator.get("/api/pairings/?status=proposed").json()["results"]
    assert len(proposals) == 1
    proposal = proposals[0]
    assert proposal["mentee"]["id"] == bob.pk
    assert proposal["volunteer"]["id"] == alice.pk
    assert proposal["reasons"] == [
        {"kind": "language", "code": "ar", "level": "fluent"},
        {"kind": "need", "code": "cv-writing"},
        {"kind": "overlap", "minutes": 120},
    ]
    assert proposal["reason_texts"] == ["speaks Arabic", "covers CV writing", "120 min a week in common"]
    # and the mentee cannot see an undecided proposal
    assert mentee.get(f"/api/pairings/{proposal['id']}/").status_code == 404

    # when the coordinator approves it
    with django_capture_on_commit_callbacks(execute=True):
        response = coordinator.post(f"/api/pairings/{proposal['id']}/approve/")
    assert response.status_code == 200
    assert response.json()["status"] == "approved"
    assert sorted(message.to[0] for message in mail.outbox) == ["alice@example.org", "bob@example.org"]
    assert HelpRequest.objects.get(pk=help_request_id).status == "matched"

    # then the pair sees it, gets suggested times on Monday evening and books the first
    times = mentee.get(f"/api/pairings/{proposal['id']}/suggested-times/").json()
    assert times
    start = datetime.fromisoformat(times[0]["start"])
    assert start.astimezone(timezone.get_default_timezone()).weekday() == 0
    response = mentee.post(
        "/api/sessions/",
        {"pairing": proposal["id"], "start": times[0]["start"], "end": (start + timedelta(hours=1)).isoformat()},
        format="json",
    )
    assert response.status_code == 201, response.json()
    session_id = response.json()["id"]
    assert coordinator.get(f"/api/pairings/{proposal['id']}/").json()["status"] == "active"

    # and after it took place the volunteer marks it held
    later = start + timedelta(hours=2)
    monkeypatch.setattr(timezone, "now", lambda: later)
    response = volunteer.post(f"/api/sessions/{session_id}/held/")
    assert response.status_code == 200
    assert response.json()["status"] == "held"
