"""TEMPORARY stand-in until the detector lands (same API)."""

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Finding:
    kind: str
    excerpt: str


_PHONE = re.compile(r"(?:\d[\s.\-/()]*){7,}")
_EMAIL = re.compile(r"\S+@\S+\.\w+")


def find_contact_details(text: str) -> list[Finding]:
    return [Finding("phone", m.group()) for m in _PHONE.finditer(text)] + [
        Finding("email", m.group()) for m in _EMAIL.finditer(text)
    ]


def reason(findings: list[Finding]) -> str:
    return "contains contact details"
