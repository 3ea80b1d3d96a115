import base64
import gzip

import pytest

from badges.credentials import status_list
from badges.credentials.build import validate
from tests.badges.credential_cast import CASA, NOW

LAST = status_list.MINIMUM_LENGTH - 1


def bits_of(encoded):
    """The bitstring decoded here with base64 and gzip, not by the module under test."""
    raw = encoded[1:]
    return gzip.decompress(base64.urlsafe_b64decode(raw + "=" * (-len(raw) % 4)))


def test_an_empty_list_is_16_kib_of_zeros_gzipped_then_base64url_multibase():
    encoded = status_list.encode([])

    assert encoded.startswith("u")
    assert "=" not in encoded
    assert bits_of(encoded) == bytes(16384)


@pytest.mark.parametrize("index", [0, 1, 7, 8, 12345, LAST])
def test_exactly_the_revoked_bit_is_set_counting_from_the_left(index):
    encoded = status_list.encode([index])

    assert status_list.is_set(encoded, index)
    assert [
        i
        for i in {0, 1, 7, 8, index - 1, index + 1, LAST} - {index}
        if 0 <= i <= LAST and status_list.is_set(encoded, i)
    ] == []
    assert bits_of(encoded)[index // 8] == 0x80 >> (index % 8)


def test_index_zero_is_the_leftmost_bit_of_the_first_byte():
    assert bits_of(status_list.encode([0]))[0] == 0b1000_0000
    assert bits_of(status_list.encode([LAST]))[-1] == 0b0000_0001


@pytest.mark.parametrize("index", [-1, status_list.MINIMUM_LENGTH])
def test_an_index_outside_the_list_is_refused(index):
    with pytest.raises(ValueError, match="outside"):
        status_list.encode([index])
    with pytest.raises(ValueError, match="outside"):
        status_list.is_set(status_list.encode([]), index)


@pytest.mark.parametrize("length", [0, 12, -8])
def test_a_length_that_is_not_whole_bytes_is_refused(length):
    with pytest.raises(ValueError, match="multiple of 8"):
        status_list.encode([], length=length)


@pytest.mark.parametrize("encoded", ["", "zabc", "u!!!", "u" + base64.urlsafe_b64encode(b"not gzip").decode()])
def test_a_malformed_encoded_list_is_refused(encoded):
    with pytest.raises(ValueError, match="multibase|GZIP"):
        status_list.is_set(encoded, 0)


def test_a_gzip_bomb_is_refused_before_it_inflates():
    bomb = "u" + base64.urlsafe_b64encode(gzip.compress(bytes(64 * 1024 * 1024))).decode().rstrip("=")

    with pytest.raises(ValueError, match="too large"):
        status_list.is_set(bomb, 0)


def test_the_status_list_credential_is_a_bitstring_status_list_for_revocation():
    encoded = status_list.encode([3])
    url = "https://badges.example.org/orgs/casa-abierta/status/1"

    published = status_list.status_list_credential(url=url, issuer_id=CASA.id, encoded_list=encoded, valid_from=NOW)

    assert published["type"] == ["VerifiableCredential", "BitstringStatusListCredential"]
    assert published["issuer"] == CASA.id
    assert published["credentialSubject"] == {
        "id": f"{url}#list",
        "type": "BitstringStatusList",
        "statusPurpose": "revocation",
        "encodedList": encoded,
    }
    assert validate(published) != []  # not an Open Badge: signed as a plain VC (VC-JWT or Data Integrity)


def test_the_status_list_credential_can_be_signed_in_both_forms_and_checked_independently():
    import jwt

    from badges.credentials import data_integrity, keys, vcjwt
    from tests.badges.credential_cast import CASA_PRIVATE, independently_verified

    url = "https://badges.example.org/orgs/casa-abierta/status/1"
    published = status_list.status_list_credential(
        url=url, issuer_id=CASA.id, encoded_list=status_list.encode([7]), valid_from=NOW
    )
    public = keys.public_key(CASA_PRIVATE)

    signed = data_integrity.add_proof(published, CASA_PRIVATE, keys.multikey_id(CASA.id), NOW)
    token = vcjwt.sign(published, CASA_PRIVATE, keys.jwk_id(CASA.id))

    assert independently_verified(signed, public)
    key = jwt.PyJWK(keys.public_jwk(public, "k"))
    claims = jwt.decode(token, key=key, algorithms=["EdDSA"], options={"verify_nbf": False})
    assert status_list.is_set(claims["credentialSubject"]["encodedList"], 7)
