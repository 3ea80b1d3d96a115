"""Open Badges 3.0 baking: a credential carried inside its SVG badge image.

The compact form puts the VC-JWT in the `verify` attribute of an `<openbadges:credential>` element; the
embedded form puts the JSON credential (with its proof) in that element as CDATA. The element is the first
child of the root `<svg>`, in the namespace `https://purl.imsglobal.org/ob/v3p0`.
"""

from __future__ import annotations

import json
import re
from typing import Any
from xml.etree.ElementTree import Element

import defusedxml.ElementTree as SafeElementTree
from defusedxml import DefusedXmlException

NAMESPACE = "https://purl.imsglobal.org/ob/v3p0"
SVG_NAMESPACE = "http://www.w3.org/2000/svg"
CREDENTIAL_TAG = f"{{{NAMESPACE}}}credential"
MAX_SVG_BYTES = 1024 * 1024
JWT = re.compile(r"[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+")


class BakingError(ValueError):
    """Not an SVG with exactly one Open Badges credential in it (or not one this module will bake)."""


def _parse(svg: str | bytes) -> Element:
    if not isinstance(svg, str | bytes):
        raise BakingError("an SVG is text")
    if len(svg) > MAX_SVG_BYTES:
        raise BakingError("SVG too large")
    try:
        root: Element = SafeElementTree.fromstring(svg, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except (SafeElementTree.ParseError, DefusedXmlException, ValueError) as error:
        raise BakingError("not well-formed XML (or it declares a DTD or entities)") from error
    if root.tag != f"{{{SVG_NAMESPACE}}}svg":
        raise BakingError("not an SVG document")
    return root


def _root_start_tag_end(svg: str) -> int:
    """Index just past the '>' of the root <svg ...> start tag (quotes respected), or of '/>' if it is empty."""
    match = re.search(r"<svg[\s>/]", svg)
    if match is None:
        raise BakingError("no <svg> start tag")
    quote = ""
    for index in range(match.end() - 1, len(svg)):
        char = svg[index]
        if quote:
            quote = "" if char == quote else quote
        elif char in "\"'":
            quote = char
        elif char == ">":
            return index + 1
    raise BakingError("unterminated <svg> start tag")


def bake(svg: str, credential: str | dict[str, Any]) -> str:
    """The SVG with `credential` baked in: a VC-JWT string (compact form) or a JSON credential (embedded form).

    Raises BakingError when `svg` is not an SVG document or already carries a credential.
    """
    root = _parse(svg)
    if root.find(f".//{CREDENTIAL_TAG}") is not None:
        raise BakingError("the SVG already carries a credential")
    if isinstance(credential, str):
        if not JWT.fullmatch(credential):
            raise BakingError("not a compact JWS")
        element = f'<openbadges:credential verify="{credential}"></openbadges:credential>'
    else:
        # '>' only occurs inside JSON strings, where \u003e means the same: no ']]>' can end the CDATA early
        text = json.dumps(credential, ensure_ascii=False, indent=2).replace(">", "\\u003e")
        element = f"<openbadges:credential><![CDATA[{text}]]></openbadges:credential>"
    end = _root_start_tag_end(svg)
    start_tag = svg[:end]
    namespace = "" if f'xmlns:openbadges="{NAMESPACE}"' in start_tag else f' xmlns:openbadges="{NAMESPACE}"'
    if start_tag.endswith("/>"):  # an empty <svg/>
        return f"{start_tag[:-2].rstrip()}{namespace}>{element}</svg>{svg[end:]}"
    return f"{start_tag[:-1].rstrip()}{namespace}>{element}{svg[end:]}"


def unbake(svg: str | bytes) -> str | dict[str, Any]:
    """The credential baked into an SVG: the VC-JWT string, or the JSON credential as a dict.

    Parses strictly (no DTD, no entities, at most MAX_SVG_BYTES); raises BakingError for anything else,
    including an SVG with no credential or more than one.
    """
    root = _parse(svg)
    found = root.findall(f".//{CREDENTIAL_TAG}")
    if len(found) != 1:
        raise BakingError("an SVG badge carries exactly one credential")
    element = found[0]
    token = element.get("verify")
    if token is not None:
        token = token.strip()
        if not JWT.fullmatch(token):
            raise BakingError("the verify attribute is not a compact JWS")
        return token
    try:
        credential = json.loads(element.text or "")
    except (ValueError, RecursionError) as error:
        raise BakingError("the embedded credential is not JSON") from error
    if not isinstance(credential, dict):
        raise BakingError("the embedded credential is not a JSON object")
    return credential
