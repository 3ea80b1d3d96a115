"""Slots (browse by day, language, topic and free places; volunteers sign up and withdraw, mentees book and
give back a place), the weekly availability grid, and everyone's data export and erasure."""

import datetime
import json
import zoneinfo

import pytest
from django.utils import timezone

from accounts.models import Language, Skill, User
from scheduling.models import AvailabilityWindow, Slot, SlotBooking, SlotSignup
from scheduling.services.availability import availability_replace
from scheduling.services.slots import slot_create, slot_signup_create
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def make_slot(org, by, topic="CV clinic", days=2, places=2, language="ar", skill="cv-writing"):
    start = timezone.now().replace(microsecond=0) + datetime.timedelta(days=days)
    return slot_create(
        organisation=org,
        created_by=by,
        start=start,
        end=start + datetime.timedelta(hours=1),
        topic=topic,
        mentee_places=places,
        volunteers_needed=1,
        languages=Language.objects.filter(code=language),
        skills=Skill.objects.filter(slug=skill),
    )


def test_a_mentee_browses_and_books_a_place_then_gives_it_back(login, bob, carol, org_a):
    slot = make_slot(org_a, carol)
    client = login(bob)
    assert "CV clinic" in client.get("/slots/").content.decode()
    client.post(f"/slots/{slot.pk}/", {"next": "/slots/"})
    assert SlotBooking.objects.filter(slot=slot, mentee=bob).exists()
    assert "Give back my place" in client.get("/slots/").content.decode()
    client.post(f"/slots/{slot.pk}/", {"leave": "1"})
    assert not SlotBooking.objects.exists()


def test_a_volunteer_signs_up_and_withdraws(login, alice, carol, org_a):
    slot = make_slot(org_a, carol)
    client = login(alice)
    client.post(f"/slots/{slot.pk}/")
    assert SlotSignup.objects.filter(slot=slot, volunteer=alice).exists()
    assert "Withdraw" in client.get("/slots/").content.decode()
    client.post(f"/slots/{slot.pk}/", {"leave": "1"})
    assert not SlotSignup.objects.exists()


def test_a_full_slot_refuses_and_says_why(login, alice, victor, carol, org_a):
    slot = make_slot(org_a, carol)
    slot_signup_create(slot_id=slot.pk, volunteer=victor)
    response = login(alice).post(f"/slots/{slot.pk}/", {"next": "/slots/"}, follow=True)
    assert "no free place left" in response.content.decode()
    assert not SlotSignup.objects.filter(volunteer=alice).exists()


def test_it_filters_slots_by_language_topic_day_and_free_places(login, bob, carol, org_a):
    make_slot(org_a, carol, topic="Arabic CV", language="ar")
    housing = make_slot(org_a, carol, topic="English housing", language="en", skill="housing", days=3)
    make_slot(org_a, carol, topic="Full one", places=0, days=4)
    client = login(bob)
    html = client.get("/slots/", {"language": "en"}).content.decode()
    assert "English housing" in html
    assert "Arabic CV" not in html
    assert "Arabic CV" in client.get("/slots/", {"skill": "cv-writing"}).content.decode()
    # the slot's day as the mentee's page shows it (their time zone, not the server's UTC)
    day = timezone.localdate(housing.start, zoneinfo.ZoneInfo(bob.user.timezone)).isoformat()
    html = client.get("/slots/", {"day": day}).content.decode()
    assert "English housing" in html
    assert "Arabic CV" not in html
    assert "Full one" not in client.get("/slots/", {"free": "on"}).content.decode()


def test_a_bad_slot_filter_is_a_form_error_and_lists_nothing(login, bob, carol, org_a):
    make_slot(org_a, carol)
    html = login(bob).get("/slots/", {"day": "someday"}).content.decode()
    assert 'id="id_day_error"' in html
    assert "CV clinic" not in html


def test_another_organisations_slot_is_neither_listed_nor_bookable(login, mallory, carol, org_a):
    slot = make_slot(org_a, carol)
    client = login(mallory)
    assert "CV clinic" not in client.get("/slots/").content.decode()
    assert client.post(f"/slots/{slot.pk}/").status_code == 404
    assert not SlotBooking.objects.exists()


