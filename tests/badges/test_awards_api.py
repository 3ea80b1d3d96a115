"""Awards: the holder's wallet with evidence, downloads in three forms that verify (independently too),
sharing on a public page that shows nothing but the badge and the chosen name, revocation published in
the status list. Coordinators see their organisation's; everyone else gets 404."""

import base64
import json

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from badges import issuing, services
from badges.credentials import baking, build, status_list
from badges.models import Award, Contribution, Milestone
from tests.badges.credential_cast import independently_verified

pytestmark = pytest.mark.django_db


@pytest.fixture
def award(bob) -> Award:
    return services.award_milestone(user=bob.user, milestone=Milestone.FIRST_SESSION)


@pytest.fixture
def translator_award(org_a, carol, bob) -> Award:
    badge_class = services.badge_class_create(
        organisation=org_a,
        by=carol,
        name="Puente de idiomas",
        description="Tradujo para personas recién llegadas.",
        criteria="Una coordinadora confirmó la traducción.",
        language="es",
        contribution=Contribution.TRANSLATED,
    )
    return services.award_create(
        badge_class=badge_class,
        recipient=bob.user,
        by=carol,
        evidence_text="Translated at the town hall for two families.",
        evidence_url="https://example.org/story",
    )


def stored() -> list:
    return list(Award.objects.order_by("pk").values())


class TestWallet:
    def test_the_holder_sees_their_awards_with_evidence(self, api, bob, award, translator_award):
        response = api(bob).get("/api/awards/")

        assert response.status_code == 200
        rows = {row["id"]: row for row in response.json()["results"]}
        assert set(rows) == {award.pk, translator_award.pk}
        assert rows[translator_award.pk]["evidence_text"] == "Translated at the town hall for two families."
        assert rows[translator_award.pk]["automatic"] is False
        assert rows[award.pk]["automatic"] is True
        assert rows[award.pk]["badge"]["name"] == "First session held"
        assert rows[award.pk]["shared"] is False

    def test_coordinators_see_their_organisations_awards(self, api, carol, award):
        assert [row["id"] for row in api(carol).get("/api/awards/").json()["results"]] == [award.pk]

    @pytest.mark.parametrize("who", ["alice", "eve", "dave", "mallory"])
    def test_others_see_none_and_get_404(self, api, request, who, award):
        other = request.getfixturevalue(who)
        assert api(other).get("/api/awards/").json()["results"] == []
        assert api(other).get(f"/api/awards/{award.pk}/").status_code == 404

    def test_the_wallet_costs_the_same_queries_for_one_or_many_awards(
        self, api, bob, award, translator_award, django_assert_num_queries
    ):
        with django_assert_num_queries(2):  # count, page (badge class and person joined)
            assert len(api(bob).get("/api/awards/").json()["results"]) == 2


