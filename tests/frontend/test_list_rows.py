"""The list pages read plain rows (frontend/rows.py): each shows every column of a row as an object would,
its choices and skills in the reader's language, and a many-to-many field in the order a prefetch gives."""

import datetime
import re

import pytest
from django.urls import reverse
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
    with translation.override("en"):
        text = str(text)  # a lazy choice label's own words, whatever language a request left active
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
    and annotations), and past the bound one full count kept for 30 s, which the next page reads first."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from config import pagination

    monkeypatch.setattr(pagination, "EXACT_COUNT_UP_TO", 1)
    for index in range(3):
        help_request_create(
            mentee=make_mentee(org_a, f"c{index}@example.org", f"C{index}"), needs=Skill.objects.all()[:1]
        )
    client = login(reader)
    with CaptureQueriesContext(connection) as queries:
        html = client.get("/coordinator/help-requests/").content.decode()
    counts = [q["sql"] for q in queries.captured_queries if q["sql"].startswith("SELECT COUNT(*)")]
    assert "accounts_user" not in counts[0]  # the mentee's name is a column, not something to count by
    assert ["LIMIT" in sql for sql in counts] == [True, False]
    assert html.count("<tr><td>C") == 3
    with CaptureQueriesContext(connection) as queries:  # the kept count is read first: no count at all
        html = client.get("/coordinator/help-requests/?page=1").content.decode()
    assert not [q for q in queries.captured_queries if q["sql"].startswith("SELECT COUNT(*)")]
    assert html.count("<tr><td>C") == 3


def shown_at(html: str, tail: str) -> datetime.datetime:
    """The moment in the `<time>` element just before `tail`: a row shows its own date, not another's."""
    found = re.search(r'<time datetime="([^"]+)">[^<]+</time>' + re.escape(tail), html)
    assert found, tail
    return datetime.datetime.fromisoformat(found.group(1))


def test_a_log_row_shows_when_what_who_about_whom_and_why(login, reader, org_a, mia):
    from mentees.services import consent_record
    from safeguarding.models import Action, Entry
    from safeguarding.services import record

    consent_record(mentee=mia, guardian_name="Amal", given_on=timezone.localdate(), method="email", recorded_by=reader)
    record(Action.VETTING_EXPIRED, organisation_id=org_a.pk, subject=mia.user, reason="Expired on time")
    html = login(reader).get("/coordinator/safeguarding-log/").content.decode()
    decided = f"</td><td>{arabic('Guardian consent recorded')}</td><td>Carol</td><td>Mia</td>"
    assert shown_at(html, decided) == Entry.objects.get(action=Action.CONSENT_RECORDED).at
    swept = (
        f"</td><td>{arabic('Background check expired')}</td><td>{arabic('the system')}</td>"
        "<td>Mia</td><td>Expired on time</td></tr>"
    )
    assert shown_at(html, swept) == Entry.objects.get(action=Action.VETTING_EXPIRED).at


def test_a_match_run_row_links_the_run_with_its_status_date_and_proposals(login, reader, org_a):
    from scheduling.models import MatchRun, MatchRunStatus

    run = MatchRun.objects.create(organisation=org_a, started_by=reader, status=MatchRunStatus.SUCCEEDED, matched=3)
    html = login(reader).get("/coordinator/match-runs/").content.decode()
    name = arabic("Run %(number)s") % {"number": run.pk}
    link = reverse("coordinator-match-run", args=[run.pk])
    assert f'<a href="{link}">{name}</a>\n· {arabic("Succeeded")} · <time' in html
    assert shown_at(html, "\n· ") == run.created_at
    with translation.override("ar"):
        proposals = translation.ngettext("%(counter)s proposal", "%(counter)s proposals", 3) % {"counter": 3}
    assert f"</time>\n· {proposals}</li>" in html


