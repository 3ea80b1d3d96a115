"""badges/issuing.py at the edges its mutation run showed unguarded: a base URL with a path, keys from
settings however they are padded, revocation read per organisation and per place, the order of the keys
the issuer publishes, and the status list served again after a key changes."""

import base64
from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.core.cache.backends import locmem
from django.core.exceptions import ImproperlyConfigured

from accounts.models import Organisation
from badges import issuing, services
from badges.credentials import keys, status_list
from badges.models import Award, BadgeClass, IssuerKey, Milestone
from tests.conftest import make_mentee

pytestmark = pytest.mark.django_db
URL = "/api/badges/verify/"


@pytest.fixture
def award(bob) -> Award:
    return services.award_milestone(user=bob.user, milestone=Milestone.FIRST_SESSION)


def verdict(api, credential) -> dict:
    response = api(None).post(URL, {"credential": credential}, format="json")
    assert response.status_code == 200
    return response.json()


class TestBaseUrl:
    @pytest.mark.parametrize(
        ("base", "root", "did_root"),
        [
            ("https://example.org/mentoring/", "https://example.org/mentoring", "did:web:example.org:mentoring"),
            ("https://example.org/TEDX", "https://example.org/TEDX", "did:web:example.org:TEDX"),
            ("https://example.org:8443/a/b/", "https://example.org:8443/a/b", "did:web:example.org%3A8443:a:b"),
        ],
    )
    def test_a_base_url_with_a_path_names_the_issuer_under_that_path(
        self, settings, api, org_a, award, base, root, did_root
    ):
        settings.BADGES_BASE_URL = base

        credential = issuing.credential_json(award)

        did = f"{did_root}:badges:issuers:casa-abierta"
        assert credential["issuer"]["id"] == did
        assert credential["issuer"]["url"] == f"{root}/badges/issuers/casa-abierta/"
        assert credential["credentialStatus"]["statusListCredential"] == f"{root}/badges/status/casa-abierta/"
        assert credential["proof"]["verificationMethod"].startswith(f"{did}#key-")
        assert verdict(api, credential)["valid"] is True
        assert verdict(api, issuing.credential_jwt(award))["valid"] is True


class TestKeysFromSettings:
    @pytest.mark.parametrize("padded", [True, False])
    def test_a_key_signs_with_or_without_its_base64_padding(self, settings, org_a, award, padded):
        configured = keys.generate_private_key()
        encoded = base64.urlsafe_b64encode(configured).decode()
        settings.BADGES_ISSUER_KEYS = {org_a.slug: encoded if padded else encoded.rstrip("=")}

        token = issuing.credential_jwt(award)

        assert bytes(issuing.issuer_key(org_a).public_key) == keys.public_key(configured)
        assert issuing.verify(token).valid

    @pytest.mark.parametrize(
        "encoded",
        [
            "abcde",  # not base64: 5 characters
            base64.urlsafe_b64encode(bytes(31)).decode(),
            base64.urlsafe_b64encode(bytes(33)).decode(),
        ],
    )
    def test_a_key_that_is_not_32_bytes_of_base64_is_a_configuration_error(self, settings, org_a, award, encoded):
        settings.BADGES_ISSUER_KEYS = {org_a.slug: encoded}

        with pytest.raises(ImproperlyConfigured, match=org_a.slug):
            issuing.credential_jwt(award)
        assert not IssuerKey.objects.filter(organisation=org_a).exists()

    def test_a_key_taken_back_from_settings_signs_again_unless_compromised(self, settings, api, org_a, award):
        first, second = keys.generate_private_key(), keys.generate_private_key()
        settings.BADGES_ISSUER_KEYS = {org_a.slug: base64.urlsafe_b64encode(first).decode()}
        issuing.credential_jwt(award)
        settings.BADGES_ISSUER_KEYS = {org_a.slug: base64.urlsafe_b64encode(second).decode()}
        issuing.credential_jwt(award)

        settings.BADGES_ISSUER_KEYS = {org_a.slug: base64.urlsafe_b64encode(first).decode()}

        assert verdict(api, issuing.credential_jwt(award))["valid"] is True
        assert bytes(issuing.issuer_key(org_a).public_key) == keys.public_key(first)
        issuing.mark_key_compromised(issuing.issuer_key(org_a))
        with pytest.raises(ImproperlyConfigured, match=f"the key of {org_a.slug} is compromised"):
            issuing.credential_jwt(award)


def test_a_new_key_id_fits_its_column(org_a):
    key = issuing.rotate_issuer_key(org_a)

    assert len(key.kid) <= IssuerKey._meta.get_field("kid").max_length


