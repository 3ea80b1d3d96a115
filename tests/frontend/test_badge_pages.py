"""The badges' pages: the wallet (evidence, downloads that verify, sharing), the public page of a shared
badge, the verification page, and the coordinator's badges, nominations and awards; who may not is refused."""

import pytest

from badges import issuing, services
from badges.models import Award, BadgeClass, Contribution, Milestone, Nomination, NominationStatus
from scheduling.models import Pairing
from scheduling.services.pairings import pairing_approve
from tests.conftest import make_mentee
from tests.frontend.test_new_pages_weight import weight
from tests.frontend.test_pattern import PAGE_BUDGET

pytestmark = pytest.mark.django_db


@pytest.fixture
def award(bob) -> Award:
    return services.award_milestone(user=bob.user, milestone=Milestone.FIRST_SESSION)


@pytest.fixture
def translator_award(translators, carol, bob) -> Award:
    return services.award_create(
        badge_class=translators,
        recipient=bob.user,
        by=carol,
        evidence_text="Translated at the town hall for two families.",
        evidence_url="https://example.org/story",
    )


@pytest.fixture
def paired(org_a, carol, alice, bob) -> Pairing:
    pairing = Pairing.objects.create(organisation=org_a, volunteer=alice, mentee=bob)
    return pairing_approve(pairing_id=pairing.pk, by=carol)


@pytest.fixture
def nomination(paired, alice, bob) -> Nomination:
    return services.nomination_create(
        mentee=bob, by=alice.user, category=Contribution.TRANSLATED, evidence_text="Translated for Ana's family."
    )


# The wallet ---------------------------------------------------------------------------------------------


def test_the_wallet_shows_each_award_with_its_evidence_and_downloads(login, bob, award, translator_award):
    html = login(bob).get("/my/badges/").content.decode()
    assert "First session held" in html
    assert "Language bridge" in html
    assert "Translated at the town hall for two families." in html
    assert 'href="https://example.org/story"' in html
    for form in ("jwt", "json", "svg"):
        assert f'href="/my/badges/{translator_award.pk}/credential.{form}"' in html


def test_a_revoked_award_is_shown_revoked_without_downloads_or_sharing(login, bob, carol, award):
    services.award_revoke(award_id=award.pk, by=carol, reason="Recorded by mistake")
    html = login(bob).get("/my/badges/").content.decode()
    assert "Revoked" in html
    assert "Recorded by mistake" in html
    assert f"/my/badges/{award.pk}/credential.jwt" not in html
    assert f"/my/badges/{award.pk}/share/" not in html


@pytest.mark.parametrize("form", ["jwt", "json", "svg"])
def test_each_download_verifies(login, bob, award, form):
    response = login(bob).get(f"/my/badges/{award.pk}/credential.{form}")
    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="badge-{award.pk}.{form}"'
    result = issuing.verify(response.content.decode())
    assert result.valid, result.message


@pytest.mark.parametrize("who", ["alice", "eve", "dave", "mallory"])
def test_another_holders_award_is_refused(login, request, who, award):
    client = login(request.getfixturevalue(who))
    assert client.get(f"/my/badges/{award.pk}/credential.jwt").status_code == 404
    assert client.post(f"/my/badges/{award.pk}/share/", {"display_name": "Not me"}).status_code == 404
    award.refresh_from_db()
    assert not award.is_shared
    assert f"/my/badges/{award.pk}/" not in client.get("/my/badges/").content.decode()


def test_the_wallet_asks_anonymous_visitors_to_log_in(client, award):
    assert client.get("/my/badges/")["Location"].startswith("/account/login/")
    assert client.get(f"/my/badges/{award.pk}/credential.jwt")["Location"].startswith("/account/login/")


def test_sharing_publishes_a_page_with_the_chosen_name_and_nothing_else(login, client, bob, translator_award):
    login(bob).post(f"/my/badges/{translator_award.pk}/share/", {"display_name": "B. from Madrid"})
    translator_award.refresh_from_db()
    assert translator_award.share_name == "B. from Madrid"
    client.logout()
    html = client.get(f"/badges/shared/{translator_award.share_slug}/").content.decode()
    assert "B. from Madrid" in html
    assert "Language bridge" in html
    assert "Casa Abierta" in html  # the issuer
    for private in ("Bob", "bob@example.org", "town hall", "example.org/story"):
        assert private not in html, private


