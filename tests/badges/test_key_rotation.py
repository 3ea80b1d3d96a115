"""Key rotation: every credential names the key that signed it by its own id, so what an organisation's
old key signed still verifies after a rotation (the DID document and JWKS keep publishing it); a key marked
compromised verifies nothing any more and is published no more."""

import base64
import json
from io import StringIO

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from django.core.exceptions import ImproperlyConfigured
from django.core.management import CommandError, call_command
from django.test import Client

from accounts.models import User
from badges import issuing, services
from badges.credentials import baking, keys
from badges.models import Award, IssuerKey, Milestone
from tests.badges.credential_cast import b58decode, independently_verified
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db
URL = "/api/badges/verify/"


@pytest.fixture
def award(bob) -> Award:
    return services.award_milestone(user=bob.user, milestone=Milestone.FIRST_SESSION)


@pytest.fixture
def signed_before(award) -> dict:
    """The award in its three forms, signed by the organisation's first key."""
    return {
        "jwt": issuing.credential_jwt(award),
        "json": issuing.credential_json(award),
        "svg": issuing.baked_svg(award),
    }


def verdict(api, credential) -> dict:
    response = api(None).post(URL, {"credential": credential}, format="json")
    assert response.status_code == 200
    return response.json()


def published(api, org) -> tuple[dict, dict]:
    did = api(None).get(f"/badges/issuers/{org.slug}/did.json").json()
    jwks = api(None).get(f"/badges/issuers/{org.slug}/jwks.json").json()
    return did, jwks


def method_public_key(did_document: dict, method_id: str) -> bytes:
    """The raw key the published DID document gives a verification method, read without the app's code."""
    (method,) = [method for method in did_document["verificationMethod"] if method["id"] == method_id]
    assert method_id in did_document["assertionMethod"]
    if "publicKeyJwk" in method:
        x = method["publicKeyJwk"]["x"]
        return base64.urlsafe_b64decode(x + "=" * (-len(x) % 4))
    raw = b58decode(method["publicKeyMultibase"][1:])
    assert raw[:2] == b"\xed\x01"
    return raw[2:]


def test_each_credential_names_its_own_key(award, signed_before, org_a):
    key = issuing.issuer_key(org_a)
    did = issuing.issuer_did(org_a)

    assert jwt.get_unverified_header(signed_before["jwt"])["kid"] == f"{did}#{key.kid}-jwk"
    assert signed_before["json"]["proof"]["verificationMethod"] == f"{did}#{key.kid}"
    assert key.kid != "key-1"


def test_what_the_old_key_signed_still_verifies_after_a_rotation(api, org_a, award, signed_before):
    old = issuing.issuer_key(org_a)

    new = issuing.rotate_issuer_key(org_a)

    assert new.kid != old.kid
    assert issuing.issuer_key(org_a).pk == new.pk
    for form, credential in signed_before.items():
        body = verdict(api, credential)
        assert body["valid"] is True, form
        assert body["form"] == form
    # and independently, with the keys as the issuer now publishes them
    did_document, _jwks = published(api, org_a)
    token = signed_before["jwt"]
    kid = jwt.get_unverified_header(token)["kid"]
    public = Ed25519PublicKey.from_public_bytes(method_public_key(did_document, kid))
    assert jwt.decode(token, public, algorithms=["EdDSA"])["issuer"]["id"] == did_document["id"]
    proof_method = signed_before["json"]["proof"]["verificationMethod"]
    assert independently_verified(signed_before["json"], method_public_key(did_document, proof_method))
    unbaked = baking.unbake(signed_before["svg"])
    assert (
        jwt.decode(unbaked, public, algorithms=["EdDSA"])["id"] == jwt.decode(token, public, algorithms=["EdDSA"])["id"]
    )


def test_new_credentials_are_signed_by_the_new_key(api, org_a, award, signed_before):
    new = issuing.rotate_issuer_key(org_a)

    token = issuing.credential_jwt(award)

    assert jwt.get_unverified_header(token)["kid"].endswith(f"#{new.kid}-jwk")
    assert verdict(api, token)["valid"] is True
    assert verdict(api, issuing.credential_json(award))["valid"] is True


def test_did_json_and_jwks_list_the_active_key_first_then_the_rotated_one(api, org_a, award, signed_before):
    old = issuing.issuer_key(org_a)
    new = issuing.rotate_issuer_key(org_a)
    did = issuing.issuer_did(org_a)

    did_document, jwks = published(api, org_a)

    assert [method["id"] for method in did_document["verificationMethod"]] == [
        f"{did}#{new.kid}",
        f"{did}#{new.kid}-jwk",
        f"{did}#{old.kid}",
        f"{did}#{old.kid}-jwk",
    ]
    assert did_document["assertionMethod"] == [method["id"] for method in did_document["verificationMethod"]]
    assert method_public_key(did_document, f"{did}#{old.kid}") == bytes(old.public_key)
    assert [key["kid"] for key in jwks["keys"]] == [f"{did}#{new.kid}-jwk", f"{did}#{old.kid}-jwk"]
    profile = api(None).get(f"/badges/issuers/{org_a.slug}/").json()
    assert [method["id"] for method in profile["verificationMethod"]] == [f"{did}#{new.kid}"]


