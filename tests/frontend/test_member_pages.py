"""A mentee's mentor and why they were paired, a volunteer's mentees; sessions booked at a suggested time,
cancelled, and marked held or missed."""

import datetime

import pytest
from django.utils import timezone

from scheduling.models import MentoringSession, Pairing, SessionStatus
from scheduling.services.availability import availability_replace
from scheduling.services.pairings import pairing_approve
from tests.conftest import make_mentee

pytestmark = pytest.mark.django_db
EVERY_DAY = [(day, 9 * 60, 21 * 60) for day in range(7)]


@pytest.fixture
def pairing(org_a, alice, bob, carol) -> Pairing:
    availability_replace(user=alice.user, windows=EVERY_DAY)
    availability_replace(user=bob.user, windows=EVERY_DAY)
    proposal = Pairing.objects.create(
        organisation=org_a, volunteer=alice, mentee=bob, reasons=["speaks Arabic", "covers CV writing"]
    )
    return pairing_approve(pairing_id=proposal.pk, by=carol)


def past_session(pairing) -> MentoringSession:
    start = timezone.now() - datetime.timedelta(hours=2)
    return MentoringSession.objects.create(
        pairing=pairing,
        organisation_id=pairing.organisation_id,
        start=start,
        end=start + datetime.timedelta(hours=1),
        booked_by=pairing.mentee.user,
    )


def test_a_mentee_sees_the_mentor_why_they_were_paired_and_the_chat(login, bob, pairing):
    html = login(bob).get("/my/pairings/").content.decode()
    assert "My mentor" in html
    assert "Alice" in html
    assert "covers CV writing" in html
    assert f'href="/conversations/{pairing.conversation.pk}/"' in html


def test_a_volunteer_sees_the_mentees_with_suggested_times(login, alice, pairing):
    html = login(alice).get("/my/pairings/").content.decode()
    assert "My mentees" in html
    assert "Bob" in html
    assert 'type="radio"' in html


def test_a_mentee_books_a_session_at_a_suggested_time(login, bob, pairing):
    client = login(bob)
    html = client.get("/my/pairings/").content.decode()
    value = html.split(f'name="p{pairing.pk}-time" value="', 1)[1].split('"', 1)[0]
    response = client.post(f"/my/pairings/{pairing.pk}/sessions/", {f"p{pairing.pk}-time": value})
    assert response["Location"] == "/my/pairings/"
    session = MentoringSession.objects.get()
    assert session.start.isoformat() == value
    assert session.end - session.start == datetime.timedelta(hours=1)
    assert session.booked_by == bob.user


def test_a_time_that_was_not_suggested_books_nothing(login, bob, pairing):
    response = login(bob).post(
        f"/my/pairings/{pairing.pk}/sessions/", {f"p{pairing.pk}-time": "2020-01-01T10:00:00+00:00"}, follow=True
    )
    assert "Choose one of the suggested times." in response.content.decode()
    assert not MentoringSession.objects.exists()


def test_a_volunteer_cancels_a_session_to_come(login, alice, bob, pairing):
    start = timezone.now() + datetime.timedelta(days=1)
    session = MentoringSession.objects.create(
        pairing=pairing,
        organisation_id=pairing.organisation_id,
        start=start,
        end=start + datetime.timedelta(hours=1),
        booked_by=bob.user,
    )
    login(alice).post(f"/my/sessions/{session.pk}/", {"action": "cancel", "reason": "Ill"})
    session.refresh_from_db()
    assert (session.status, session.cancel_reason) == (SessionStatus.CANCELLED, "Ill")


def test_a_session_that_happened_is_marked_held_or_missed(login, alice, pairing):
    session = past_session(pairing)
    client = login(alice)
    client.post(f"/my/sessions/{session.pk}/", {"action": "held"})
    session.refresh_from_db()
    assert session.status == SessionStatus.HELD
    client.post(f"/my/sessions/{session.pk}/", {"action": "missed"})
    session.refresh_from_db()
    assert session.status == SessionStatus.MISSED


def test_a_session_to_come_cannot_be_marked_held(login, alice, bob, pairing):
    start = timezone.now() + datetime.timedelta(days=1)
    session = MentoringSession.objects.create(
        pairing=pairing,
        organisation_id=pairing.organisation_id,
        start=start,
        end=start + datetime.timedelta(hours=1),
        booked_by=bob.user,
    )
    response = login(alice).post(
        f"/my/sessions/{session.pk}/", {"action": "held"}, HTTP_REFERER="http://testserver/my/pairings/", follow=True
    )
    assert "only once it has started" in response.content.decode()
    session.refresh_from_db()
    assert session.status == SessionStatus.BOOKED


@pytest.mark.parametrize("who", ["eve", "victor", "mallory"])
def test_others_cannot_book_or_mark_the_pairs_sessions(login, request, pairing, who):
    session = past_session(pairing)
    client = login(request.getfixturevalue(who))
    assert client.post(f"/my/pairings/{pairing.pk}/sessions/", {}).status_code == 404
    assert client.post(f"/my/sessions/{session.pk}/", {"action": "held"}).status_code == 404
    assert "Alice" not in client.get("/my/pairings/").content.decode()
    session.refresh_from_db()
    assert session.status == SessionStatus.BOOKED


def test_a_coordinator_is_refused_the_members_page(login, carol):
    assert login(carol).get("/my/pairings/").status_code == 403


def test_a_visitor_is_sent_to_log_in(client):
    assert client.get("/my/pairings/")["Location"].startswith("/account/login/")


@pytest.mark.parametrize("count", [1, 2])
def test_a_volunteers_page_reads_in_queries_that_grow_only_with_the_capacity(
    login, alice, org_a, carol, count, django_assert_num_queries
):
    alice.capacity = 2
    alice.save(update_fields=["capacity"])
    for index in range(count):
        mentee = make_mentee(org_a, f"m{index}@example.org", f"M{index}")
        pairing_approve(
            pairing_id=Pairing.objects.create(organisation=org_a, volunteer=alice, mentee=mentee).pk, by=carol
        )
    client = login(alice)
    # session, user, pairings, sessions; then each live pairing's two people's windows
    with django_assert_num_queries(4 + 2 * count):
        client.get("/my/pairings/")