class TestRevocation:
    def test_revoking_one_award_leaves_the_others_of_the_organisation_valid(self, api, carol, bob, award):
        other = services.award_milestone(user=bob.user, milestone=Milestone.FIVE_SESSIONS)
        token = issuing.credential_jwt(other)

        services.award_revoke(award_id=award.pk, by=carol, reason="mistake")

        assert verdict(api, issuing.credential_jwt(award))["reason"] == "revoked"
        assert verdict(api, token)["valid"] is True

    def test_another_organisations_revocation_at_the_same_place_is_not_ours(self, api, org_b, dave, award):
        nadia = make_mentee(org_b, "nadia@example.org", "Nadia")
        theirs = services.award_milestone(user=nadia.user, milestone=Milestone.FIRST_SESSION)
        assert theirs.status_index == award.status_index

        services.award_revoke(award_id=theirs.pk, by=dave, reason="mistake")

        assert verdict(api, issuing.credential_jwt(theirs))["reason"] == "revoked"
        assert verdict(api, issuing.credential_jwt(award))["valid"] is True
        ours = api(None).get(f"/badges/status/{award.organisation.slug}/").json()
        assert not status_list.is_set(ours["credentialSubject"]["encodedList"], award.status_index)

    def test_a_slug_is_read_as_written_capitals_and_all(self, api):
        org = Organisation.objects.create(name="Xochimilco Xchange", slug="Xochimilco-X", country="MX")
        xime = make_mentee(org, "xime@example.org", "Xime")
        award = services.award_milestone(user=xime.user, milestone=Milestone.FIRST_SESSION)

        assert verdict(api, issuing.credential_jwt(award))["valid"] is True
        assert issuing.is_revoked(issuing.status_list_url(org), award.status_index) is False

    def test_a_status_list_that_is_not_ours_cannot_be_checked(self, org_a, award):
        base = issuing.base_url()

        assert issuing.is_revoked(f"{base}/badges/status/{org_a.slug}/", award.status_index) is False
        assert issuing.is_revoked(f"{base}/badges/status/{org_a.slug}", award.status_index) is False
        assert issuing.is_revoked(f"{base}/badges/status/nobody/", award.status_index) is None
        assert issuing.is_revoked(f"https://elsewhere.example/badges/status/{org_a.slug}/", 0) is None


class TestPublishedKeys:
    def test_retired_keys_are_published_newest_first(self, api, org_a, award):
        first = issuing.issuer_key(org_a)
        second = issuing.rotate_issuer_key(org_a)
        IssuerKey.objects.filter(pk=first.pk).update(created_at=second.created_at - timedelta(days=1))
        active = issuing.rotate_issuer_key(org_a)
        did = issuing.issuer_did(org_a)

        jwks = api(None).get(f"/badges/issuers/{org_a.slug}/jwks.json").json()

        assert [key["kid"] for key in jwks["keys"]] == [
            f"{did}#{active.kid}-jwk",
            f"{did}#{second.kid}-jwk",
            f"{did}#{first.kid}-jwk",
        ]

    def test_an_organisation_publishes_and_rotates_only_its_own_keys(self, api, org_a, org_b, award):
        ours, theirs = issuing.issuer_key(org_a), issuing.issuer_key(org_b)

        new_theirs = issuing.rotate_issuer_key(org_b)
        new_ours = issuing.rotate_issuer_key(org_a)  # one of the two has the lower id: both orders are tried

        assert issuing.issuer_key(org_a).pk == new_ours.pk
        assert issuing.issuer_key(org_b).pk == new_theirs.pk
        did = issuing.issuer_did(org_a)
        jwks = api(None).get(f"/badges/issuers/{org_a.slug}/jwks.json").json()
        assert [key["kid"] for key in jwks["keys"]] == [f"{did}#{new_ours.kid}-jwk", f"{did}#{ours.kid}-jwk"]
        did_document = api(None).get(f"/badges/issuers/{org_b.slug}/did.json").json()
        assert [method["id"] for method in did_document["verificationMethod"]][::2] == [
            f"{did_document['id']}#{new_theirs.kid}",
            f"{did_document['id']}#{theirs.kid}",
        ]

    def test_a_rotation_after_a_key_is_marked_compromised_leaves_it_compromised(self, api, org_a, award):
        old = issuing.issuer_key(org_a)
        token = issuing.credential_jwt(award)
        issuing.mark_key_compromised(old)

        new = issuing.rotate_issuer_key(org_a)

        assert verdict(api, token)["reason"] == "unknown_key"
        assert IssuerKey.objects.get(pk=old.pk).compromised_at is not None
        assert issuing.issuer_key(org_a).pk == new.pk

    def test_a_retired_key_marked_compromised_later_keeps_its_retirement_date(self, org_a, award):
        old = issuing.issuer_key(org_a)
        issuing.rotate_issuer_key(org_a)
        retired_at = IssuerKey.objects.get(pk=old.pk).retired_at

        issuing.mark_key_compromised(IssuerKey.objects.get(pk=old.pk))

        old.refresh_from_db()
        assert old.retired_at == retired_at
        assert old.compromised_at is not None
        assert old.compromised_at >= retired_at