def test_stopping_sharing_kills_the_link(login, client, bob, award):
    holder = login(bob)
    holder.post(f"/my/badges/{award.pk}/share/", {"display_name": "Bob"})
    award.refresh_from_db()
    slug = award.share_slug
    holder.post(f"/my/badges/{award.pk}/share/", {"stop": "1"})
    award.refresh_from_db()
    assert not award.is_shared
    assert client.get(f"/badges/shared/{slug}/").status_code == 404


def test_a_blank_share_name_changes_nothing(login, bob, award):
    response = login(bob).post(f"/my/badges/{award.pk}/share/", {"display_name": "  "}, follow=True)
    assert "Choose the name to show with the badge." in response.content.decode()
    award.refresh_from_db()
    assert not award.is_shared


@pytest.mark.parametrize("count", [1, 22])
def test_the_wallet_reads_in_constant_queries(login, org_a, carol, bob, translators, count, django_assert_num_queries):
    for index in range(count):
        services.award_create(badge_class=translators, recipient=bob.user, by=carol, evidence_text=f"Time {index}")
    client = login(bob)
    with django_assert_num_queries(4):  # session, user, count, a page of awards with class and issuer
        html = client.get("/my/badges/").content.decode()
    assert html.count('id="award-') == min(count, 20)


# Verification -------------------------------------------------------------------------------------------


def test_anyone_verifies_a_pasted_jwt(client, award):
    html = client.post("/badges/verify/", {"credential": issuing.credential_jwt(award)}).content.decode()
    assert "Valid" in html
    assert "its issuer signed it and has not revoked it" in html


def test_it_says_a_revoked_credential_is_revoked(client, carol, award):
    token = issuing.credential_jwt(award)
    services.award_revoke(award_id=award.pk, by=carol, reason="Mistake")
    html = client.post("/badges/verify/", {"credential": token}).content.decode()
    assert "Not valid" in html
    assert "The issuer has revoked this credential." in html


def test_it_says_a_changed_credential_was_tampered_with(client, award):
    head, body, signature = issuing.credential_jwt(award).split(".")
    tampered = ".".join([head, body, ("A" if signature[0] != "A" else "B") + signature[1:]])
    html = client.post("/badges/verify/", {"credential": tampered}).content.decode()
    assert "Not valid" in html
    assert "The signature does not match" in html


def test_it_verifies_an_uploaded_baked_svg(client, award):
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("badge.svg", issuing.baked_svg(award).encode(), content_type="image/svg+xml")
    html = client.post("/badges/verify/", {"file": upload}).content.decode()
    assert "its issuer signed it and has not revoked it" in html


def test_it_asks_for_a_credential_when_given_nothing(client):
    response = client.post("/badges/verify/", {"credential": "  "})
    assert response.status_code == 200
    assert "Paste a credential or upload its file." in response.content.decode()


def test_it_says_what_is_not_a_credential_at_all(client):
    html = client.post("/badges/verify/", {"credential": "hello"}).content.decode()
    assert "This is not a credential we can read" in html


# Nominations and awards -----------------------------------------------------------------------------------


def test_a_volunteer_nominates_a_mentee_they_mentor(login, alice, bob, paired):
    client = login(alice)
    assert f'value="{bob.pk}"' in client.get("/nominations/new/").content.decode()
    response = client.post(
        "/nominations/new/", {"mentee": bob.pk, "category": "translated", "evidence_text": "Translated for Ana."}
    )
    assert response.status_code == 302
    assert Nomination.objects.get().nominated_by == alice.user


def test_a_volunteer_cannot_nominate_a_mentee_they_do_not_mentor(login, alice, eve, paired):
    response = login(alice).post(
        "/nominations/new/", {"mentee": eve.pk, "category": "translated", "evidence_text": "x"}
    )
    assert 'id="id_mentee_error"' in response.content.decode()
    assert not Nomination.objects.exists()