def test_a_compromised_key_verifies_nothing_and_is_published_no_more(api, org_a, award, signed_before):
    old = issuing.issuer_key(org_a)
    did = issuing.issuer_did(org_a)

    new = issuing.rotate_issuer_key(org_a, compromised=True)

    for form, credential in signed_before.items():
        body = verdict(api, credential)
        assert body["valid"] is False, form
        assert body["reason"] == "unknown_key"
    did_document, jwks = published(api, org_a)
    ids = {method["id"] for method in did_document["verificationMethod"]}
    assert ids == {f"{did}#{new.kid}", f"{did}#{new.kid}-jwk"}
    assert [key["kid"] for key in jwks["keys"]] == [f"{did}#{new.kid}-jwk"]
    assert old.kid not in json.dumps(did_document) + json.dumps(jwks)
    assert verdict(api, issuing.credential_jwt(award))["valid"] is True


def test_a_retired_key_marked_compromised_later_stops_verifying(api, org_a, award, signed_before):
    old = issuing.issuer_key(org_a)
    issuing.rotate_issuer_key(org_a)
    assert verdict(api, signed_before["json"])["valid"] is True

    issuing.mark_key_compromised(IssuerKey.objects.get(pk=old.pk))

    assert verdict(api, signed_before["json"])["reason"] == "unknown_key"
    assert verdict(api, signed_before["jwt"])["reason"] == "unknown_key"


def test_a_retired_key_keeps_no_private_half(org_a, award, signed_before):
    old = issuing.issuer_key(org_a)

    issuing.rotate_issuer_key(org_a)

    assert bytes(IssuerKey.objects.get(pk=old.pk).private_key) == b""


def test_a_key_id_of_another_organisation_or_an_unknown_one_does_not_resolve(org_a, org_b, award, signed_before):
    other = issuing.issuer_key(org_b)
    did = issuing.issuer_did(org_a)

    assert issuing.resolve_key(f"{did}#{other.kid}") is None
    assert issuing.resolve_key(f"{did}#key-1") is None
    assert issuing.resolve_key(f"{did}#{issuing.issuer_key(org_a).kid}-jwk-jwk") is None
    assert issuing.resolve_key(f"{did}#a/b") is None
    assert issuing.resolve_key(f"{did}#{issuing.issuer_key(org_a).kid}") == bytes(issuing.issuer_key(org_a).public_key)


def test_the_admin_action_marks_a_key_compromised_and_never_shows_the_private_key(api, org_a, award, signed_before):
    key = issuing.issuer_key(org_a)
    private = bytes(key.private_key).hex()
    staff = User.objects.create_superuser("root@example.org", PASSWORD)
    client = Client()
    client.force_login(staff)

    page = client.get("/admin/badges/issuerkey/")
    response = client.post(
        "/admin/badges/issuerkey/", {"action": "mark_compromised", "_selected_action": [key.pk]}, follow=True
    )

    assert page.status_code == response.status_code == 200
    assert private not in page.content.decode() + response.content.decode()
    key.refresh_from_db()
    assert key.compromised_at is not None
    assert key.retired_at is not None
    assert verdict(api, signed_before["jwt"])["reason"] == "unknown_key"
    assert issuing.issuer_key(org_a).pk != key.pk  # the next credential gets a new key


def test_the_management_command_rotates(api, org_a, award, signed_before):
    old = issuing.issuer_key(org_a)
    out = StringIO()

    call_command("rotate_issuer_key", org_a.slug, stdout=out)

    new = issuing.issuer_key(org_a)
    assert new.pk != old.pk
    assert new.kid in out.getvalue()
    assert verdict(api, signed_before["jwt"])["valid"] is True
    call_command("rotate_issuer_key", org_a.slug, "--compromised", stdout=out)
    assert IssuerKey.objects.get(pk=new.pk).compromised_at is not None
    with pytest.raises(CommandError):
        call_command("rotate_issuer_key", "no-such-organisation")


def test_a_key_from_settings_is_rotated_in_settings(settings, api, org_a, award):
    configured = keys.generate_private_key()
    settings.BADGES_ISSUER_KEYS = {org_a.slug: base64.urlsafe_b64encode(configured).decode()}
    token = issuing.credential_jwt(award)

    with pytest.raises(CommandError):
        call_command("rotate_issuer_key", org_a.slug)

    settings.BADGES_ISSUER_KEYS = {org_a.slug: base64.urlsafe_b64encode(keys.generate_private_key()).decode()}
    assert verdict(api, issuing.credential_jwt(award))["valid"] is True
    assert verdict(api, token)["valid"] is True  # the old configured key was retired, not forgotten

    settings.BADGES_ISSUER_KEYS = {org_a.slug: base64.urlsafe_b64encode(configured).decode()}
    issuing.mark_key_compromised(IssuerKey.objects.get(organisation=org_a, public_key=keys.public_key(configured)))
    assert verdict(api, token)["reason"] == "unknown_key"
    with pytest.raises(ImproperlyConfigured):  # a compromised key is never taken back into use
        issuing.issuer_key(org_a)
