"""Plain values for the credential library's tests: two organisations' keys, a credential, resolvers, and
independent checks (PyJWT, PyNaCl, pyoxigraph) that share no code with `badges.credentials`."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime, timedelta
from typing import Any

import nacl.signing
import pyoxigraph as ox

from badges.credentials import build, keys, loader

NOW = datetime(2026, 12, 6, 12, 0, tzinfo=UTC)
CASA = build.Issuer(
    id="did:web:badges.example.org:orgs:casa-abierta",
    name="Casa Abierta",
    url="https://badges.example.org/orgs/casa-abierta",
    description="Mentoring in Madrid",
    email="hola@casa-abierta.example.org",
    image="https://badges.example.org/orgs/casa-abierta/logo.svg",
)
NICOSIA = build.Issuer(id="did:web:badges.example.org:orgs:nicosia", name="Nicosia Welcome", url="https://n.example")
CASA_PRIVATE = bytes(range(32))
NICOSIA_PRIVATE = bytes(range(32, 64))
STATUS_URL = "https://badges.example.org/orgs/casa-abierta/status/1"
BASE58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"


def credential(**overrides: Any) -> dict[str, Any]:
    """A Casa Abierta credential for bob, valid from NOW - 1 day for a year, revocable at index 7."""
    values: dict[str, Any] = {
        "credential_id": "urn:uuid:5b1f3e52-4c2a-4f8e-9d61-0c3b7a9e2f10",
        "issuer": CASA,
        "achievement": build.Achievement(
            id="https://badges.example.org/badge-classes/17",
            name="Peer helper",
            description="Helped a newcomer find their way around the city.",
            criteria_narrative="Helped at least one peer, confirmed by a coordinator.",
            tags=["community", "peer support"],
            language="es",
            image_url="https://badges.example.org/badge-classes/17/image.svg",
        ),
        "recipient": build.Recipient(identity_hash=build.hash_identity("bob@example.org", "pepper"), salt="pepper"),
        "valid_from": NOW - timedelta(days=1),
        "valid_until": NOW + timedelta(days=365),
        "status": build.Status(STATUS_URL, 7),
        "evidence": [build.Evidence("Translated at the town hall <twice> ]]> with care", "https://e.example/1", "Day")],
        "name": "Peer helper",
    }
    values.update(overrides)
    return build.openbadge_credential(**values)


def resolve_key(key_id: str) -> bytes | None:
    """Each organisation's public key under both of its key ids; None for anything else."""
    for issuer, private in ((CASA, CASA_PRIVATE), (NICOSIA, NICOSIA_PRIVATE)):
        if key_id in (keys.multikey_id(issuer.id), keys.jwk_id(issuer.id)):
            return keys.public_key(private)
    return None


def not_revoked(url: str, index: int) -> bool:
    return False


def revoked(url: str, index: int) -> bool:
    return url == STATUS_URL and index == 7


# Independent checks -----------------------------------------------------------------------------------


def b58decode(text: str) -> bytes:
    """Base58btc, written here so the tests do not lean on the library the code uses."""
    number = 0
    for char in text:
        number = number * 58 + BASE58.index(char)
    raw = number.to_bytes((number.bit_length() + 7) // 8, "big")
    return b"\0" * (len(text) - len(text.lstrip("1"))) + raw


def oxigraph_canonical(document: dict[str, Any], extra: dict[str, Any] | None = None) -> str:
    """RDFC-1.0 canonical N-Quads computed by Oxigraph (Rust) alone: its own JSON-LD parser, contexts inlined."""
    contexts = {url: loader.bundled_context(url) for url in loader.BUNDLED} | (extra or {})
    inlined = dict(document)
    inlined["@context"] = [contexts[url]["@context"] for url in document["@context"]]
    dataset = ox.Dataset(ox.parse(json.dumps(inlined).encode("utf-8"), format=ox.RdfFormat.JSON_LD))
    dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
    lines = ox.serialize(dataset, format=ox.RdfFormat.N_QUADS).decode("utf-8").splitlines()
    return "".join(sorted(f"{line}\n" for line in lines if line))


def independently_verified(signed: dict[str, Any], public: bytes, extra: dict[str, Any] | None = None) -> bool:
    """eddsa-rdfc-2022 verification with Oxigraph's canonical form, hashlib and libsodium (PyNaCl)."""
    proof = dict(signed["proof"])
    signature = b58decode(proof.pop("proofValue")[1:])
    document = {key: value for key, value in signed.items() if key != "proof"}
    options = {**proof, "@context": signed["@context"]}
    data = b"".join(
        hashlib.sha256(oxigraph_canonical(part, extra).encode("utf-8")).digest() for part in (options, document)
    )
    try:
        nacl.signing.VerifyKey(public).verify(data, signature)
    except nacl.exceptions.BadSignatureError:
        return False
    return True
