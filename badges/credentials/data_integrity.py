"""Data Integrity proofs with the `eddsa-rdfc-2022` cryptosuite (W3C vc-di-eddsa).

Signing: canonicalise the proof options (with the document's `@context`) and the document without its proof
with RDFC-1.0, hash each with SHA-256, sign proof hash || document hash with Ed25519, and store the signature
as base58btc multibase (`proofValue`).
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from datetime import datetime
from typing import Any

import base58
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from badges.credentials.build import timestamp
from badges.credentials.loader import BUNDLED_LOADER, Loader, canonical_nquads

PROOF_TYPE = "DataIntegrityProof"
CRYPTOSUITE = "eddsa-rdfc-2022"


def proof_options(verification_method: str, created: datetime, context: object) -> dict[str, Any]:
    """The proof configuration that is canonicalised and hashed (the proof without `proofValue`)."""
    return {
        "@context": context,
        "type": PROOF_TYPE,
        "cryptosuite": CRYPTOSUITE,
        "created": timestamp(created),
        "verificationMethod": verification_method,
        "proofPurpose": "assertionMethod",
    }


def hash_data(document: Mapping[str, Any], options: Mapping[str, Any], loader: Loader = BUNDLED_LOADER) -> bytes:
    """SHA-256 of the canonical proof options followed by SHA-256 of the canonical document (64 bytes)."""
    unsigned = {key: value for key, value in document.items() if key != "proof"}
    options_hash = hashlib.sha256(canonical_nquads(options, loader).encode("utf-8")).digest()
    document_hash = hashlib.sha256(canonical_nquads(unsigned, loader).encode("utf-8")).digest()
    return options_hash + document_hash


def add_proof(
    credential: dict[str, Any],
    private: bytes,
    verification_method: str,
    created: datetime,
    *,
    loader: Loader = BUNDLED_LOADER,
) -> dict[str, Any]:
    """A copy of `credential` with an `eddsa-rdfc-2022` DataIntegrityProof by `verification_method`.

    Raises ValueError if the credential cannot be canonicalised (e.g. a property no bundled context defines).
    """
    options = proof_options(verification_method, created, credential.get("@context"))
    signature = Ed25519PrivateKey.from_private_bytes(private).sign(hash_data(credential, options, loader))
    proof = {key: value for key, value in options.items() if key != "@context"}
    proof["proofValue"] = "z" + base58.b58encode(signature).decode("ascii")
    return {**{key: value for key, value in credential.items() if key != "proof"}, "proof": proof}


def signed_proof(credential: Mapping[str, Any]) -> dict[str, Any]:
    """The credential's single `eddsa-rdfc-2022` proof; raises ValueError when there is none or it is malformed."""
    proof = credential.get("proof")
    if not isinstance(proof, dict):
        raise ValueError("no single proof")
    expected = {"type": PROOF_TYPE, "cryptosuite": CRYPTOSUITE, "proofPurpose": "assertionMethod"}
    if any(proof.get(key) != value for key, value in expected.items()):
        raise ValueError("not an eddsa-rdfc-2022 assertion proof")
    for key in ("created", "verificationMethod", "proofValue"):
        if not isinstance(proof.get(key), str):
            raise ValueError(f"proof without {key}")
    return proof


def verify_proof(credential: dict[str, Any], public: bytes, *, loader: Loader = BUNDLED_LOADER) -> bool:
    """Whether the credential's `eddsa-rdfc-2022` proof is a valid signature by the raw Ed25519 key `public`.

    False for a missing, malformed or mismatching proof. Raises ValueError only when the document cannot be
    canonicalised (undefined terms, contexts that are not bundled, invalid JSON-LD).
    """
    try:
        proof = signed_proof(credential)
        signature = _multibase_base58(proof["proofValue"])
    except ValueError:
        return False
    options = {key: value for key, value in proof.items() if key != "proofValue"}
    options["@context"] = credential.get("@context")
    data = hash_data(credential, options, loader)
    try:
        Ed25519PublicKey.from_public_bytes(public).verify(signature, data)
    except (InvalidSignature, ValueError):
        return False
    return True


def _multibase_base58(value: str) -> bytes:
    if not value.startswith("z") or len(value) > 200:
        raise ValueError("not a base58btc multibase value")
    raw = base58.b58decode(value[1:])
    if len(raw) != 64:
        raise ValueError("not an Ed25519 signature")
    return raw
