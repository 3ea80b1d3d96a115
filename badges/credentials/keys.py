"""Ed25519 keys of an issuing organisation and the public documents that publish them.

A private key is the raw 32-byte Ed25519 seed; it never leaves the server. The public key (raw 32 bytes) is
published as a did:web DID document (Multikey and JsonWebKey verification methods) and as a JWKS.
"""

from __future__ import annotations

import base64
import re
from collections.abc import Sequence
from typing import Any
from urllib.parse import quote, unquote

import base58
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

# multicodec prefix of an Ed25519 public key (0xed, as an unsigned varint)
ED25519_PUBLIC_MULTICODEC = b"\xed\x01"
KEY_FRAGMENT = "key-1"  # the key id when an issuer has only ever had one key (tests, the bench)
# A key id is a DID URL fragment as it stands (RFC 3986 unreserved characters): no escaping, no ambiguity.
_KEY_ID = re.compile(r"[A-Za-z0-9._~-]+")
DID_CONTEXTS = [
    "https://www.w3.org/ns/did/v1",
    "https://w3id.org/security/multikey/v1",
    "https://w3id.org/security/jwk/v1",
]


def generate_private_key() -> bytes:
    """A new random Ed25519 private key, as its raw 32 bytes."""
    return Ed25519PrivateKey.generate().private_bytes_raw()


def public_key(private: bytes) -> bytes:
    """The raw 32-byte Ed25519 public key of a raw private key."""
    return Ed25519PrivateKey.from_private_bytes(private).public_key().public_bytes_raw()


def b64url(data: bytes) -> str:
    """Base64url without padding (RFC 7515 §2)."""
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def b64url_decode(text: str) -> bytes:
    """Inverse of `b64url`; raises ValueError on anything that is not unpadded base64url."""
    if not isinstance(text, str) or "=" in text:
        raise ValueError("not unpadded base64url")
    raw = text.encode("ascii")
    return base64.urlsafe_b64decode(raw + b"=" * (-len(raw) % 4))


def public_jwk(public: bytes, kid: str) -> dict[str, Any]:
    """The public key as a JSON Web Key (RFC 8037 OKP, Ed25519) named `kid`."""
    return {"kty": "OKP", "crv": "Ed25519", "x": b64url(_checked(public)), "kid": kid, "alg": "EdDSA", "use": "sig"}


def public_key_from_jwk(jwk: object) -> bytes:
    """The raw public key of an Ed25519 JWK; raises ValueError for any other kind of key."""
    if not isinstance(jwk, dict) or jwk.get("kty") != "OKP" or jwk.get("crv") != "Ed25519" or "d" in jwk:
        raise ValueError("not a public Ed25519 JWK")
    return _checked(b64url_decode(jwk.get("x", "")))


def multikey(public: bytes) -> str:
    """The public key as a Multikey `publicKeyMultibase`: base58btc ('z') of the Ed25519 multicodec ('z6Mk...')."""
    return "z" + base58.b58encode(ED25519_PUBLIC_MULTICODEC + _checked(public)).decode("ascii")


def public_key_from_multikey(value: str) -> bytes:
    """Inverse of `multikey`; raises ValueError for anything but an Ed25519 Multikey."""
    if not isinstance(value, str) or not value.startswith("z"):
        raise ValueError("not a base58btc multibase value")
    raw = base58.b58decode(value[1:])
    if not raw.startswith(ED25519_PUBLIC_MULTICODEC):
        raise ValueError("not an Ed25519 Multikey")
    return _checked(raw[len(ED25519_PUBLIC_MULTICODEC) :])


def did_web(host: str, *path: str) -> str:
    """The did:web DID for `host` (a port is percent-encoded) and path segments: did:web:host:seg1:seg2."""
    if not host or any(not segment or "/" in segment or ":" in segment for segment in path):
        raise ValueError("a host and non-empty path segments without '/' or ':'")
    return ":".join(["did:web", quote(host, safe=""), *(quote(segment, safe="") for segment in path)])


def did_web_url(did: str) -> str:
    """Where a did:web DID's document is served: https://host/.well-known/did.json or https://host/path/did.json."""
    if not did.startswith("did:web:") or "#" in did:
        raise ValueError("not a did:web DID")
    host, *path = did.removeprefix("did:web:").split(":")
    return f"https://{unquote(host)}/{'/'.join(unquote(segment) for segment in path) or '.well-known'}/did.json"


def multikey_id(did: str, key_id: str = KEY_FRAGMENT) -> str:
    """The DID URL of the Multikey verification method of key `key_id` in `did_web_document` (Data Integrity
    proofs use it)."""
    return f"{did}#{_checked_key_id(key_id)}"


def jwk_id(did: str, key_id: str = KEY_FRAGMENT) -> str:
    """The DID URL of the JsonWebKey verification method of key `key_id` in `did_web_document` (the VC-JWT
    `kid`)."""
    return f"{did}#{_checked_key_id(key_id)}-jwk"


def did_web_document(
    did: str, public: bytes, key_id: str = KEY_FRAGMENT, *, other_keys: Sequence[tuple[str, bytes]] = ()
) -> dict[str, Any]:
    """The DID document served for `did` (at /.well-known/did.json or <path>/did.json for did:web).

    Each key appears twice, as a Multikey (`multikey_id(did, key_id)`) and as a JsonWebKey (`jwk_id(did,
    key_id)`), all usable for `assertionMethod` (issuing credentials) and `authentication`: first the
    current key (`public`, named `key_id`), then `other_keys`, (key id, public key) pairs (keys retired by
    a rotation, which still verify what they signed).
    """
    methods: list[dict[str, Any]] = []
    for kid, key in [(key_id, public), *other_keys]:
        methods += [
            {"id": multikey_id(did, kid), "type": "Multikey", "controller": did, "publicKeyMultibase": multikey(key)},
            {
                "id": jwk_id(did, kid),
                "type": "JsonWebKey",
                "controller": did,
                "publicKeyJwk": public_jwk(key, jwk_id(did, kid)),
            },
        ]
    ids = [method["id"] for method in methods]
    return {
        "@context": list(DID_CONTEXTS),
        "id": did,
        "verificationMethod": methods,
        "assertionMethod": ids,
        "authentication": ids,
    }


def jwks(keys: list[tuple[str, bytes]]) -> dict[str, Any]:
    """A JSON Web Key Set of (kid, raw public key) pairs."""
    return {"keys": [public_jwk(public, kid) for kid, public in keys]}


def _checked_key_id(key_id: str) -> str:
    if not isinstance(key_id, str) or not _KEY_ID.fullmatch(key_id):
        raise ValueError("a key id is letters, digits and . _ ~ - only")
    return key_id


def _checked(public: bytes) -> bytes:
    if not isinstance(public, bytes) or len(public) != 32:
        raise ValueError("an Ed25519 key is 32 bytes")
    return public