def test_a_coordinator_browses_slots_but_does_not_book(login, carol, org_a):
    slot = make_slot(org_a, carol)
    client = login(carol)
    assert "CV clinic" in client.get("/slots/").content.decode()
    assert client.post(f"/slots/{slot.pk}/").status_code == 403


@pytest.mark.parametrize("count", [2, 12])
def test_it_lists_slots_in_constant_queries(login, bob, carol, alice, victor, org_a, count, django_assert_num_queries):
    for index in range(count):  # group slots and one-to-one slots, each naming its host
        host = (alice, victor, None)[index % 3]
        slot = make_slot(org_a, carol, topic=f"Slot {index}", days=index + 1)
        Slot.objects.filter(pk=slot.pk).update(host=host)
    client = login(bob)
    # session, user, count, page (with the hosts), languages, skills, places taken, the filter's skills and
    # languages
    with django_assert_num_queries(9):
        html = client.get("/slots/").content.decode()
    assert html.count('class="card"') == count
    assert "one-to-one with Alice" in html
    assert "one-to-one with Victor" in html


# The weekly availability grid ---------------------------------------------------------------------------


def test_the_grid_shows_the_week_in_the_persons_zone_and_saves_it(login, bob):
    availability_replace(user=bob.user, windows=[(0, 9 * 60, 11 * 60)])
    client = login(bob)
    html = client.get("/my/availability/").content.decode()
    assert "Europe/Madrid" in html
    assert 'value="0-9" aria-label="Monday 09:00" checked' in html
    assert 'value="0-11" aria-label="Monday 11:00">' in html
    client.post("/my/availability/", {"hours": ["2-18", "2-19", "4-7"]})
    assert sorted(
        AvailabilityWindow.objects.filter(user=bob.user).values_list("day", "start_minute", "end_minute")
    ) == [(2, 18 * 60, 20 * 60), (4, 7 * 60, 8 * 60)]


def test_a_bad_grid_is_refused_and_changes_nothing(login, bob):
    availability_replace(user=bob.user, windows=[(0, 9 * 60, 11 * 60)])
    html = login(bob).post("/my/availability/", {"hours": ["2-18", "9-99"]}).content.decode()
    assert "nothing was saved" in html
    assert list(AvailabilityWindow.objects.filter(user=bob.user).values_list("day", "start_minute")) == [(0, 540)]


def test_the_grid_is_for_volunteers_and_mentees(login, carol, client):
    assert client.get("/my/availability/")["Location"].startswith("/account/login/")
    assert login(carol).get("/my/availability/").status_code == 403


# Data export and erasure -----------------------------------------------------------------------------------


def test_anyone_downloads_their_own_data_as_json(login, bob):
    response = login(bob).get("/my/data/export/")
    assert response["Content-Disposition"] == 'attachment; filename="my-data.json"'
    data = json.loads(response.content)
    assert "bob@example.org" in json.dumps(data)


def test_the_export_needs_a_log_in(client):
    assert client.get("/my/data/export/")["Location"].startswith("/account/login/")


def test_a_wrong_password_erases_nothing(login, bob):
    html = login(bob).post("/my/data/", {"password": "wrong", "confirm": "on"}).content.decode()
    assert 'id="id_password_error"' in html
    bob.user.refresh_from_db()
    assert bob.user.email == "bob@example.org"


def test_erasure_needs_the_confirmation(login, bob):
    html = login(bob).post("/my/data/", {"password": PASSWORD}).content.decode()
    assert 'id="id_confirm_error"' in html
    bob.user.refresh_from_db()
    assert bob.user.erased_at is None


def test_a_person_erases_their_account_and_is_logged_out(login, bob):
    client = login(bob)
    response = client.post("/my/data/", {"password": PASSWORD, "confirm": "on"})
    assert response["Location"] == "/"
    user = User.objects.get(pk=bob.user.pk)
    assert user.erased_at is not None
    assert client.get("/my/pairings/")["Location"].startswith("/account/login/")
