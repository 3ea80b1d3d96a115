import base64

import jwt
import pytest

from badges.credentials import keys
from tests.badges.credential_cast import CASA, CASA_PRIVATE, b58decode


def test_a_generated_key_is_32_random_bytes_with_a_32_byte_public_key():
    private = keys.generate_private_key()

    assert len(private) == 32
    assert private != keys.generate_private_key()
    assert len(keys.public_key(private)) == 32


def test_the_multikey_is_base58btc_of_the_ed25519_multicodec():
    public = keys.public_key(CASA_PRIVATE)

    value = keys.multikey(public)

    assert value.startswith("z6Mk")
    assert b58decode(value[1:]) == b"\xed\x01" + public
    assert keys.public_key_from_multikey(value) == public


def test_the_jwk_is_an_okp_ed25519_public_key_pyjwt_accepts():
    public = keys.public_key(CASA_PRIVATE)

    jwk = keys.public_jwk(public, "k1")

    assert jwk["kty"] == "OKP"
    assert jwk["crv"] == "Ed25519"
    assert "d" not in jwk
    assert base64.urlsafe_b64decode(jwk["x"] + "=") == public
    assert jwt.PyJWK(jwk).key_id == "k1"
    assert keys.public_key_from_jwk(jwk) == public


def test_the_did_document_publishes_the_key_as_multikey_and_json_web_key_for_assertions():
    public = keys.public_key(CASA_PRIVATE)

    document = keys.did_web_document(CASA.id, public)

    assert document["id"] == CASA.id
    multikey, jwk = document["verificationMethod"]
    assert multikey == {
        "id": f"{CASA.id}#key-1",
        "type": "Multikey",
        "controller": CASA.id,
        "publicKeyMultibase": keys.multikey(public),
    }
    assert jwk["id"] == keys.jwk_id(CASA.id)
    assert jwk["type"] == "JsonWebKey"
    assert jwk["publicKeyJwk"] == keys.public_jwk(public, keys.jwk_id(CASA.id))
    assert document["assertionMethod"] == [multikey["id"], jwk["id"]]


def test_the_did_document_lists_the_current_key_first_then_older_ones_each_by_its_own_id():
    current, older = keys.public_key(CASA_PRIVATE), keys.public_key(bytes(32))

    document = keys.did_web_document(CASA.id, current, "key-b", other_keys=[("key-a", older)])

    ids = [f"{CASA.id}#key-b", f"{CASA.id}#key-b-jwk", f"{CASA.id}#key-a", f"{CASA.id}#key-a-jwk"]
    assert [method["id"] for method in document["verificationMethod"]] == ids
    assert document["assertionMethod"] == ids
    assert document["verificationMethod"][2]["publicKeyMultibase"] == keys.multikey(older)
    assert document["verificationMethod"][3]["publicKeyJwk"]["kid"] == keys.jwk_id(CASA.id, "key-a")


@pytest.mark.parametrize("key_id", ["", "a/b", "a#b", "a b", "é"])
def test_a_key_id_is_a_fragment_as_it_stands(key_id):
    with pytest.raises(ValueError, match="key id"):
        keys.multikey_id(CASA.id, key_id)
    with pytest.raises(ValueError, match="key id"):
        keys.jwk_id(CASA.id, key_id)


def test_a_jwks_lists_each_key_by_kid():
    first, second = keys.public_key(CASA_PRIVATE), keys.public_key(bytes(32))

    assert [key["kid"] for key in keys.jwks([("a", first), ("b", second)])["keys"]] == ["a", "b"]


@pytest.mark.parametrize("value", ["", "6Mk", "zzzz", "z" + "1" * 10])
def test_a_malformed_multikey_is_refused(value):
    with pytest.raises(ValueError, match="Ed25519|base58btc"):
        keys.public_key_from_multikey(value)


@pytest.mark.parametrize(
    "jwk",
    [None, {}, {"kty": "RSA"}, {"kty": "OKP", "crv": "X25519", "x": ""}, {"kty": "OKP", "crv": "Ed25519", "x": "AA"}],
)
def test_a_jwk_that_is_not_a_public_ed25519_key_is_refused(jwk):
    with pytest.raises(ValueError, match="Ed25519"):
        keys.public_key_from_jwk(jwk)


def test_did_web_ids_and_where_their_documents_are_served():
    did = keys.did_web("badges.example.org", "orgs", "casa-abierta")

    assert did == "did:web:badges.example.org:orgs:casa-abierta"
    assert keys.did_web_url(did) == "https://badges.example.org/orgs/casa-abierta/did.json"
    assert keys.did_web("localhost:8000") == "did:web:localhost%3A8000"
    assert keys.did_web_url("did:web:localhost%3A8000") == "https://localhost:8000/.well-known/did.json"


@pytest.mark.parametrize("path", [("",), ("a/b",), ("a:b",)])
def test_did_web_refuses_path_segments_that_would_change_its_meaning(path):
    with pytest.raises(ValueError, match="segments"):
        keys.did_web("badges.example.org", *path)