def test_a_coordinator_nominates_by_the_mentees_address_within_the_organisation(login, carol, bob, mallory):
    client = login(carol)
    response = client.post(
        "/nominations/new/",
        {"mentee_email": "mallory@example.org", "category": "helped_peer", "evidence_text": "Helped."},
    )
    assert 'id="id_mentee_email_error"' in response.content.decode()
    client.post(
        "/nominations/new/", {"mentee_email": "BOB@example.org", "category": "helped_peer", "evidence_text": "Helped."}
    )
    assert Nomination.objects.get().mentee == bob


def test_a_nomination_needs_what_they_did(login, alice, bob, paired):
    response = login(alice).post("/nominations/new/", {"mentee": bob.pk, "category": "translated"})
    assert 'id="id_evidence_text_error"' in response.content.decode()
    assert not Nomination.objects.exists()


def test_a_mentee_may_not_nominate(login, bob):
    assert login(bob).get("/nominations/new/").status_code == 403


def test_a_coordinator_approves_a_nomination_and_the_mentee_holds_the_badge(login, carol, bob, nomination, translators):
    response = login(carol).post(f"/coordinator/nominations/{nomination.pk}/approve/")
    assert response.status_code == 302
    nomination.refresh_from_db()
    assert nomination.status == NominationStatus.APPROVED
    assert nomination.award.recipient == bob.user
    assert nomination.award.evidence_text == "Translated for Ana's family."


def test_approving_without_a_badge_for_that_contribution_says_so(login, carol, nomination):
    client = login(carol)
    response = client.post(
        f"/coordinator/nominations/{nomination.pk}/approve/", HTTP_REFERER="/coordinator/nominations/", follow=True
    )
    assert "Create a badge for this kind of contribution first" in response.content.decode()
    nomination.refresh_from_db()
    assert nomination.status == NominationStatus.PENDING


def test_a_coordinator_rejects_a_nomination_with_a_reason(login, carol, nomination):
    client = login(carol)
    response = client.post(f"/coordinator/nominations/{nomination.pk}/reject/", {"reason": ""})
    assert 'id="id_reason_error"' in response.content.decode()
    client.post(f"/coordinator/nominations/{nomination.pk}/reject/", {"reason": "Not for others"})
    nomination.refresh_from_db()
    assert (nomination.status, nomination.reason) == (NominationStatus.REJECTED, "Not for others")


def test_a_coordinator_revokes_an_award_with_a_reason(login, carol, award):
    client = login(carol)
    assert "First session held" in client.get("/coordinator/awards/").content.decode()
    response = client.post(f"/coordinator/awards/{award.pk}/revoke/", {"reason": ""})
    assert 'id="id_reason_error"' in response.content.decode()
    award.refresh_from_db()
    assert not award.is_revoked
    client.post(f"/coordinator/awards/{award.pk}/revoke/", {"reason": "Recorded by mistake"})
    award.refresh_from_db()
    assert award.revoked_reason == "Recorded by mistake"


def test_another_organisations_coordinator_gets_404(login, dave, award, nomination):
    client = login(dave)
    assert client.get(f"/coordinator/awards/{award.pk}/revoke/").status_code == 404
    assert client.post(f"/coordinator/nominations/{nomination.pk}/approve/").status_code == 404
    assert client.post(f"/coordinator/nominations/{nomination.pk}/reject/", {"reason": "x"}).status_code == 404
    assert "Bob" not in client.get("/coordinator/nominations/").content.decode()


@pytest.mark.parametrize("form", ["jwt", "json", "svg"])
def test_a_coordinator_downloads_an_award_of_their_organisation_from_the_awards_page(login, carol, award, form):
    client = login(carol)
    html = client.get("/coordinator/awards/").content.decode()
    assert f'href="/my/badges/{award.pk}/credential.{form}"' in html
    response = client.get(f"/my/badges/{award.pk}/credential.{form}")
    assert response.status_code == 200
    assert issuing.verify(response.content.decode()).valid


