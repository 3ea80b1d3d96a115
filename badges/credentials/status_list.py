"""W3C Bitstring Status List (revocation): the GZIP-compressed bitstring and the credential publishing it.

Bit `i` is bit `7 - i % 8` of byte `i // 8` (index 0 is the left-most bit), as the specification says. The
list is at least 131,072 bits (16 KiB) long so that a bit does not single out a holder.
"""

from __future__ import annotations

import base64
import gzip
import zlib
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from badges.credentials.build import timestamp
from badges.credentials.loader import VC_V2

MINIMUM_LENGTH = 131072
MAXIMUM_LENGTH = 2 * 1024 * 1024 * 8  # bits (2 MiB); a larger list is refused rather than inflated


def encode(revoked: Iterable[int], length: int = MINIMUM_LENGTH) -> str:
    """The `encodedList` with the bits at `revoked` set: GZIP, then multibase base64url ('u', no padding).

    Raises ValueError for an index outside [0, length) or a length that is not a positive multiple of 8.
    """
    if length <= 0 or length % 8 or length > MAXIMUM_LENGTH:
        raise ValueError("length must be a positive multiple of 8")
    bits = bytearray(length // 8)
    for index in revoked:
        if not 0 <= index < length:
            raise ValueError(f"index {index} outside the list")
        bits[index // 8] |= 0x80 >> (index % 8)
    compressed = gzip.compress(bytes(bits), mtime=0)
    return "u" + base64.urlsafe_b64encode(compressed).rstrip(b"=").decode("ascii")


def decode(encoded: str) -> bytes:
    """The raw bitstring of an `encodedList`; raises ValueError when it is not one (or inflates too far)."""
    if not isinstance(encoded, str) or not encoded.startswith("u"):
        raise ValueError("not a multibase base64url value")
    raw = encoded[1:].encode("ascii")
    try:
        compressed = base64.b64decode(raw + b"=" * (-len(raw) % 4), altchars=b"-_", validate=True)
        inflater = zlib.decompressobj(wbits=16 + zlib.MAX_WBITS)  # GZIP framing
        bits = inflater.decompress(compressed, MAXIMUM_LENGTH // 8 + 1)
    except (ValueError, zlib.error) as error:  # binascii.Error is a ValueError
        raise ValueError("not a GZIP-compressed bitstring") from error
    if len(bits) > MAXIMUM_LENGTH // 8 or not inflater.eof:
        raise ValueError("bitstring too large or truncated")
    return bits


def is_set(encoded: str, index: int) -> bool:
    """Whether bit `index` of an `encodedList` is set (revoked); raises ValueError outside the list."""
    bits = decode(encoded)
    if not 0 <= index < len(bits) * 8:
        raise ValueError(f"index {index} outside the list")
    return bool(bits[index // 8] & (0x80 >> (index % 8)))


def status_list_credential(*, url: str, issuer_id: str, encoded_list: str, valid_from: datetime) -> dict[str, Any]:
    """An unsigned `BitstringStatusListCredential` (statusPurpose revocation) published at `url`."""
    return {
        "@context": [VC_V2],
        "id": url,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": issuer_id,
        "validFrom": timestamp(valid_from),
        "credentialSubject": {
            "id": f"{url}#list",
            "type": "BitstringStatusList",
            "statusPurpose": "revocation",
            "encodedList": encoded_list,
        },
    }