def test_a_report_card_names_both_people_and_shows_the_message_and_links(login, carol, org_a, alice, bob):
    from chat.services import message_report

    conversation = approved_conversation(org_a, alice, bob, carol)
    message = message_post(conversation=conversation, sender=alice.user, client_id="c1", body="rude\nwords").message
    report = message_report(message=message, reporter=bob.user, reason="Rude")
    html = login(carol).get("/coordinator/reports/").content.decode()
    assert shown_at(html, "</p>\n<blockquote>rude<br>words</blockquote>") == report.created_at
    assert "Bob reported a message of Alice · <time" in html
    assert "<p>Reason: Rude</p>" in html
    assert f'<a href="{reverse("coordinator-report", args=[report.pk])}">' in html
    assert f'<a href="{reverse("conversation", args=[conversation.pk])}">' in html


def test_a_mentees_own_request_shows_its_needs_status_urgency_and_date(login, bob):
    bob.user.language = "ar"
    bob.user.save(update_fields=["language"])
    needs = Skill.objects.filter(slug__in=["housing", "cv-writing"])
    request = help_request_create(mentee=bob, needs=needs, languages=["ar"], urgency="high")
    html = login(bob).get("/my/help-requests/").content.decode()
    labels = ", ".join(arabic(skill.label) for skill in needs)  # in the skills' own order, as a prefetch
    assert f"<li><strong>{labels}</strong>\n· {arabic('Open')} · {arabic('High')}\n· <time" in html
    assert shown_at(html, "</li>") == request.created_at


# Badges: a milestone's texts come from the catalogue in the reader's language, a coordinator's as written


@pytest.fixture
def first_session(bob):
    from badges.models import Milestone
    from badges.services import award_milestone

    return award_milestone(user=bob.user, milestone=Milestone.FIRST_SESSION)


def test_a_wallet_card_shows_the_badge_issuer_date_evidence_downloads_and_sharing(
    login, org_a, carol, bob, first_session, translators
):
    from badges.models import MILESTONE_TEXTS, Milestone
    from badges.services import award_create, award_revoke, award_share

    bob.user.language = "ar"
    bob.user.save(update_fields=["language"])
    bridge = award_create(
        badge_class=translators, recipient=bob.user, by=carol, evidence_text="Two families", evidence_url=""
    )
    award_share(award=bridge, by=bob.user, display_name="B.")
    bridge.refresh_from_db()
    award_revoke(award_id=first_session.pk, by=carol, reason="A mistake")
    html = login(bob).get("/my/badges/").content.decode()
    name, description = arabic(Milestone.FIRST_SESSION.label), arabic(MILESTONE_TEXTS[Milestone.FIRST_SESSION][0])
    assert f'id="award-{first_session.pk}">\n<h2>{name}</h2>\n<p class="error"><strong>{arabic("Revoked")}' in html
    assert f"</time> · A mistake</p>\n<p>{description}</p>" in html
    assert reverse("award-jwt", args=[first_session.pk]) not in html
    assert f'id="award-{bridge.pk}">\n<h2 lang="en" dir="auto">Language bridge</h2>' in html
    assert '<p lang="en" dir="auto">Translated for newcomers.</p>' in html
    issued = arabic("Issued by %(organisation)s") % {"organisation": org_a.name}
    assert shown_at(html, "</bdi></small></p>\n<h3>") == bridge.issued_at
    assert f"<p><small>{issued} · <bdi><time" in html
    assert '<p dir="auto">Two families</p>' in html
    assert f'<a href="{reverse("award-jwt", args=[bridge.pk])}" download>' in html
    assert f'<a href="{reverse("shared-badge", args=[bridge.share_slug])}">' in html


