"""The list pages read plain rows (frontend/rows.py): each shows every column of a row as an object would,
its choices and skills in the reader's language, and a many-to-many field in the order a prefetch gives."""

import datetime

import pytest
from django.utils import formats, timezone, translation

from accounts.models import Language, Skill, UserLanguage
from chat.services import message_post
from frontend import rows
from mentees.models import HelpRequest
from mentees.services import help_request_create
from scheduling.models import Pairing, Slot
from scheduling.services.slots import slot_create
from tests.chat.conftest import approved_conversation
from tests.conftest import make_mentee, make_volunteer, vet

pytestmark = pytest.mark.django_db


def arabic(text: str) -> str:
    with translation.override("ar"):
        translated = translation.gettext(text)
    assert translated != text  # else the test could not tell the languages apart
    return translated


@pytest.fixture
def reader(carol):
    carol.language = "ar"
    carol.save(update_fields=["language"])
    return carol


def test_a_help_request_row_shows_the_person_needs_languages_urgency_and_status(login, reader, org_a):
    mentee = make_mentee(org_a, "noor@example.org", "Noor Haddad")
    needs = Skill.objects.filter(slug__in=["housing", "cv-writing"])
    help_request_create(mentee=mentee, needs=needs, languages=["uk", "ar"], urgency="high")
    html = login(reader).get("/coordinator/help-requests/").content.decode()
    # in the skills' own order (category, slug) and the languages' (English name), as a prefetch reads them
    labels = ", ".join(arabic(skill.label) for skill in Skill.objects.filter(slug__in=["housing", "cv-writing"]))
    names = ", ".join(language.native_name for language in Language.objects.filter(code__in=["uk", "ar"]))
    row = f"<td>Noor Haddad</td><td>{labels}</td><td>{names}</td><td>{arabic('High')}</td><td>{arabic('Open')}</td>"
    assert row in html


def test_a_proposal_row_names_the_pair_its_status_score_and_pin(login, reader, org_a, alice, bob):
    Pairing.objects.create(organisation=org_a, volunteer=alice, mentee=bob, score=87.3, pinned=True)
    html = login(reader).get("/coordinator/proposals/").content.decode()
    pair = arabic("%(mentee)s with %(volunteer)s") % {"mentee": "Bob", "volunteer": "Alice"}
    with translation.override("ar"):
        score = arabic("score %(score)s") % {"score": formats.number_format(87.3, 1)}
    assert f"<h2>{pair}</h2>\n<p>{arabic('Proposed')} · {score} · <strong>{arabic('pinned')}</strong></p>" in html


def test_the_queues_name_each_person_with_their_languages_and_birth_year(login, carol, org_a):
    volunteer = make_volunteer(org_a, "vera@example.org", "Vera Waiting")
    UserLanguage.objects.filter(user=volunteer.user).delete()
    UserLanguage.objects.create(user=volunteer.user, language_id="uk", level="native")
    UserLanguage.objects.create(user=volunteer.user, language_id="fa", level="basic")
    year = timezone.localdate().year - 15
    make_mentee(org_a, "kid@example.org", "Kim Young", birth_year=year)
    html = login(carol).get("/coordinator/queues/").content.decode()
    assert "Vera Waiting · fa, uk" in html
    assert f"Kim Young · born {year}" in html


def test_a_held_message_names_its_sender_and_the_pair(login, carol, org_a, alice, mia):
    from mentees.services import consent_record

    consent_record(mentee=mia, guardian_name="Amal", given_on=timezone.localdate(), method="email", recorded_by=carol)
    vet(alice, carol)
    conversation = approved_conversation(org_a, alice, mia, carol)
    message_post(conversation=conversation, sender=alice.user, client_id="c1", body="Call +34 612 345 678")
    html = login(carol).get("/coordinator/held-messages/").content.decode()
    assert f"<strong>{alice.user.display_name}</strong>" in html
    assert f"{mia.user.display_name} with {alice.user.display_name}" in html
    assert f"/conversations/{conversation.pk}/" in html


