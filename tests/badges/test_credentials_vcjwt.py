"""VC-JWT credentials: ours verify with PyJWT (an independent JOSE implementation) and PyJWT's with ours."""

import json
from datetime import timedelta

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from badges.credentials import keys, vcjwt
from badges.credentials.verify import Reason, verify
from tests.badges.credential_cast import (
    CASA,
    CASA_PRIVATE,
    NICOSIA,
    NICOSIA_PRIVATE,
    NOW,
    credential,
    not_revoked,
    resolve_key,
    revoked,
)

KID = keys.jwk_id(CASA.id)


def check(token, *, now=NOW, is_revoked=not_revoked, resolver=resolve_key):
    return verify(token, resolve_key=resolver, is_revoked=is_revoked, now=now)


def pyjwt_decode(token):
    """Verify with PyJWT, finding the key in the DID document the header's kid points into."""
    header = jwt.get_unverified_header(token)
    did = header["kid"].partition("#")[0]
    document = keys.did_web_document(did, resolve_key(header["kid"]))
    method = next(method for method in document["verificationMethod"] if method["id"] == header["kid"])
    key = jwt.PyJWK(method["publicKeyJwk"])
    # the credentials are dated around NOW, not the wall clock: the dates are checked against NOW below
    return jwt.decode(token, key=key, algorithms=["EdDSA"], options={"verify_exp": False, "verify_nbf": False})


def forge(payload, private, header):
    """A token built by PyJWT, not by the code under test."""
    return jwt.encode(payload, Ed25519PrivateKey.from_private_bytes(private), algorithm="EdDSA", headers=header)


def payload_of(token):
    return json.loads(keys.b64url_decode(token.split(".")[1]))


def test_a_signed_credential_verifies_and_round_trips():
    issued = credential()

    result = check(vcjwt.sign(issued, CASA_PRIVATE, KID))

    assert result.valid
    assert result.reason is Reason.VALID
    assert result.form == "jwt"
    assert result.credential == issued


def test_the_header_is_eddsa_with_a_resolvable_kid_and_the_public_jwk():
    header = jwt.get_unverified_header(vcjwt.sign(credential(), CASA_PRIVATE, KID))

    assert header["alg"] == "EdDSA"
    assert header["kid"] == KID
    assert header["jwk"] == keys.public_jwk(keys.public_key(CASA_PRIVATE), KID)


def test_pyjwt_verifies_our_token_and_reads_the_credential_and_registered_claims():
    issued = credential()

    claims = pyjwt_decode(vcjwt.sign(issued, CASA_PRIVATE, KID))

    assert {key: claims[key] for key in issued} == issued
    assert claims["iss"] == CASA.id
    assert claims["jti"] == issued["id"]
    assert claims["nbf"] == int((NOW - timedelta(days=1)).timestamp())
    assert claims["exp"] == int((NOW + timedelta(days=365)).timestamp())


def test_pyjwt_refuses_our_token_once_changed():
    token = vcjwt.sign(credential(), CASA_PRIVATE, KID)
    header, payload, signature = token.split(".")
    changed = payload_of(token)
    changed["credentialSubject"]["achievement"]["name"] = "Mayor"

    with pytest.raises(jwt.InvalidSignatureError):
        pyjwt_decode(f"{header}.{keys.b64url(json.dumps(changed).encode())}.{signature}")


def test_we_verify_a_token_that_pyjwt_signed():
    token = forge(vcjwt.claims(credential()), CASA_PRIVATE, {"kid": KID})

    assert check(token).reason is Reason.VALID


@pytest.mark.parametrize(
    "change",
    [
        lambda payload: payload["credentialSubject"]["achievement"].update(name="Mayor of Madrid"),
        lambda payload: payload["credentialSubject"]["identifier"][0].update(identityHash="sha256$" + "0" * 64),
        lambda payload: payload.update(validUntil="2099-01-01T00:00:00Z", exp=4070908800),
        lambda payload: payload.update(name="Another name"),
    ],
)
def test_a_changed_payload_is_tampered(change):
    token = vcjwt.sign(credential(), CASA_PRIVATE, KID)
    header, _, signature = token.split(".")
    payload = payload_of(token)
    change(payload)

    result = check(f"{header}.{keys.b64url(json.dumps(payload).encode())}.{signature}")

    assert result.reason is Reason.TAMPERED
    assert not result.valid
    assert "signature" in result.message