class TestDownloads:
    def test_the_jwt_verifies_with_an_independent_jose_library(self, api, bob, translator_award):
        response = api(bob).get(f"/api/awards/{translator_award.pk}/credential.jwt")

        assert response.status_code == 200
        assert response["Content-Type"] == "application/vc+jwt"
        token = response.content.decode()
        header = jwt.get_unverified_header(token)
        assert header["alg"] == "EdDSA"
        public = issuing.resolve_key(header["kid"])
        claims = jwt.decode(token, Ed25519PublicKey.from_public_bytes(public), algorithms=["EdDSA"])
        assert claims["issuer"]["id"] == header["kid"].partition("#")[0]
        assert claims["credentialSubject"]["achievement"]["name"] == "Puente de idiomas"
        assert issuing.verify(token).valid

    def test_the_json_credential_verifies_independently_and_against_the_schema(self, api, carol, translator_award):
        response = api(carol).get(f"/api/awards/{translator_award.pk}/credential.json")

        assert response.status_code == 200
        signed = json.loads(response.content)
        assert build.validate({k: v for k, v in signed.items() if k != "proof"}) == []
        public = issuing.resolve_key(signed["proof"]["verificationMethod"])
        assert independently_verified(signed, public)
        assert issuing.verify(signed).valid

    def test_the_baked_svg_carries_a_credential_that_verifies(self, api, bob, award):
        response = api(bob).get(f"/api/awards/{award.pk}/badge.svg")

        assert response.status_code == 200
        svg = response.content.decode()
        assert "<svg" in svg
        assert isinstance(baking.unbake(svg), str)
        result = issuing.verify(svg)
        assert result.valid
        assert result.form == "svg"

    def test_the_recipient_is_named_only_by_a_salted_hash(self, api, bob, translator_award):
        token = api(bob).get(f"/api/awards/{translator_award.pk}/credential.jwt").content.decode()
        payload = json.loads(base64.urlsafe_b64decode(token.split(".")[1] + "==="))

        text = json.dumps(payload)
        assert "bob@example.org" not in text
        assert "Bob" not in text
        identity = payload["credentialSubject"]["identifier"][0]
        assert identity["hashed"] is True
        assert identity["identityHash"] == build.hash_identity("bob@example.org", identity["salt"])

    @pytest.mark.parametrize("form", ["credential.jwt", "credential.json", "badge.svg"])
    @pytest.mark.parametrize("who", ["alice", "eve", "dave", "mallory"])
    def test_others_get_404(self, api, request, who, form, award):
        other = request.getfixturevalue(who)
        assert api(other).get(f"/api/awards/{award.pk}/{form}").status_code == 404

    def test_a_tampered_credential_does_not_verify_and_says_why(self, api, bob, translator_award):
        signed = json.loads(api(bob).get(f"/api/awards/{translator_award.pk}/credential.json").content)
        signed["credentialSubject"]["achievement"]["name"] = "Something else"

        result = issuing.verify(signed)
        assert not result.valid
        assert result.reason == "tampered"


class TestSharing:
    def test_the_holder_shares_under_a_chosen_name_and_the_page_shows_only_that(self, api, bob, translator_award):
        response = api(bob).post(f"/api/awards/{translator_award.pk}/share/", {"display_name": "B. the translator"})

        assert response.status_code == 200
        share_url = response.json()["share_url"]
        page = api(None).get(share_url)
        assert page.status_code == 200
        shown = page.json()
        assert shown["display_name"] == "B. the translator"
        assert shown["badge"]["name"] == "Puente de idiomas"
        text = json.dumps(shown)
        for private in ("Bob", "bob@example.org", "town hall", "example.org/story"):
            assert private not in text

    def test_sharing_records_when_and_a_new_name_keeps_the_address(self, api, bob, award):
        first = api(bob).post(f"/api/awards/{award.pk}/share/", {"display_name": "Bob"}).json()["share_url"]
        shared = Award.objects.get(pk=award.pk)
        assert shared.shared_at is not None
        # the address is long enough not to be guessed, and fits its column (PostgreSQL enforces the length)
        assert 20 <= len(shared.share_slug) <= Award._meta.get_field("share_slug").max_length

        again = api(bob).post(f"/api/awards/{award.pk}/share/", {"display_name": "B."}).json()["share_url"]

        renamed = Award.objects.get(pk=award.pk)
        assert (again, renamed.shared_at, renamed.share_name) == (first, shared.shared_at, "B.")

    def test_sharing_is_off_by_default_and_a_guessed_slug_is_not_found(self, api, award):
        assert award.share_slug is None
        assert api(None).get("/api/badges/shared/not-a-real-slug/").status_code == 404

    def test_unsharing_takes_the_page_down_and_a_new_share_has_a_new_address(self, api, bob, award):
        first = api(bob).post(f"/api/awards/{award.pk}/share/", {"display_name": "Bob"}).json()["share_url"]

        assert api(bob).delete(f"/api/awards/{award.pk}/share/").status_code == 200
        assert api(None).get(first).status_code == 404
        unshared = Award.objects.get(pk=award.pk)
        assert (unshared.share_slug, unshared.shared_at, unshared.share_name) == (None, None, "")
        second = api(bob).post(f"/api/awards/{award.pk}/share/", {"display_name": "Bob"}).json()["share_url"]
        assert second != first

    @pytest.mark.parametrize("body", [{}, {"display_name": ""}, {"display_name": "   "}, {"display_name": "x" * 81}])
    def test_a_name_is_required_and_nothing_changes_without_one(self, api, bob, award, body):
        before = stored()

        response = api(bob).post(f"/api/awards/{award.pk}/share/", body, format="json")

        assert response.status_code == 400
        assert "display_name" in response.json()
        assert stored() == before

    def test_a_coordinator_cannot_share_someone_elses_badge(self, api, carol, award):
        assert api(carol).post(f"/api/awards/{award.pk}/share/", {"display_name": "X"}).status_code == 403
        assert Award.objects.get(pk=award.pk).share_slug is None

    @pytest.mark.parametrize("who", ["alice", "eve", "dave"])
    def test_others_get_404(self, api, request, who, award):
        other = request.getfixturevalue(who)
        assert api(other).post(f"/api/awards/{award.pk}/share/", {"display_name": "X"}).status_code == 404