class TestStatusListServedAgain:
    def served(self, api, org) -> dict:
        return api(None).get(f"/badges/status/{org.slug}/").json()

    def test_a_rotation_serves_the_list_signed_by_the_new_key(self, api, org_a, award):
        self.served(api, org_a)

        new = issuing.rotate_issuer_key(org_a)

        assert self.served(api, org_a)["proof"]["verificationMethod"].endswith(f"#{new.kid}")

    def test_a_key_marked_compromised_serves_the_list_signed_by_a_new_key(self, api, org_a, award):
        old = issuing.issuer_key(org_a)
        assert self.served(api, org_a)["proof"]["verificationMethod"].endswith(f"#{old.kid}")

        issuing.mark_key_compromised(old)

        method = self.served(api, org_a)["proof"]["verificationMethod"]
        assert not method.endswith(f"#{old.kid}")
        assert method.endswith(f"#{issuing.issuer_key(org_a).kid}")

    def test_the_served_list_is_signed_once_and_served_again_while_nothing_changes(
        self, api, monkeypatch, org_a, award
    ):
        first = self.served(api, org_a)
        later = issuing.timezone.now() + timedelta(minutes=2)
        monkeypatch.setattr(issuing.timezone, "now", lambda: later)

        again = self.served(api, org_a)

        assert again == first
        assert issuing.status_list_credential(org_a)["validFrom"] != first["validFrom"]

    def test_the_served_list_is_signed_again_after_five_minutes(self, api, monkeypatch, settings, org_a, award):
        # the local-memory cache, whose clock can be moved (Redis keeps its own in the CI's PostgreSQL pass)
        settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
        first = self.served(api, org_a)
        seconds = issuing.STATUS_LIST_SECONDS + 1
        later = issuing.timezone.now() + timedelta(seconds=seconds)
        monkeypatch.setattr(issuing.timezone, "now", lambda: later)
        monkeypatch.setattr(locmem, "time", SimpleNamespace(time=lambda: later.timestamp()))

        again = self.served(api, org_a)

        assert again["validFrom"] != first["validFrom"]
        assert again == issuing.status_list_credential(org_a, now=later)


def test_the_badge_image_shows_the_name_in_the_language_of_the_badge(award):
    BadgeClass.objects.filter(pk=award.badge_class_id).update(language="es")
    award = Award.objects.get(pk=award.pk)

    image = issuing.badge_svg(award)

    assert issuing.credential(award)["name"] == "Primera sesión realizada"
    assert "Primera sesión" in image
    assert "First session" not in image


@pytest.mark.parametrize(
    ("text", "url", "evidence"),
    [
        (
            "Translated for two families.",
            "https://example.org/story",
            [("Translated for two families.", "https://example.org/story")],
        ),
        ("Translated for two families.", "", [("Translated for two families.", None)]),
        ("", "https://example.org/story", [("", "https://example.org/story")]),
        ("", "", []),
    ],
)
def test_the_credential_carries_the_evidence_given(api, org_a, carol, bob, text, url, evidence):
    badge_class = services.badge_class_create(organisation=org_a, by=carol, name="Bridge builder")
    award = services.award_create(
        badge_class=badge_class, recipient=bob.user, by=carol, evidence_text=text, evidence_url=url
    )

    credential = issuing.credential_json(award)

    assert [(item["narrative"], item.get("id")) for item in credential.get("evidence", [])] == evidence
    assert verdict(api, credential)["valid"] is True


def test_the_achievement_names_the_badge_s_tags_and_image(api, org_a, carol, bob):
    badge_class = services.badge_class_create(
        organisation=org_a, by=carol, name="Bridge builder", tags=["translation", "community"]
    )
    award = services.award_create(badge_class=badge_class, recipient=bob.user, by=carol)

    achievement = issuing.credential_json(award)["credentialSubject"]["achievement"]

    assert achievement["tag"] == ["translation", "community"]
    image = api(None).get(achievement["image"]["id"].removeprefix(issuing.base_url()))
    assert image.status_code == 200
    assert "Bridge builder" in image.content.decode()


def test_the_issuer_profile_points_to_its_did_document(api, org_a, award):
    profile = api(None).get(f"/badges/issuers/{org_a.slug}/").json()

    (identifier,) = profile["otherIdentifier"]
    assert identifier["identifier"] == f"{issuing.base_url()}/badges/issuers/{org_a.slug}/did.json"
    did_document = api(None).get(identifier["identifier"].removeprefix(issuing.base_url())).json()
    assert did_document["id"] == profile["id"] == issuing.issuer_did(org_a)
