"""VC-JWT (Open Badges 3.0 §8.2): the credential as the payload of a compact JWS signed with EdDSA (Ed25519).

The header names the key twice: `kid`, a DID URL that resolves to it (`keys.jwk_id`), and `jwk`, the public key
itself; a verifier must still check that key belongs to the issuer. The payload is the credential with the
registered claims OB 3.0 §8.2.4 maps onto it: `iss` (issuer id), `jti` (credential id), `nbf` (validFrom),
`exp` (validUntil) and `sub` (credentialSubject.id, when there is one).
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from badges.credentials.keys import b64url, b64url_decode, public_jwk

ALGORITHM = "EdDSA"
TYPE = "vc+jwt"
MAX_TOKEN_LENGTH = 256 * 1024
REGISTERED = ("iss", "jti", "nbf", "exp", "sub")


def _json(value: object) -> bytes:
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def issuer_id(credential: dict[str, Any]) -> str | None:
    """The credential's issuer id (`issuer` is a URI or a Profile object with one), or None."""
    issuer = credential.get("issuer")
    if isinstance(issuer, dict):
        issuer = issuer.get("id")
    return issuer if isinstance(issuer, str) else None


def _epoch(value: object) -> int | None:
    if not isinstance(value, str):
        return None
    return int(datetime.fromisoformat(value).timestamp())


def claims(credential: dict[str, Any]) -> dict[str, Any]:
    """The JWT payload: the credential and its registered claims (iss, jti, nbf, exp, sub)."""
    payload = dict(credential)
    registered = {
        "iss": issuer_id(credential),
        "jti": credential.get("id"),
        "nbf": _epoch(credential.get("validFrom")),
        "exp": _epoch(credential.get("validUntil")),
    }
    subject = credential.get("credentialSubject")
    if isinstance(subject, dict) and isinstance(subject.get("id"), str):
        registered["sub"] = subject["id"]
    payload.update({claim: value for claim, value in registered.items() if value is not None})
    return payload


def sign(credential: dict[str, Any], private: bytes, kid: str) -> str:
    """The credential as a compact JWS (VC-JWT) signed by the raw Ed25519 key `private`, named `kid`."""
    key = Ed25519PrivateKey.from_private_bytes(private)
    public = key.public_key().public_bytes_raw()
    header = {"alg": ALGORITHM, "typ": TYPE, "kid": kid, "jwk": public_jwk(public, kid)}
    signing_input = b64url(_json(header)).encode("ascii") + b"." + b64url(_json(claims(credential))).encode("ascii")
    return (signing_input + b"." + b64url(key.sign(signing_input)).encode("ascii")).decode("ascii")


def decode_unverified(token: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """The (header, payload) of a compact JWS, NOT verified; raises ValueError when it is not one.

    Only for finding the key to verify with; trust nothing in it before `verify_signature`.
    """
    if not isinstance(token, str) or len(token) > MAX_TOKEN_LENGTH:
        raise ValueError("not a compact JWS")
    parts = token.split(".")
    if len(parts) != 3:
        raise ValueError("not a compact JWS")
    header = json.loads(b64url_decode(parts[0]))
    payload = json.loads(b64url_decode(parts[1]))
    if not isinstance(header, dict) or not isinstance(payload, dict):
        raise ValueError("JWS header and payload must be JSON objects")
    if header.get("alg") != ALGORITHM:
        raise ValueError("unsupported JWS algorithm")
    if "crit" in header:
        raise ValueError("critical JWS header parameters are not supported")
    return header, payload


def verify_signature(token: str, public: bytes) -> bool:
    """Whether the compact JWS `token` carries a valid EdDSA signature by the raw Ed25519 key `public`."""
    try:
        signing_input, _, signature = token.encode("ascii").rpartition(b".")
        Ed25519PublicKey.from_public_bytes(public).verify(b64url_decode(signature.decode("ascii")), signing_input)
    except (InvalidSignature, ValueError, UnicodeError):
        return False
    return True
