"""eddsa-rdfc-2022 proofs: the W3C test vector reproduced exactly, and our proofs checked by Oxigraph's
RDFC-1.0 canonicaliser and libsodium, which share no code with PyLD or `cryptography`."""

import copy
import hashlib
import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from badges.credentials import data_integrity, keys, loader
from badges.credentials.verify import Reason, verify
from tests.badges.credential_cast import (
    CASA,
    CASA_PRIVATE,
    NICOSIA,
    NICOSIA_PRIVATE,
    NOW,
    b58decode,
    credential,
    independently_verified,
    not_revoked,
    oxigraph_canonical,
    resolve_key,
    revoked,
)

VECTORS = Path(__file__).resolve().parent / "vectors"
EXAMPLES = {
    "https://www.w3.org/ns/credentials/examples/v2": json.loads((VECTORS / "credentials-examples-v2.json").read_text())
}
VECTOR_LOADER = loader.document_loader(EXAMPLES)
METHOD = keys.multikey_id(CASA.id)
CASA_PUBLIC = keys.public_key(CASA_PRIVATE)


def vector(name):
    text = (VECTORS / name).read_text()
    return json.loads(text) if name.endswith(".json") else text


def vector_keys():
    pair = vector("keyPair.json")
    private = b58decode(pair["privateKeyMultibase"][1:])
    assert private[:2] == b"\x80\x26"  # multicodec ed25519-priv
    return private[2:], keys.public_key_from_multikey(pair["publicKeyMultibase"])


def check(document, *, is_revoked=not_revoked, resolver=resolve_key, now=NOW):
    return verify(document, resolve_key=resolver, is_revoked=is_revoked, now=now)


def test_it_reproduces_the_w3c_eddsa_rdfc_2022_test_vector_exactly():
    private, public = vector_keys()
    unsigned, config = vector("unsigned.json"), vector("proofConfigDataInt.json")

    assert keys.public_key(private) == public
    assert loader.canonical_nquads(unsigned, VECTOR_LOADER) == vector("canonDocDataInt.txt")
    assert loader.canonical_nquads(config, VECTOR_LOADER) == vector("proofCanonDataInt.txt")
    assert data_integrity.hash_data(unsigned, config, VECTOR_LOADER).hex() == vector("combinedHashDataInt.txt")
    signed = data_integrity.add_proof(
        unsigned,
        private,
        config["verificationMethod"],
        datetime(2023, 2, 24, 23, 36, 38, tzinfo=UTC),
        loader=VECTOR_LOADER,
    )
    assert signed == vector("signedDataInt.json")
    assert data_integrity.verify_proof(vector("signedDataInt.json"), public, loader=VECTOR_LOADER)


def test_the_vector_hashes_are_sha256_of_the_canonical_forms():
    assert hashlib.sha256(vector("canonDocDataInt.txt").encode()).hexdigest() == vector("docHashDataInt.txt")
    assert hashlib.sha256(vector("proofCanonDataInt.txt").encode()).hexdigest() == vector("proofHashDataInt.txt")


def test_oxigraph_agrees_with_the_vector_canonical_form():
    assert oxigraph_canonical(vector("unsigned.json"), EXAMPLES) == vector("canonDocDataInt.txt")


def test_oxigraph_and_pyld_agree_on_the_canonical_form_of_our_credentials():
    issued = credential()
    issued["credentialSubject"]["achievement"]["name"] = 'مساعد الأقران — Helfer «ü» "quoted"\nline'

    assert loader.canonical_nquads(issued) == oxigraph_canonical(issued)


def test_a_signed_credential_verifies_with_us_and_independently():
    signed = data_integrity.add_proof(credential(), CASA_PRIVATE, METHOD, NOW)

    assert signed["proof"]["type"] == "DataIntegrityProof"
    assert signed["proof"]["cryptosuite"] == "eddsa-rdfc-2022"
    assert signed["proof"]["proofPurpose"] == "assertionMethod"
    assert signed["proof"]["verificationMethod"] == METHOD
    assert signed["proof"]["proofValue"].startswith("z")
    assert data_integrity.verify_proof(signed, CASA_PUBLIC)
    assert independently_verified(signed, CASA_PUBLIC)
    result = check(signed)
    assert result.reason is Reason.VALID
    assert result.form == "json"
    assert result.credential == credential()


