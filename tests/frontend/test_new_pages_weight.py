"""The pages added for matching, slots, availability, data and the chat stay under 60 KB of HTML, CSS and
script on a first load, with no inline script."""

import pytest

from scheduling.models import Pairing
from scheduling.services.availability import availability_replace
from tests.chat.conftest import approved_conversation
from tests.conftest import make_mentee, make_volunteer
from tests.frontend.test_pattern import INLINE_SCRIPT, PAGE_BUDGET, static_size

pytestmark = pytest.mark.django_db


def weight(html: str) -> int:
    assert not INLINE_SCRIPT.search(html)
    return len(html.encode()) + static_size(html)


def test_the_coordinators_new_pages_stay_light_with_a_full_page_of_proposals(login, carol, org_a):
    for index in range(20):
        volunteer = make_volunteer(org_a, f"v{index}@example.org", f"Volunteer {index}")
        mentee = make_mentee(org_a, f"m{index}@example.org", f"Mentee {index}")
        Pairing.objects.create(
            organisation=org_a,
            volunteer=volunteer,
            mentee=mentee,
            reasons=["speaks Arabic", "covers CV writing, digital skills", "180 min a week"],
        )
    client = login(carol)
    for url in (
        "/coordinator/proposals/",
        "/coordinator/match-runs/",
        "/coordinator/held-messages/",
        "/coordinator/reports/",
        "/slots/",
    ):
        assert weight(client.get(url, HTTP_ACCEPT_LANGUAGE="ar").content.decode()) < PAGE_BUDGET, url


def test_the_members_pages_and_the_chat_stay_light(login, bob, alice, carol, org_a):
    availability_replace(user=bob.user, windows=[(day, 0, 24 * 60) for day in range(7)])
    chat = approved_conversation(org_a, alice, bob, carol)
    client = login(bob)
    for url in ("/my/availability/", "/my/pairings/", "/my/data/", f"/conversations/{chat.pk}/"):
        html = client.get(url).content.decode()
        assert weight(html) < PAGE_BUDGET, (url, weight(html))
