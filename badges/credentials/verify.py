"""Verify an Open Badges 3.0 credential in any form we issue, and say exactly why it is not valid.

`verify` accepts a compact VC-JWT, a JSON credential with an `eddsa-rdfc-2022` proof (text or dict) or an
SVG badge with either baked in. Untrusted input never raises: anything unexpected is MALFORMED or TOO_LARGE.
Checks run in this order: size and shape, issuer key, signature, OB schema, validity period, revocation.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any, Literal

from django.utils.translation import gettext

from badges.credentials import baking, data_integrity, vcjwt
from badges.credentials.build import is_valid
from badges.credentials.keys import public_key_from_jwk
from badges.credentials.loader import ContextNotBundled, UndefinedTerm

logger = logging.getLogger(__name__)

MAX_INPUT_BYTES = 256 * 1024
MAX_DEPTH = 32
JWT = re.compile(r"[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+")

Form = Literal["jwt", "json", "svg"]
KeyResolver = Callable[[str], bytes | None]
RevocationCheck = Callable[[str, int], bool | None]


class Reason(StrEnum):
    """Why a credential is (not) valid."""

    VALID = "valid"
    MALFORMED = "malformed"
    TOO_LARGE = "too_large"
    TAMPERED = "tampered"
    UNKNOWN_KEY = "unknown_key"
    REVOKED = "revoked"
    EXPIRED = "expired"
    NOT_YET_VALID = "not_yet_valid"
    SCHEMA = "schema"
    STATUS_UNAVAILABLE = "status_unavailable"


def reason_message(reason: Reason) -> str:
    """What `reason` means for the person verifying, in the active language."""
    messages = {
        Reason.VALID: gettext("This credential is valid: its issuer signed it and has not revoked it."),
        Reason.MALFORMED: gettext("This is not a credential we can read: paste a badge JWT, JSON or SVG file."),
        Reason.TOO_LARGE: gettext("This file is too large to be a badge credential."),
        Reason.TAMPERED: gettext(
            "The signature does not match: the credential was changed after it was issued, or someone other "
            "than its issuer signed it."
        ),
        Reason.UNKNOWN_KEY: gettext("The credential is not signed with a known key of the issuer it names."),
        Reason.REVOKED: gettext("The issuer has revoked this credential."),
        Reason.EXPIRED: gettext("This credential has expired."),
        Reason.NOT_YET_VALID: gettext("This credential is not valid yet."),
        Reason.SCHEMA: gettext("The credential is signed but is not a valid Open Badges 3.0 credential."),
        Reason.STATUS_UNAVAILABLE: gettext("Whether the issuer has revoked this credential cannot be checked."),
    }
    return messages[reason]


@dataclass(frozen=True)
class Verification:
    """The outcome. `credential` is the credential (without proof or JWT claims) once its signature checked out,
    so it is also there for SCHEMA, NOT_YET_VALID, EXPIRED, REVOKED and STATUS_UNAVAILABLE; else None."""

    valid: bool
    reason: Reason
    message: str
    credential: dict[str, Any] | None
    form: Form | None


class _Refused(Exception):
    def __init__(self, reason: Reason, detail: str = "") -> None:
        super().__init__(detail or reason.value)
        self.reason = reason


def verify(
    data: str | bytes | dict[str, Any],
    *,
    resolve_key: KeyResolver,
    is_revoked: RevocationCheck,
    now: datetime,
) -> Verification:
    """Verify `data` (VC-JWT, JSON credential or baked SVG, as text, bytes or a parsed dict).

    `resolve_key(key_id)` returns the raw Ed25519 public key a DID URL (JWT `kid`, proof
    `verificationMethod`) names, or None if unknown; the key must also belong to the credential's issuer
    (the key id is `<issuer id>#<fragment>`). `is_revoked(status_list_url, index)` says whether the bit is
    set, or None if that list cannot be checked.
    """
    form: Form | None = None
    credential: dict[str, Any] | None = None
    try:
        form, text_or_object = _read(data)
        if isinstance(text_or_object, str):
            credential = _verify_jwt(text_or_object, resolve_key)
        else:
            credential = _verify_json(text_or_object, resolve_key)
        _check_content(credential, is_revoked, now)
    except _Refused as refused:
        return Verification(False, refused.reason, reason_message(refused.reason), credential, form)
    except (RecursionError, MemoryError):
        return Verification(False, Reason.MALFORMED, reason_message(Reason.MALFORMED), None, form)
    except Exception:  # untrusted input must never become a 500; the verifier's own bugs get logged
        logger.exception("credential verification failed unexpectedly")
        return Verification(False, Reason.MALFORMED, reason_message(Reason.MALFORMED), None, form)
    return Verification(True, Reason.VALID, reason_message(Reason.VALID), credential, form)


def _read(data: object) -> tuple[Form, Any]:
    """(form, JWT string or credential dict) of the raw input."""
    if isinstance(data, dict):
        try:
            text = json.dumps(data, ensure_ascii=False)
        except (TypeError, ValueError, RecursionError) as error:
            raise _Refused(Reason.MALFORMED) from error
        return "json", _parse_json(text)
    if isinstance(data, bytes):
        if len(data) > MAX_INPUT_BYTES:
            raise _Refused(Reason.TOO_LARGE)
        try:
            data = data.decode("utf-8")
        except UnicodeDecodeError as error:
            raise _Refused(Reason.MALFORMED) from error
    if not isinstance(data, str):
        raise _Refused(Reason.MALFORMED)
    if len(data) > MAX_INPUT_BYTES or len(data.encode("utf-8")) > MAX_INPUT_BYTES:
        raise _Refused(Reason.TOO_LARGE)
    text = data.strip().lstrip("\ufeff")
    if text.startswith("<"):
        try:
            baked = baking.unbake(text)
        except baking.BakingError as error:
            raise _Refused(Reason.MALFORMED) from error
        if isinstance(baked, str):
            return "svg", baked
        return "svg", _parse_json(json.dumps(baked))
    if text.startswith("{"):
        return "json", _parse_json(text)
    if JWT.fullmatch(text):
        return "jwt", text
    raise _Refused(Reason.MALFORMED)


def _parse_json(text: str) -> dict[str, Any]:
    if len(text.encode("utf-8")) > MAX_INPUT_BYTES:
        raise _Refused(Reason.TOO_LARGE)
    try:
        value = json.loads(text)
    except (ValueError, RecursionError) as error:
        raise _Refused(Reason.MALFORMED) from error
    if not isinstance(value, dict) or _too_deep(value):
        raise _Refused(Reason.MALFORMED)
    return value


def _too_deep(value: object) -> bool:
    stack: list[tuple[object, int]] = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if depth > MAX_DEPTH:
            return True
        if isinstance(item, dict):
            stack.extend((child, depth + 1) for child in item.values())
        elif isinstance(item, list):
            stack.extend((child, depth + 1) for child in item)
    return False


def _issuer_key(key_id: object, credential: dict[str, Any], resolve_key: KeyResolver) -> bytes:
    """The issuer's public key named by `key_id`; UNKNOWN_KEY unless it resolves AND belongs to the issuer."""
    issuer = vcjwt.issuer_id(credential)
    if issuer is None:
        raise _Refused(Reason.MALFORMED)
    if not isinstance(key_id, str) or key_id.partition("#")[0] != issuer:
        raise _Refused(Reason.UNKNOWN_KEY)
    public = resolve_key(key_id)
    if public is None:
        raise _Refused(Reason.UNKNOWN_KEY)
    return public