def test_a_badge_card_shows_its_texts_language_contribution_and_retirement(
    login, reader, org_a, first_session, translators
):
    from badges.models import MILESTONE_TEXTS, BadgeClass, Contribution, Milestone
    from badges.services import badge_class_retire

    milestone = first_session.badge_class
    badge_class_retire(badge_class=milestone, by=reader)
    milestone.refresh_from_db()
    html = login(reader).get("/coordinator/badge-classes/").content.decode()
    name = arabic(Milestone.FIRST_SESSION.label)
    assert f'id="badge-class-{milestone.pk}">' in html
    assert f"<h2>{name}</h2>\n<p><strong>" in html
    assert shown_at(html, "</p>\n<p>" + arabic(MILESTONE_TEXTS[Milestone.FIRST_SESSION][0])) == milestone.retired_at
    assert f"<dd>{arabic(MILESTONE_TEXTS[Milestone.FIRST_SESSION][1])}</dd>" in html
    assert f"<dd>{arabic('On reaching a milestone')}</dd>" in html
    kind = arabic("For nominations: %(kind)s") % {"kind": arabic(Contribution.TRANSLATED.label)}
    assert f"<dd>{kind}</dd>" in html
    assert '<dd lang="en" dir="auto">A coordinator confirmed it.</dd>' in html
    assert '<dd><bdi lang="en">English</bdi></dd>' in html
    assert f'action="{reverse("coordinator-badge-class-retire", args=[translators.pk])}"' in html
    assert reverse("coordinator-badge-class-retire", args=[milestone.pk]) not in html
    assert BadgeClass.objects.count() == 2


def test_a_nomination_card_shows_the_mentee_kind_nominator_date_status_and_award(
    login, reader, org_a, alice, bob, translators
):
    from badges.models import Contribution, NominationStatus
    from badges.services import nomination_approve, nomination_create
    from scheduling.services.pairings import pairing_approve

    pairing_approve(pairing_id=Pairing.objects.create(organisation=org_a, volunteer=alice, mentee=bob).pk, by=reader)
    nomination = nomination_create(
        mentee=bob, by=alice.user, category=Contribution.TRANSLATED, evidence_text="For Ana's family."
    )
    nomination_approve(nomination_id=nomination.pk, by=reader)
    html = login(reader).get("/coordinator/nominations/", {"status": NominationStatus.APPROVED}).content.decode()
    assert f"<h2>Bob · {arabic(Contribution.TRANSLATED.label)}</h2>" in html
    by = arabic("Nominated by %(name)s") % {"name": "Alice"}
    assert f"<p>{by} · <time" in html
    assert shown_at(html, f" · {arabic('Approved')}</p>") == nomination.created_at
    assert "<blockquote>For Ana&#x27;s family.</blockquote>" in html
    assert f"<p>{arabic('Awarded:')} Language bridge</p>" in html


def test_an_award_row_shows_the_badge_holder_date_and_its_links(login, reader, bob, first_session, translators):
    from badges.models import Milestone

    html = login(reader).get("/coordinator/awards/").content.decode()
    name = arabic(Milestone.FIRST_SESSION.label)
    assert shown_at(html, "</td>\n<td>") == first_session.issued_at
    assert f"<tr><td>{name}</td><td>Bob</td><td><time" in html
    revoke = reverse("coordinator-award-revoke", args=[first_session.pk])
    assert f'<a href="{revoke}">{arabic("Revoke")}<span class="sr-only"> {name}, Bob</span></a>' in html
    assert f'<a href="{reverse("award-svg", args=[first_session.pk])}" download>' in html


@pytest.mark.parametrize("count", [1, 6])
def test_a_mentees_requests_read_in_constant_queries(login, bob, count, django_assert_num_queries):
    for _ in range(count):
        help_request_create(mentee=bob, needs=Skill.objects.filter(slug="housing"), languages=["ar"])
    client = login(bob)
    # session, user, the requests, their needs (one query for all), the mentee (its notice), the form's needs
    with django_assert_num_queries(6):
        html = client.get("/my/help-requests/").content.decode()
    assert html.count("<li><strong>") == count


def test_labelled_reads_rows_that_are_not_paged_and_names_their_choices():
    from mentees.models import HelpRequestStatus, Urgency

    with translation.override("ar"):
        found = rows.labelled(iter([{"status": "open", "urgency": "low"}]), status=HelpRequestStatus, urgency=Urgency)
        labels = [(str(row["status_label"]), str(row["urgency_label"])) for row in found]
    assert labels == [(arabic("Open"), arabic("Low"))]
    assert [(row["status"], row["urgency"]) for row in found] == [("open", "low")]