def test_the_json_text_form_verifies_too():
    signed = data_integrity.add_proof(credential(), CASA_PRIVATE, METHOD, NOW)

    assert check(json.dumps(signed)).reason is Reason.VALID
    assert check(json.dumps(signed).encode()).reason is Reason.VALID


@pytest.mark.parametrize(
    "change",
    [
        lambda document: document["credentialSubject"]["achievement"].update(name="Mayor of Madrid"),
        lambda document: document["credentialSubject"]["identifier"][0].update(salt="other"),
        lambda document: document.update(validUntil="2099-01-01T00:00:00Z"),
        lambda document: document["proof"].update(created="2020-01-01T00:00:00Z"),
        lambda document: document["evidence"][0].update(narrative="Something else"),
    ],
)
def test_a_changed_credential_is_tampered_for_us_and_independently(change):
    signed = data_integrity.add_proof(credential(), CASA_PRIVATE, METHOD, NOW)
    change(signed)

    assert check(signed).reason is Reason.TAMPERED
    assert not independently_verified(signed, CASA_PUBLIC)


def test_a_field_no_context_defines_cannot_be_slipped_in():
    signed = data_integrity.add_proof(credential(), CASA_PRIVATE, METHOD, NOW)
    signed["credentialSubject"]["nationality"] = "anything"

    assert check(signed).reason is Reason.TAMPERED


def test_a_proof_by_another_key_under_the_issuers_method_is_tampered():
    signed = data_integrity.add_proof(credential(), NICOSIA_PRIVATE, METHOD, NOW)

    assert check(signed).reason is Reason.TAMPERED


def test_another_issuers_key_cannot_sign_for_this_issuer():
    signed = data_integrity.add_proof(credential(), NICOSIA_PRIVATE, keys.multikey_id(NICOSIA.id), NOW)

    assert check(signed).reason is Reason.UNKNOWN_KEY


def test_a_method_that_does_not_resolve_is_unknown():
    signed = data_integrity.add_proof(credential(), CASA_PRIVATE, METHOD, NOW)

    assert check(signed, resolver=lambda method: None).reason is Reason.UNKNOWN_KEY


def test_revoked_expired_and_not_yet_valid():
    signed = data_integrity.add_proof(credential(), CASA_PRIVATE, METHOD, NOW)

    assert check(signed, is_revoked=revoked).reason is Reason.REVOKED
    assert check(signed, now=NOW.replace(year=2028)).reason is Reason.EXPIRED
    assert check(signed, now=NOW.replace(year=2025)).reason is Reason.NOT_YET_VALID


@pytest.mark.parametrize(
    "proof",
    [
        None,
        "z3xyz",
        [],
        {"type": "DataIntegrityProof", "cryptosuite": "ecdsa-rdfc-2019"},
        {"type": "Ed25519Signature2020"},
    ],
)
def test_a_missing_or_foreign_proof_is_malformed(proof):
    signed = data_integrity.add_proof(credential(), CASA_PRIVATE, METHOD, NOW)
    signed["proof"] = proof

    assert check(signed).reason is Reason.MALFORMED


@pytest.mark.parametrize("value", ["zshort", "notmultibase", "z" + "1" * 300])
def test_a_garbled_proof_value_is_tampered_not_an_error(value):
    signed = data_integrity.add_proof(credential(), CASA_PRIVATE, METHOD, NOW)
    signed["proof"]["proofValue"] = value

    assert not data_integrity.verify_proof(signed, CASA_PUBLIC)
    assert check(signed).reason is Reason.TAMPERED


def test_a_context_that_is_not_bundled_is_never_fetched(monkeypatch):
    import socket

    def no_network(*args, **kwargs):
        raise AssertionError("tried the network")

    monkeypatch.setattr(socket.socket, "connect", no_network)
    signed = data_integrity.add_proof(credential(), CASA_PRIVATE, METHOD, NOW)
    signed["@context"] = [*signed["@context"], "https://evil.example/context.json"]

    assert check(signed).reason is Reason.MALFORMED


def test_adding_a_proof_leaves_the_credential_unchanged():
    issued = credential()
    before = copy.deepcopy(issued)

    data_integrity.add_proof(issued, CASA_PRIVATE, METHOD, NOW)

    assert issued == before


def test_a_context_a_test_loader_served_is_still_refused_by_the_production_loader():
    loader.canonical_nquads(vector("unsigned.json"), VECTOR_LOADER)

    with pytest.raises(loader.ContextNotBundled):
        loader.canonical_nquads(vector("unsigned.json"))