def _verify_jwt(token: str, resolve_key: KeyResolver) -> dict[str, Any]:
    try:
        header, payload = vcjwt.decode_unverified(token)
    except (ValueError, RecursionError) as error:
        raise _Refused(Reason.MALFORMED) from error
    if _too_deep(payload):
        raise _Refused(Reason.MALFORMED)
    public = _issuer_key(header.get("kid"), payload, resolve_key)
    if "jwk" in header:
        try:
            embedded = public_key_from_jwk(header["jwk"])
        except ValueError as error:
            raise _Refused(Reason.MALFORMED) from error
        if embedded != public:  # signed with a key the issuer does not publish
            raise _Refused(Reason.UNKNOWN_KEY)
    if not vcjwt.verify_signature(token, public):
        raise _Refused(Reason.TAMPERED)
    # the registered claims are signed too, but must agree with the credential they stand for
    try:
        expected = vcjwt.claims({key: value for key, value in payload.items() if key not in vcjwt.REGISTERED})
    except ValueError as error:  # a validFrom/validUntil that is no date
        raise _Refused(Reason.MALFORMED) from error
    if any(payload.get(claim) != expected.get(claim) for claim in vcjwt.REGISTERED if claim in payload):
        raise _Refused(Reason.MALFORMED)
    return {key: value for key, value in payload.items() if key not in vcjwt.REGISTERED}


def _verify_json(credential: dict[str, Any], resolve_key: KeyResolver) -> dict[str, Any]:
    try:
        proof = data_integrity.signed_proof(credential)
    except ValueError as error:
        raise _Refused(Reason.MALFORMED) from error
    public = _issuer_key(proof["verificationMethod"], credential, resolve_key)
    try:
        verified = data_integrity.verify_proof(credential, public)
    except UndefinedTerm as error:  # a field no context defines was added: the signature cannot cover it
        raise _Refused(Reason.TAMPERED) from error
    except (ContextNotBundled, ValueError) as error:
        raise _Refused(Reason.MALFORMED) from error
    if not verified:
        raise _Refused(Reason.TAMPERED)
    return {key: value for key, value in credential.items() if key != "proof"}


def _moment(value: object) -> datetime:
    if not isinstance(value, str):
        raise _Refused(Reason.SCHEMA)
    try:
        moment = datetime.fromisoformat(value)
    except ValueError as error:
        raise _Refused(Reason.SCHEMA) from error
    if moment.tzinfo is None:
        raise _Refused(Reason.SCHEMA)
    return moment


def _check_content(credential: dict[str, Any], is_revoked: RevocationCheck, now: datetime) -> None:
    if not is_valid(credential):
        raise _Refused(Reason.SCHEMA)
    if now < _moment(credential.get("validFrom")):
        raise _Refused(Reason.NOT_YET_VALID)
    if "validUntil" in credential and now >= _moment(credential["validUntil"]):
        raise _Refused(Reason.EXPIRED)
    status = credential.get("credentialStatus")
    if status is None:
        return
    if isinstance(status, list):  # one status entry is what we issue and read
        if len(status) != 1:
            raise _Refused(Reason.STATUS_UNAVAILABLE)
        status = status[0]
    if (
        not isinstance(status, dict)
        or status.get("type") != "BitstringStatusListEntry"
        or status.get("statusPurpose") != "revocation"
    ):
        raise _Refused(Reason.STATUS_UNAVAILABLE)
    url, index = status.get("statusListCredential"), status.get("statusListIndex")
    if not isinstance(url, str) or not isinstance(index, str) or not index.isascii() or not index.isdigit():
        raise _Refused(Reason.MALFORMED)
    revoked = is_revoked(url, int(index))
    if revoked is None:
        raise _Refused(Reason.STATUS_UNAVAILABLE)
    if revoked:
        raise _Refused(Reason.REVOKED)