class TestRevocation:
    def test_a_coordinator_revokes_with_a_reason_and_the_status_list_says_so(self, api, carol, bob, translator_award):
        token = api(bob).get(f"/api/awards/{translator_award.pk}/credential.jwt").content.decode()
        assert issuing.verify(token).valid

        response = api(carol).post(f"/api/awards/{translator_award.pk}/revoke/", {"reason": "Awarded by mistake"})

        assert response.status_code == 200
        assert response.json()["revoked"] is True
        status = api(None).get(f"/badges/status/{translator_award.organisation.slug}/").json()
        encoded = status["credentialSubject"]["encodedList"]
        assert status_list.is_set(encoded, translator_award.status_index)
        result = issuing.verify(token)
        assert not result.valid
        assert result.reason == "revoked"

    def test_a_published_list_shows_a_revocation_at_once(
        self, api, carol, translator_award, django_capture_on_commit_callbacks
    ):
        url = f"/badges/status/{translator_award.organisation.slug}/"
        before = api(None).get(url).json()["credentialSubject"]["encodedList"]
        assert not status_list.is_set(before, translator_award.status_index)

        with django_capture_on_commit_callbacks(execute=True):
            api(carol).post(f"/api/awards/{translator_award.pk}/revoke/", {"reason": "Awarded by mistake"})

        after = api(None).get(url).json()["credentialSubject"]["encodedList"]
        assert status_list.is_set(after, translator_award.status_index)

    def test_the_published_list_verifies_as_the_issuers(self, api, org_a, award):
        from badges.credentials import data_integrity

        published = api(None).get(f"/badges/status/{org_a.slug}/").json()

        assert published["issuer"] == issuing.issuer_did(org_a)
        assert data_integrity.verify_proof(published, bytes(issuing.issuer_key(org_a).public_key))
        assert independently_verified(published, bytes(issuing.issuer_key(org_a).public_key))

    def test_the_holder_sees_the_badge_as_revoked_with_the_reason(self, api, carol, bob, translator_award):
        services.award_revoke(award_id=translator_award.pk, by=carol, reason="Awarded by mistake")

        row = api(bob).get(f"/api/awards/{translator_award.pk}/").json()
        assert row["revoked"] is True
        assert row["revoked_reason"] == "Awarded by mistake"

    def test_a_revoked_shared_badge_leaves_its_public_page(self, api, carol, bob, award):
        url = api(bob).post(f"/api/awards/{award.pk}/share/", {"display_name": "Bob"}).json()["share_url"]

        services.award_revoke(award_id=award.pk, by=carol, reason="mistake")

        assert api(None).get(url).status_code == 404
        assert api(bob).post(f"/api/awards/{award.pk}/share/", {"display_name": "Bob"}).status_code == 400

    def test_a_status_list_has_only_revoked_awards_set(self, api, carol, award, translator_award):
        services.award_revoke(award_id=award.pk, by=carol, reason="mistake")

        encoded = issuing.status_list_credential(award.organisation)["credentialSubject"]["encodedList"]
        assert status_list.is_set(encoded, award.status_index)
        assert not status_list.is_set(encoded, translator_award.status_index)

    @pytest.mark.parametrize("body", [{}, {"reason": ""}, {"reason": "x" * 501}])
    def test_a_reason_is_required_and_nothing_changes_without_one(self, api, carol, award, body):
        before = stored()

        response = api(carol).post(f"/api/awards/{award.pk}/revoke/", body, format="json")

        assert response.status_code == 400
        assert "reason" in response.json()
        assert stored() == before

    def test_revoking_twice_is_refused(self, api, carol, award):
        api(carol).post(f"/api/awards/{award.pk}/revoke/", {"reason": "mistake"})
        assert api(carol).post(f"/api/awards/{award.pk}/revoke/", {"reason": "again"}).status_code == 400

    def test_another_organisations_coordinator_gets_404(self, api, dave, award):
        assert api(dave).post(f"/api/awards/{award.pk}/revoke/", {"reason": "x"}).status_code == 404
        assert Award.objects.get(pk=award.pk).revoked_at is None

    @pytest.mark.parametrize("who", ["alice", "dave"])
    def test_the_service_itself_lets_only_a_coordinator_of_the_organisation_revoke(self, request, who, award):
        # the API stops these people first; the rule holds for any other caller of the service too
        other = request.getfixturevalue(who)
        with pytest.raises(services.BadgeForbidden):
            services.award_revoke(award_id=award.pk, by=getattr(other, "user", other), reason="x")
        assert Award.objects.get(pk=award.pk).revoked_at is None

    @pytest.mark.parametrize("who", ["alice", "bob"])
    def test_volunteers_and_holders_may_not_revoke(self, api, request, who, award):
        other = request.getfixturevalue(who)
        assert api(other).post(f"/api/awards/{award.pk}/revoke/", {"reason": "x"}).status_code == 403


