"""Issuer private keys never leave the server: no API answer, export, repr, log or admin page holds
them. A person's export includes their awards and nominations; erasure keeps awards pseudonymised."""

import base64
import logging

import pytest
from django.test import Client

from accounts.models import User
from badges import issuing, services
from badges.models import Award, Contribution, IssuerKey, Milestone, Nomination
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def spellings(secret: bytes) -> list[str]:
    """Every way a raw key could appear in text."""
    return [
        secret.hex(),
        base64.b64encode(secret).decode().rstrip("="),
        base64.urlsafe_b64encode(secret).decode().rstrip("="),
        repr(secret),
    ]


@pytest.fixture
def award(bob) -> Award:
    return services.award_milestone(user=bob.user, milestone=Milestone.FIRST_SESSION)


@pytest.fixture
def private_key(org_a, award) -> bytes:
    return bytes(issuing.issuer_key(org_a).private_key)


def assert_absent(text: str, secret: bytes) -> None:
    for spelling in spellings(secret):
        assert spelling not in text


def test_no_answer_holds_the_private_key(api, org_a, carol, bob, award, private_key, caplog):
    caplog.set_level(logging.DEBUG)
    client = api(carol)
    answers = [
        client.get("/api/awards/"),
        client.get(f"/api/awards/{award.pk}/"),
        client.get(f"/api/awards/{award.pk}/credential.jwt"),
        client.get(f"/api/awards/{award.pk}/credential.json"),
        client.get(f"/api/awards/{award.pk}/badge.svg"),
        client.get("/api/badge-classes/"),
        api(bob).get("/api/me/export/"),
        api(carol).get("/api/me/export/"),
        api(None).get(f"/badges/issuers/{org_a.slug}/"),
        api(None).get(f"/badges/issuers/{org_a.slug}/did.json"),
        api(None).get(f"/badges/issuers/{org_a.slug}/jwks.json"),
        api(None).get(f"/badges/status/{org_a.slug}/"),
        api(None).post("/api/badges/verify/", {"credential": issuing.credential_jwt(award)}, format="json"),
    ]
    for answer in answers:
        assert answer.status_code == 200
        assert_absent(answer.content.decode(), private_key)
    assert_absent(caplog.text, private_key)


def test_the_key_has_no_repr_or_str_that_shows_it(private_key):
    key = IssuerKey.objects.get()
    assert_absent(repr(key) + str(key) + repr(list(IssuerKey.objects.all())), private_key)


def test_the_admin_never_shows_the_private_key(org_a, private_key):
    staff = User.objects.create_superuser("root@example.org", PASSWORD)
    client = Client()
    client.force_login(staff)
    key = IssuerKey.objects.get()

    award = Award.objects.get()
    pages = [
        client.get("/admin/badges/issuerkey/"),
        client.get(f"/admin/badges/issuerkey/{key.pk}/change/"),
        client.get("/admin/badges/award/"),
        client.get(f"/admin/badges/award/{award.pk}/change/"),
        client.get(f"/admin/badges/badgeclass/{award.badge_class_id}/change/"),
        client.get("/admin/badges/nomination/"),
        client.get("/admin/badges/badgeclass/add/"),
    ]
    for page in pages:
        assert page.status_code == 200
        assert_absent(page.content.decode(), private_key)
    assert bytes(key.public_key).hex() in pages[1].content.decode()
    assert client.get("/admin/badges/issuerkey/add/").status_code == 403


def test_a_key_from_settings_signs_and_is_never_stored(settings, org_a, award):
    from badges.credentials import keys

    configured = keys.generate_private_key()
    settings.BADGES_ISSUER_KEYS = {org_a.slug: base64.urlsafe_b64encode(configured).decode()}

    token = issuing.credential_jwt(award)

    stored = IssuerKey.objects.get(organisation=org_a, retired_at__isnull=True)
    assert bytes(stored.public_key) == keys.public_key(configured)
    assert bytes(stored.private_key) == b""
    assert issuing.verify(token).valid


def test_a_key_is_made_once_per_organisation(org_a, org_b):
    first = issuing.issuer_key(org_a)
    assert issuing.issuer_key(org_a).pk == first.pk
    assert issuing.issuer_key(org_b).pk != first.pk


class TestPersonalData:
    def test_the_export_holds_the_persons_awards_and_nominations(self, api, pairing, alice, bob, carol, award):
        services.badge_class_create(
            organisation=bob.organisation, by=carol, name="Language bridge", contribution=Contribution.TRANSLATED
        )
        nomination = services.nomination_create(
            mentee=bob, by=alice.user, category=Contribution.TRANSLATED, evidence_text="Translated for a family."
        )
        services.nomination_approve(nomination_id=nomination.pk, by=carol)

        exported = api(bob).get("/api/me/export/").json()["badges"]
        assert {row["badge"] for row in exported["awards"]} == {"First session held", "Language bridge"}
        assert exported["nominations_received"][0]["evidence"] == "Translated for a family."
        made = api(alice).get("/api/me/export/").json()["badges"]["nominations_made"]
        assert [row["id"] for row in made] == [nomination.pk]

    def test_erasure_keeps_awards_valid_but_pseudonymised(self, bob, carol, award):
        # given a shared award with evidence, whose credential bob downloaded
        services.award_share(award=award, by=bob.user, display_name="Bob")
        Award.objects.filter(pk=award.pk).update(evidence_text="Met at the library", evidence_url="https://x.example/")
        token = issuing.credential_jwt(Award.objects.get(pk=award.pk))
        client = Client()
        client.force_login(bob.user)

        # when bob erases his account
        response = client.post("/api/me/erase/", {"password": PASSWORD}, content_type="application/json")

        # then the award stays, not shared, without evidence, and his credential still verifies
        assert response.status_code == 204
        kept = Award.objects.get(pk=award.pk)
        assert (kept.share_slug, kept.shared_at, kept.share_name) == (None, None, "")
        assert (kept.evidence_text, kept.evidence_url, kept.revoked_at) == ("", "", None)
        assert issuing.verify(token).valid

    def test_erasure_clears_the_evidence_of_nominations_about_the_person(self, pairing, alice, bob):
        nomination = services.nomination_create(
            mentee=bob,
            by=alice.user,
            category=Contribution.HELPED_PEER,
            evidence_text="Helped Sam with forms.",
            evidence_url="https://example.org/forms",
        )
        from accounts.personal_data import erase_user

        erase_user(bob.user)

        cleared = Nomination.objects.get(pk=nomination.pk)
        assert (cleared.evidence_text, cleared.evidence_url) == ("", "")
