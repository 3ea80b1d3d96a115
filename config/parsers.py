"""JSON with limits, for every API endpoint (DRF's parser) and every chat frame.

Python's json module recurses once per nesting level, so a few thousand `[` end in a RecursionError (a
500, or a dead socket) in the parser or in whatever walks the data next. Nothing this API accepts is
nested more than a few levels, so anything deeper than MAX_DEPTH is refused before it is used; bodies
larger than MAX_BYTES are refused before they are parsed.
"""

import codecs
import json

from django.utils.translation import gettext as _
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser

MAX_DEPTH = 32
MAX_BYTES = 1024 * 1024


class JsonTooDeep(ValueError):
    pass


def depth_check(value, max_depth: int = MAX_DEPTH) -> None:
    """Raise JsonTooDeep when lists and objects nest deeper than max_depth (without recursing)."""
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict):
            children = item.values()
        elif isinstance(item, list):
            children = item
        else:
            continue
        if depth > max_depth:
            raise JsonTooDeep(_("JSON nested deeper than %(depth)d levels.") % {"depth": max_depth})
        stack.extend((child, depth + 1) for child in children if isinstance(child, dict | list))


def loads_limited(text: str | bytes, max_depth: int = MAX_DEPTH):
    """json.loads, refusing (ValueError) what is nested too deep instead of crashing on it."""
    try:
        value = json.loads(text, parse_constant=_refuse_constant)
    except RecursionError as exc:
        raise JsonTooDeep(_("JSON nested deeper than %(depth)d levels.") % {"depth": max_depth}) from exc
    depth_check(value, max_depth)
    return value


def _refuse_constant(name: str):
    raise ValueError(_("%(name)s is not a JSON value.") % {"name": name})


class LimitedJSONParser(JSONParser):
    """DRF's JSON parser with a size and a nesting limit: a 400 with a clear message, never a 500."""

    def parse(self, stream, media_type=None, parser_context=None):
        encoding = (parser_context or {}).get("encoding") or "utf-8"
        raw = stream.read(MAX_BYTES + 1) if stream is not None else b""
        if len(raw) > MAX_BYTES:
            raise ParseError(_("The request body is larger than %(size)d bytes.") % {"size": MAX_BYTES})
        try:
            text = codecs.decode(raw, encoding)
            return loads_limited(text)
        except JsonTooDeep as exc:
            raise ParseError(str(exc)) from exc
        except ValueError as exc:
            raise ParseError(_("JSON parse error - %(error)s") % {"error": exc}) from exc