def test_the_awards_page_offers_no_download_of_a_revoked_award(login, carol, award):
    services.award_revoke(award_id=award.pk, by=carol, reason="Recorded by mistake")
    assert f"/my/badges/{award.pk}/credential." not in login(carol).get("/coordinator/awards/").content.decode()


# Badge classes -------------------------------------------------------------------------------------------

NEW_BADGE = {
    "name": "Peer helper",
    "description": "Helped another newcomer.",
    "criteria": "A coordinator saw it.",
    "tags": "peer, care",
    "language": "en",
    "colour": "#C53030",
    "contribution": Contribution.HELPED_PEER,
}


@pytest.fixture
def english(db):
    from accounts.models import Language

    return Language.objects.get_or_create(code="en", defaults={"name": "English", "native_name": "English"})[0]


def test_a_coordinator_sees_the_organisations_badges_with_their_texts(login, carol, translators, dave, org_b):
    services.badge_class_create(organisation=org_b, by=dave, name="Nicosia only")
    html = login(carol).get("/coordinator/badge-classes/").content.decode()
    assert "Language bridge" in html
    assert "Translated for newcomers." in html
    assert "A coordinator confirmed it." in html
    assert f'src="/badges/classes/{translators.pk}/image.svg"' in html
    assert "Nicosia only" not in html


def test_a_coordinator_creates_a_badge(login, carol, org_a, english):
    client = login(carol)
    response = client.post("/coordinator/badge-classes/", NEW_BADGE)
    assert response.status_code == 302
    created = BadgeClass.objects.get(organisation=org_a, name="Peer helper")
    assert (created.tags, created.colour, created.contribution, created.created_by) == (
        ["peer", "care"],
        "#c53030",
        Contribution.HELPED_PEER,
        carol,
    )
    html = client.get(response["Location"]).content.decode()
    assert "Peer helper" in html
    assert "peer, care" in html


@pytest.mark.parametrize(
    ("field", "value", "error"),
    [
        ("name", "", "This field is required."),
        ("name", "Peer\u202ehelper", "Remove the invisible or text-direction characters"),
        ("colour", "red", "Enter a colour as #rrggbb"),
        ("language", "xx", "Select a valid choice."),
        ("tags", ",".join(f"t{index}" for index in range(11)), "At most 10 tags."),
    ],
)
def test_a_bad_badge_is_refused_with_the_reason_and_nothing_stored(login, carol, english, field, value, error):
    response = login(carol).post("/coordinator/badge-classes/", {**NEW_BADGE, field: value})
    assert response.status_code == 200
    html = response.content.decode()
    assert f'id="id_{field}_error"' in html
    assert error in html
    assert not BadgeClass.objects.exists()


def test_a_second_active_badge_for_the_same_contribution_comes_back_as_a_notice(login, carol, translators, english):
    response = login(carol).post(
        "/coordinator/badge-classes/",
        {**NEW_BADGE, "contribution": Contribution.TRANSLATED, "next": "/coordinator/badge-classes/"},
        follow=True,
    )
    assert "An active badge already answers nominations of this kind." in response.content.decode()
    assert not BadgeClass.objects.filter(name="Peer helper").exists()


def test_a_coordinator_retires_a_badge_and_its_awards_stay_valid(login, carol, translators, translator_award):
    client = login(carol)
    response = client.post(
        f"/coordinator/badge-classes/{translators.pk}/retire/", {"next": "/coordinator/badge-classes/?page=1"}
    )
    assert response["Location"] == "/coordinator/badge-classes/?page=1"
    translators.refresh_from_db()
    assert translators.is_retired
    html = client.get("/coordinator/badge-classes/").content.decode()
    assert "Retired" in html
    assert f"/coordinator/badge-classes/{translators.pk}/retire/" not in html
    assert issuing.verify(issuing.credential_jwt(translator_award)).valid


def test_another_organisations_coordinator_cannot_retire_a_badge(login, dave, translators):
    assert login(dave).post(f"/coordinator/badge-classes/{translators.pk}/retire/").status_code == 404
    translators.refresh_from_db()
    assert not translators.is_retired