def test_a_token_signed_by_another_key_under_the_issuers_kid_is_tampered():
    token = forge(vcjwt.claims(credential()), NICOSIA_PRIVATE, {"kid": KID})

    assert check(token).reason is Reason.TAMPERED


def test_a_token_carrying_a_foreign_jwk_is_signed_by_an_unknown_key():
    # the embedded key verifies the signature, but it is not the issuer's published key
    token = vcjwt.sign(credential(), NICOSIA_PRIVATE, KID)

    assert check(token).reason is Reason.UNKNOWN_KEY


def test_another_issuers_key_cannot_sign_for_this_issuer():
    token = vcjwt.sign(credential(), NICOSIA_PRIVATE, keys.jwk_id(NICOSIA.id))

    assert check(token).reason is Reason.UNKNOWN_KEY


def test_a_key_that_does_not_resolve_is_unknown():
    token = vcjwt.sign(credential(), CASA_PRIVATE, KID)

    assert check(token, resolver=lambda kid: None).reason is Reason.UNKNOWN_KEY


def test_a_revoked_credential_is_not_valid():
    assert check(vcjwt.sign(credential(), CASA_PRIVATE, KID), is_revoked=revoked).reason is Reason.REVOKED


def test_the_status_callback_gets_the_list_url_and_index():
    calls = []

    check(vcjwt.sign(credential(), CASA_PRIVATE, KID), is_revoked=lambda url, index: calls.append((url, index)))

    assert calls == [(credential()["credentialStatus"]["statusListCredential"], 7)]


def test_an_unknown_status_is_not_called_valid():
    result = check(vcjwt.sign(credential(), CASA_PRIVATE, KID), is_revoked=lambda url, index: None)

    assert result.reason is Reason.STATUS_UNAVAILABLE


def test_validity_period_boundaries():
    token = vcjwt.sign(credential(), CASA_PRIVATE, KID)
    valid_from, valid_until = NOW - timedelta(days=1), NOW + timedelta(days=365)

    assert check(token, now=valid_from - timedelta(seconds=1)).reason is Reason.NOT_YET_VALID
    assert check(token, now=valid_from).reason is Reason.VALID
    assert check(token, now=valid_until - timedelta(seconds=1)).reason is Reason.VALID
    assert check(token, now=valid_until).reason is Reason.EXPIRED


def test_a_signed_credential_that_breaks_the_schema_says_so():
    broken = credential()
    del broken["credentialSubject"]["achievement"]

    assert check(vcjwt.sign(broken, CASA_PRIVATE, KID)).reason is Reason.SCHEMA


def test_registered_claims_must_agree_with_the_credential():
    payload = {**vcjwt.claims(credential()), "jti": "urn:uuid:another"}

    assert check(forge(payload, CASA_PRIVATE, {"kid": KID})).reason is Reason.MALFORMED


@pytest.mark.parametrize("algorithm", ["HS256", "none"])
def test_other_algorithms_are_refused(algorithm):
    key = "secret-key-that-is-long-enough-for-hs256" if algorithm == "HS256" else None
    token = jwt.encode(vcjwt.claims(credential()), key, algorithm=algorithm, headers={"kid": KID})
    if algorithm == "none":
        token += "AAAA"  # an empty signature is not a compact JWS we read

    assert check(token).reason is Reason.MALFORMED


def test_signing_is_deterministic_and_needs_the_private_key_only():
    issued = credential()

    assert vcjwt.sign(issued, CASA_PRIVATE, KID) == vcjwt.sign(issued, CASA_PRIVATE, KID)
    assert vcjwt.verify_signature(vcjwt.sign(issued, CASA_PRIVATE, KID), keys.public_key(CASA_PRIVATE))


def test_a_signed_date_that_is_no_date_is_malformed():
    payload = {**vcjwt.claims(credential()), "validFrom": "yesterday"}

    assert check(forge(payload, CASA_PRIVATE, {"kid": KID})).reason is Reason.MALFORMED
