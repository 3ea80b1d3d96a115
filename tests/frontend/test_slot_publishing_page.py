"""Publishing slots: coordinators publish group slots, volunteers their own one-to-one slots; bad input is
shown and changes nothing."""

import datetime

import pytest
from django.utils import timezone

from scheduling.models import Slot

pytestmark = pytest.mark.django_db
URL = "/slots/new/"


def local(days: int, hour: int) -> str:
    """A datetime-local value `days` from now at `hour` o'clock, in the person's zone (Europe/Madrid)."""
    day = timezone.localdate() + datetime.timedelta(days=days)
    return f"{day.isoformat()}T{hour:02d}:00"


def slot_data(**changes) -> dict:
    data = {
        "topic": "CV clinic",
        "start": local(3, 10),
        "end": local(3, 12),
        "languages": ["ar", "fa"],
        "skills": ["cv-writing"],
        "volunteers_needed": "2",
        "mentee_places": "6",
        "online": "on",
        "place": "",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def test_a_coordinator_publishes_a_group_slot(login, carol, org_a):
    client = login(carol)
    assert 'name="volunteers_needed"' in client.get(URL).content.decode()
    response = client.post(URL, slot_data(), follow=True)
    assert "“CV clinic” is published." in response.content.decode()
    slot = Slot.objects.get()
    assert (slot.organisation, slot.host, slot.created_by) == (org_a, None, carol)
    assert (slot.volunteers_needed, slot.mentee_places, slot.online) == (2, 6, True)
    assert sorted(slot.languages.values_list("code", flat=True)) == ["ar", "fa"]
    assert list(slot.skills.values_list("slug", flat=True)) == ["cv-writing"]
    assert timezone.localtime(slot.start, datetime.UTC).hour in (8, 9)  # 10:00 in Madrid, summer or winter


def test_a_volunteer_publishes_a_one_to_one_slot_they_host(login, alice):
    client = login(alice)
    assert 'name="volunteers_needed"' not in client.get(URL).content.decode()
    client.post(URL, slot_data(volunteers_needed="5", online=None, place="Library, 2nd floor"))
    slot = Slot.objects.get()
    assert (slot.host, slot.volunteers_needed, slot.online, slot.place) == (alice, 0, False, "Library, 2nd floor")


@pytest.mark.parametrize(
    ("changes", "field", "error"),
    [
        ({"start": local(-1, 10), "end": local(-1, 11)}, "start", "A slot must start in the future."),
        ({"end": local(3, 9)}, "end", "The end must come after the start."),
        ({"end": local(4, 10)}, "end", "A slot lasts at most 12 hours."),
        ({"online": None, "place": "  "}, "place", "Say where the slot takes place, or make it online."),
        ({"topic": "   "}, "topic", "This field is required."),
        ({"mentee_places": "0"}, "mentee_places", "Ensure this value is greater than or equal to 1."),
        ({"languages": ["xx"]}, "languages", "Select a valid choice."),
        ({"start": "tomorrow"}, "start", "Enter a valid date/time."),
    ],
)
def test_bad_input_is_shown_and_nothing_is_published(login, carol, changes, field, error):
    response = login(carol).post(URL, slot_data(**changes))
    assert response.status_code == 200
    html = response.content.decode()
    assert f'id="id_{field}_error"' in html
    assert error in html
    assert not Slot.objects.exists()


def test_mentees_and_strangers_may_not_publish(client, login, bob):
    assert client.get(URL)["Location"].startswith("/account/login/")
    assert login(bob).get(URL).status_code == 403
    assert login(bob).post(URL, slot_data()).status_code == 403
    assert not Slot.objects.exists()


@pytest.mark.parametrize(
    ("who", "link"), [("carol", "Publish a slot"), ("alice", "Offer a one-to-one slot"), ("bob", None)]
)
def test_the_slot_list_links_to_publishing_for_those_who_may(request, login, who, link):
    html = login(request.getfixturevalue(who)).get("/slots/").content.decode()
    assert (URL in html) == (link is not None)
    assert link is None or link in html


def test_it_shows_the_form_and_its_errors_in_the_persons_language(client, carol):
    client.force_login(carol)
    html = client.post(URL, slot_data(online=None, place=""), HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "Publier un créneau" in html
    assert "Indiquez où a lieu le créneau, ou mettez-le en ligne." in html