@pytest.mark.parametrize("who", ["alice", "bob"])
def test_members_may_neither_see_create_nor_retire_badges(login, request, who, translators, english):
    client = login(request.getfixturevalue(who))
    assert client.get("/coordinator/badge-classes/").status_code == 403
    assert client.post("/coordinator/badge-classes/", NEW_BADGE).status_code == 403
    assert client.post(f"/coordinator/badge-classes/{translators.pk}/retire/").status_code == 403
    translators.refresh_from_db()
    assert not translators.is_retired
    assert not BadgeClass.objects.filter(name="Peer helper").exists()


def test_the_badges_page_asks_anonymous_visitors_to_log_in(client):
    assert client.get("/coordinator/badge-classes/")["Location"].startswith("/account/login/")


@pytest.mark.parametrize("count", [1, 22])
def test_the_badges_page_reads_in_constant_queries(login, org_a, carol, english, count, django_assert_num_queries):
    for index in range(count):
        services.badge_class_create(organisation=org_a, by=carol, name=f"Badge {index:02}")
    client = login(carol)
    with django_assert_num_queries(5):  # session, user, count, a page of badges, the languages of the form
        html = client.get("/coordinator/badge-classes/").content.decode()
    assert html.count('class="card badge-class') == min(count, 20)


@pytest.mark.parametrize("url", ["/coordinator/nominations/", "/coordinator/awards/", "/coordinator/awards/1/revoke/"])
@pytest.mark.parametrize("who", ["alice", "bob"])
def test_coordinator_badge_pages_are_refused_to_others(login, request, url, who):
    assert login(request.getfixturevalue(who)).get(url).status_code == 403


@pytest.mark.parametrize("count", [1, 22])
def test_nominations_and_awards_read_in_constant_queries(
    login, org_a, carol, translators, count, django_assert_num_queries
):
    for index in range(count):
        mentee = make_mentee(org_a, f"n{index}@example.org", f"N{index}")
        services.nomination_create(mentee=mentee, by=carol, category="translated", evidence_text="Did it")
        services.award_create(badge_class=translators, recipient=mentee.user, by=carol)
    client = login(carol)
    with django_assert_num_queries(4):  # session, user, count, a page of nominations with people and award
        html = client.get("/coordinator/nominations/").content.decode()
    assert html.count('class="card"') == min(count, 20)
    with django_assert_num_queries(4):  # session, user, count, a page of awards with class and holder
        html = client.get("/coordinator/awards/").content.decode()
    assert html.count("/revoke/") == min(count, 20)


def test_the_badge_pages_stay_light(login, client, org_a, carol, bob, translators, translator_award, nomination):
    for _index in range(20):
        services.award_create(badge_class=translators, recipient=bob.user, by=carol, evidence_text="x" * 300)
    services.award_share(award=translator_award, by=bob.user, display_name="Bob")
    assert weight(client.get("/badges/verify/").content.decode()) < PAGE_BUDGET
    assert weight(client.get(f"/badges/shared/{translator_award.share_slug}/").content.decode()) < PAGE_BUDGET
    for index in range(20):
        services.badge_class_create(organisation=org_a, by=carol, name=f"Badge {index}", description="x" * 300)
    coordinator_pages = ["/coordinator/nominations/", "/coordinator/awards/", "/coordinator/badge-classes/"]
    for who, urls in ((bob, ["/my/badges/"]), (carol, coordinator_pages)):
        member = login(who)
        for url in urls:
            html = member.get(url, HTTP_ACCEPT_LANGUAGE="ar").content.decode()
            assert weight(html) < PAGE_BUDGET, (url, weight(html))
        member.logout()


def test_the_badges_page_speaks_the_coordinators_language(login, carol, translators):
    html = login(carol).get("/coordinator/badge-classes/", HTTP_ACCEPT_LANGUAGE="ar").content.decode()
    assert 'dir="rtl"' in html
    assert "<h1>الشارات</h1>" in html
    assert "سحب" in html  # the button that retires a badge
    assert 'lang="en" dir="auto">Language bridge</h2>' in html  # the badge's own texts keep their language
    assert '<option value="ar" selected>' in html  # a new badge is written in the page's language, at first
