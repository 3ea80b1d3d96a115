"""Open Badges 3.0 `OpenBadgeCredential`s (W3C Verifiable Credentials 2.0 data model) and issuer profiles.

Plain values in, plain JSON-ready dicts out, each valid against the bundled OB 3.0 JSON schemas
(`validate`, `validate_profile`, checked with jsonschema-rs). The recipient is only ever named by a salted SHA-256 hash
(`IdentityObject`), never a plain e-mail address.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import Any, Literal

import jsonschema_rs

from badges.credentials.keys import KEY_FRAGMENT, multikey, multikey_id
from badges.credentials.loader import OB_V3P0, VC_V2

SCHEMAS_DIR = Path(__file__).resolve().parent / "schemas"
CONTEXT = [VC_V2, OB_V3P0]


@dataclass(frozen=True)
class Issuer:
    """The issuing organisation's profile. `id` is the URI its keys belong to (its did:web DID)."""

    id: str
    name: str
    url: str
    description: str | None = None
    email: str | None = None
    image: str | None = None


@dataclass(frozen=True)
class Achievement:
    """The badge class: what was achieved and the criteria for it, in `language` (a BCP 47 code)."""

    id: str
    name: str
    description: str
    criteria_narrative: str
    tags: tuple[str, ...] | list[str]
    language: str
    image_url: str | None = None


@dataclass(frozen=True)
class Recipient:
    """The holder, named only by `hash_identity(value, salt)` (e-mail address or another identifier)."""

    identity_hash: str
    salt: str
    identity_type: Literal["emailAddress", "identifier"] = "emailAddress"


@dataclass(frozen=True)
class Status:
    """Where the credential's revocation bit lives: a Bitstring Status List credential URL and a bit index."""

    status_list_credential_url: str
    index: int


@dataclass(frozen=True)
class Evidence:
    """What the holder did, in words, with an optional link and title."""

    narrative: str
    url: str | None = None
    name: str | None = None


def hash_identity(value: str, salt: str) -> str:
    """OB 3.0 IdentityHash: 'sha256$' and the hex SHA-256 of the UTF-8 identity followed by the salt.

    E-mail addresses are compared case-insensitively, so callers should pass them lower-cased and trimmed.
    """
    return "sha256$" + hashlib.sha256((value + salt).encode("utf-8")).hexdigest()


def timestamp(moment: datetime) -> str:
    """An XSD dateTime in UTC to the second ('2026-12-06T00:15:00Z'); refuses a naive datetime."""
    if moment.tzinfo is None:
        raise ValueError("naive datetime")
    return moment.astimezone(UTC).replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ")


def issuer_reference(issuer: Issuer) -> dict[str, Any]:
    """The issuer `Profile` as it appears inside a credential."""
    profile: dict[str, Any] = {"id": issuer.id, "type": ["Profile"], "name": issuer.name, "url": issuer.url}
    if issuer.description:
        profile["description"] = issuer.description
    if issuer.email:
        profile["email"] = issuer.email
    if issuer.image:
        profile["image"] = {"id": issuer.image, "type": "Image"}
    return profile


def openbadge_credential(
    *,
    credential_id: str,
    issuer: Issuer,
    achievement: Achievement,
    recipient: Recipient,
    valid_from: datetime,
    valid_until: datetime | None,
    status: Status | None,
    evidence: list[Evidence],
    name: str,
) -> dict[str, Any]:
    """An unsigned OB 3.0 `OpenBadgeCredential`; sign it with `vcjwt.sign` or `data_integrity.add_proof`.

    No `credentialSchema`: its type `1EdTechJsonSchemaValidator2019` is defined by neither bundled context,
    so it would sign a relative IRI; verifiers validate against the OB schema anyway.
    """
    achieved: dict[str, Any] = {
        "id": achievement.id,
        "type": ["Achievement"],
        "name": achievement.name,
        "description": achievement.description,
        "criteria": {"narrative": achievement.criteria_narrative},
        "inLanguage": achievement.language,
    }
    if achievement.tags:
        achieved["tag"] = list(achievement.tags)
    if achievement.image_url:
        achieved["image"] = {"id": achievement.image_url, "type": "Image"}
    credential: dict[str, Any] = {
        "@context": list(CONTEXT),
        "id": credential_id,
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": name,
        "issuer": issuer_reference(issuer),
        "validFrom": timestamp(valid_from),
    }
    if valid_until is not None:
        credential["validUntil"] = timestamp(valid_until)
    credential["credentialSubject"] = {
        "type": ["AchievementSubject"],
        "identifier": [
            {
                "type": "IdentityObject",
                "identityHash": recipient.identity_hash,
                "identityType": recipient.identity_type,
                "hashed": True,
                "salt": recipient.salt,
            }
        ],
        "achievement": achieved,
    }
    if status is not None:
        credential["credentialStatus"] = {
            "id": f"{status.status_list_credential_url}#{status.index}",
            "type": "BitstringStatusListEntry",
            "statusPurpose": "revocation",
            "statusListIndex": str(status.index),
            "statusListCredential": status.status_list_credential_url,
        }
    if evidence:
        credential["evidence"] = [_evidence(item) for item in evidence]
    return credential


def _evidence(item: Evidence) -> dict[str, Any]:
    result: dict[str, Any] = {"type": ["Evidence"], "narrative": item.narrative}
    if item.url:
        result["id"] = item.url
    if item.name:
        result["name"] = item.name
    return result


def issuer_profile(
    issuer: Issuer, public: bytes, *, did_document_url: str | None = None, key_id: str = KEY_FRAGMENT
) -> dict[str, Any]:
    """The issuer's public OB 3.0 `Profile` (JSON-LD), naming its (current) Multikey verification method.

    Valid against profile.schema.json. The key itself is published in the did:web document
    (`keys.did_web_document`), which `did_document_url` may point to.
    """
    profile = {"@context": list(CONTEXT), **issuer_reference(issuer)}
    method = {"id": multikey_id(issuer.id, key_id), "type": "Multikey", "controller": issuer.id}
    profile["verificationMethod"] = [{**method, "publicKeyMultibase": multikey(public)}]
    if did_document_url:
        profile["otherIdentifier"] = [
            {"type": "IdentifierEntry", "identifier": did_document_url, "identifierType": "identifier"}
        ]
    return profile


@cache
def _validator(name: str) -> jsonschema_rs.Draft201909Validator:
    """A compiled draft 2019-09 validator (jsonschema-rs: microseconds, where the pure-Python one takes ~1 ms)."""
    schema = json.loads((SCHEMAS_DIR / name).read_text(encoding="utf-8"))
    return jsonschema_rs.Draft201909Validator(schema)


def _errors(name: str, document: object) -> list[str]:
    errors = [
        f"{'/'.join(str(part) for part in error.instance_path) or '(root)'}: {error.message}"
        for error in _validator(name).iter_errors(document)
    ]
    return sorted(errors)


def is_valid(credential: object) -> bool:
    """Whether `credential` is a valid OB 3.0 AchievementCredential (the verifier's fast check)."""
    return bool(_validator("achievementcredential.schema.json").is_valid(credential))


def validate(credential: dict[str, Any]) -> list[str]:
    """Where `credential` breaks the OB 3.0 AchievementCredential schema, one message a problem ([] if valid)."""
    return _errors("achievementcredential.schema.json", credential)


def validate_profile(profile: dict[str, Any]) -> list[str]:
    """Where `profile` breaks the OB 3.0 Profile schema, one message a problem ([] if valid)."""
    return _errors("profile.schema.json", profile)
