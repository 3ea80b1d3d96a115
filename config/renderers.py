"""The API's JSON answers, written by orjson where the text is DRF's.

DRF's JSONRenderer builds a `json` encoder per answer and runs it with its own `default`; writing a page of
25 volunteers took about a twentieth of the request's CPU. orjson writes the same text (compact, UTF-8, keys
in order, U+2028 and U+2029 escaped here as DRF escapes them) for what it writes natively: texts, numbers,
booleans, None, lists, tuples and dicts, and subclasses of them. Everything else (dates and times, decimals,
lazy translations, bytes, sets, querysets) goes through DRF's own `default`, so it becomes what DRF makes of
it. What orjson refuses (an integer wider than 64 bits, a key that is not a text, a loop) is written by DRF,
which answers as it always did, its errors included. An indented answer (the browsable API, an `indent`
media type parameter) is DRF's.

Two differences, neither a different value: a float with an exponent is written in its shortest form
(`1e-7`, where `json` writes `1e-07`), and a float that is not a number or infinite becomes null (DRF
refuses it, a 500).
"""

from typing import Any

import orjson
from rest_framework import renderers
from rest_framework.utils.encoders import JSONEncoder

_default = JSONEncoder().default
# datetimes and dataclasses to DRF's default (orjson writes its own forms of them)
_OPTIONS = orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_PASSTHROUGH_DATACLASS


class JSONRenderer(renderers.JSONRenderer):
    def render(self, data: Any, accepted_media_type: str | None = None, renderer_context: Any = None) -> bytes:
        if data is None or not self._as_drf_plain(accepted_media_type, renderer_context or {}):
            return super().render(data, accepted_media_type, renderer_context)
        try:
            text = orjson.dumps(data, default=_default, option=_OPTIONS)
        except TypeError:  # orjson.JSONEncodeError is TypeError
            return super().render(data, accepted_media_type, renderer_context)
        # as DRF: these two are line ends in JavaScript (their UTF-8 bytes mean nothing else)
        return text.replace(b"\xe2\x80\xa8", b"\\u2028").replace(b"\xe2\x80\xa9", b"\\u2029")

    def _as_drf_plain(self, accepted_media_type: str | None, renderer_context: dict) -> bool:
        """DRF would write this answer compact, in UTF-8, with its own encoder."""
        return (
            self.compact
            and not self.ensure_ascii
            and self.encoder_class is JSONEncoder
            and self.get_indent(accepted_media_type, renderer_context) is None
        )
