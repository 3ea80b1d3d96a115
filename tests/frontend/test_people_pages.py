"""Mentees' own pages: help requests (the profile of every role: test_profile_page.py)."""

import pytest

from mentees.models import HelpRequest

pytestmark = pytest.mark.django_db


def test_it_lets_a_mentee_file_and_follow_a_help_request(login, bob):
    client = login(bob)
    response = client.post("/my/help-requests/", {"needs": ["cv-writing"], "urgency": "high", "description": "CV"})
    assert response.status_code == 302
    request = HelpRequest.objects.get(mentee=bob)
    assert request.urgency == "high"
    assert list(request.languages.values_list("code", flat=True)) == ["ar"]
    html = client.get("/my/help-requests/").content.decode()
    assert "Your request was sent" in html
    assert "High" in html


def test_it_shows_a_help_request_without_needs_as_an_error_and_files_nothing(login, bob):
    response = login(bob).post("/my/help-requests/", {"needs": [], "urgency": "sometime"})
    html = response.content.decode()
    assert 'id="id_needs_error"' in html
    assert 'id="id_urgency_error"' in html
    assert not HelpRequest.objects.exists()


def test_it_tells_a_minor_waiting_for_consent_why_no_mentor_is_sought_yet(login, mia):
    assert "guardian must agree" in login(mia).get("/my/help-requests/").content.decode()


@pytest.mark.parametrize("who", ["alice", "carol"])
def test_it_keeps_the_mentee_page_from_volunteers_and_coordinators(login, request, who):
    assert login(request.getfixturevalue(who)).get("/my/help-requests/").status_code == 403