def test_a_slot_card_shows_its_languages_topics_and_host(login, reader, org_a, alice):
    start = timezone.now().replace(microsecond=0) + datetime.timedelta(days=1)
    slot = slot_create(
        organisation=org_a,
        created_by=reader,
        start=start,
        end=start + datetime.timedelta(hours=1),
        topic="Job search",
        mentee_places=3,
        volunteers_needed=1,
        languages=Language.objects.filter(code__in=["fa", "ar"]),
        skills=Skill.objects.filter(slug__in=["cv-writing"]),
    )
    Slot.objects.filter(pk=slot.pk).update(host=alice)
    html = login(reader).get("/slots/").content.decode()
    names = ", ".join(language.native_name for language in Language.objects.filter(code__in=["fa", "ar"]))
    assert f"<p>{names} · {arabic(Skill.objects.get(slug='cv-writing').label)}</p>" in html
    assert alice.user.display_name in html


def test_attach_many_gives_each_row_its_values_in_prefetch_order(org_a):
    first = help_request_create(
        mentee=make_mentee(org_a, "a@example.org", "A"),
        needs=Skill.objects.filter(slug__in=["office-tools", "housing", "cv-writing"]),
        languages=["uk", "ar", "en"],
    )
    second = help_request_create(
        mentee=make_mentee(org_a, "b@example.org", "B"), needs=Skill.objects.filter(slug="housing")
    )
    HelpRequest.languages.through.objects.filter(helprequest_id=second.pk).delete()
    found = [{"pk": first.pk}, {"pk": second.pk}]
    rows.attach_many(found, "needs", HelpRequest.needs, "slug")
    rows.attach_many(found, "languages", HelpRequest.languages, "code")
    prefetched = HelpRequest.objects.filter(pk__in=[first.pk, second.pk]).prefetch_related("needs", "languages")
    expected = {
        item.pk: ([s.slug for s in item.needs.all()], [lang.code for lang in item.languages.all()])
        for item in prefetched
    }
    assert [(row["needs"], row["languages"]) for row in found] == [expected[first.pk], expected[second.pk]]
    assert found[1]["languages"] == []
    assert len(found[0]["needs"]) == 3
    assert len(found[0]["languages"]) == 3


def test_page_rows_names_each_choice_in_the_readers_language():
    from django.core.paginator import Paginator

    from mentees.models import Urgency

    page = Paginator([{"urgency": "high"}, {"urgency": "unknown"}], 20).get_page(1)
    with translation.override("ar"):
        found = rows.page_rows(page, urgency=Urgency)
    assert [row["urgency_label"] for row in found] == [arabic("High"), "unknown"]
    assert page.object_list is found


def test_a_list_page_counts_like_the_api_ids_only_and_bounded(login, reader, org_a, monkeypatch):
    """paginate() uses the API's BoundedCountPaginator: a bounded count of ids (not the row's columns, joins
    and annotations), and past the bound one full count kept for 30 s."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from config import pagination

    monkeypatch.setattr(pagination, "EXACT_COUNT_UP_TO", 1)
    for index in range(3):
        help_request_create(
            mentee=make_mentee(org_a, f"c{index}@example.org", f"C{index}"), needs=Skill.objects.all()[:1]
        )
    client = login(reader)
    for expected_full_counts in (1, 0):
        with CaptureQueriesContext(connection) as queries:
            html = client.get("/coordinator/help-requests/").content.decode()
        counts = [q["sql"] for q in queries.captured_queries if q["sql"].startswith("SELECT COUNT(*)")]
        assert "accounts_user" not in counts[0]  # the mentee's name is a column, not something to count by
        assert sum("LIMIT" not in sql for sql in counts) == expected_full_counts
        assert html.count("<tr><td>C") == 3