class TestIssuerDocuments:
    def test_the_issuer_profile_did_document_and_jwks_publish_the_same_key(self, api, org_a, award):
        from badges.credentials import keys

        profile = api(None).get(f"/badges/issuers/{org_a.slug}/")
        did = api(None).get(f"/badges/issuers/{org_a.slug}/did.json")
        jwks = api(None).get(f"/badges/issuers/{org_a.slug}/jwks.json")

        assert profile.status_code == did.status_code == jwks.status_code == 200
        assert did["Access-Control-Allow-Origin"] == "*"
        public = issuing.issuer_key(org_a).public_key
        assert did.json()["id"] == issuing.issuer_did(org_a)
        assert did.json()["verificationMethod"][0]["publicKeyMultibase"] == keys.multikey(bytes(public))
        assert build.validate_profile(profile.json()) == []
        assert jwks.json()["keys"][0]["x"] == keys.b64url(bytes(public))

    def test_the_issuer_in_a_credential_resolves_to_its_did_document(self, api, org_a, award):
        credential = issuing.credential(award)
        did = credential["issuer"]["id"]
        # did:web:<host>:badges:issuers:<slug> -> https://<host>/badges/issuers/<slug>/did.json
        path = "/" + "/".join(did.split(":")[3:]) + "/did.json"
        assert api(None).get(path).json()["id"] == did
        assert api(None).get(credential["issuer"]["url"].replace(issuing.base_url(), "")).status_code == 200

    def test_an_unknown_organisation_is_not_found(self, api):
        assert api(None).get("/badges/issuers/nobody/").status_code == 404
        assert api(None).get("/badges/status/nobody/").status_code == 404

    def test_a_badge_class_and_its_image_are_public(self, api, award):
        assert api(None).get(f"/badges/classes/{award.badge_class_id}/").json()["name"] == "First session held"
        image = api(None).get(f"/badges/classes/{award.badge_class_id}/image.svg")
        assert image["Content-Type"] == "image/svg+xml"


@pytest.mark.parametrize("milestone", list(Milestone))
def test_every_milestone_credential_validates_against_the_schema_and_verifies(org_a, bob, milestone):
    award = services.award_milestone(user=bob.user, milestone=milestone)

    assert build.validate(issuing.credential(award)) == []
    assert issuing.verify(issuing.credential_jwt(award)).valid


def test_a_badge_with_only_a_name_still_issues_a_valid_credential(org_a, carol, bob):
    badge_class = services.badge_class_create(organisation=org_a, by=carol, name="Bare")
    award = services.award_create(badge_class=badge_class, recipient=bob.user, by=carol)

    assert build.validate(issuing.credential(award)) == []
    assert issuing.verify(issuing.credential_json(award)).valid
