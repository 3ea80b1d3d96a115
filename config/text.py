"""Free text shown to other people: no invisible characters that could disguise it.

Bidirectional controls (U+202A-202E, U+2066-2069, U+200E/200F, U+061C) reorder what follows them, so a
name in a mixed Arabic/Latin page could make the next words read differently; zero-width and other
invisible format characters (U+200B, U+2060-2064, U+FEFF, U+00AD, Hangul fillers, tag characters...) make
two different strings look alike. The zero-width non-joiner (U+200C, part of Persian spelling) and the
zero-width joiner (U+200D, in emoji sequences and Indic scripts) are kept, and so are the tag characters
of an emoji flag sequence (🏴 + tags + cancel tag).

Two policies, one set of characters:
- names and titles (display names, guardian names, slot topics and places) are REFUSED with a field error
  (NameField): a name is who someone is, and a hidden character in it is never needed;
- longer text (bios, help requests, slot descriptions, reasons, reports, chat messages) is STRIPPED
  (PlainTextField, and the chat consumer through strip_invisible): people paste it from other apps, which
  add such marks, and refusing it would lose what they wrote.
Control characters other than tab and newlines are treated the same way.
"""

import re

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

_INVISIBLE_CLASS = (
    "\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f"  # control characters other than tab, LF and CR
    "\u00ad"  # soft hyphen
    "\u034f"  # combining grapheme joiner
    "\u061c"  # Arabic letter mark
    "\u115f\u1160\u3164\uffa0"  # Hangul fillers (blank-looking letters)
    "\u17b4\u17b5"  # Khmer inherent vowels
    "\u180e"  # Mongolian vowel separator
    "\u200b\u200e\u200f"  # zero-width space, left-to-right and right-to-left marks
    "\u2028\u2029"  # line and paragraph separators
    "\u202a-\u202e"  # bidirectional embeddings and overrides
    "\u2060-\u2064"  # word joiner, invisible operators
    "\u2066-\u206f"  # bidirectional isolates, deprecated format characters
    "\ufeff"  # zero-width no-break space (byte order mark)
    "\ufff9-\ufffb"  # interlinear annotation
    "\U0001d173-\U0001d17a"  # musical format characters
    "\U000e0000-\U000e007f"  # tag characters (outside an emoji flag, see below)
)
# An emoji flag sequence (e.g. Scotland's) is the black flag, tag letters and a cancel tag: kept whole.
_FLAG = "\U0001f3f4[\U000e0020-\U000e007e]+\U000e007f"
_INVISIBLE = re.compile(f"({_FLAG})|[{_INVISIBLE_CLASS}]")


def _keep_flags(match: re.Match) -> str:
    return match.group(1) or ""


def strip_invisible(text: str) -> str:
    """The text without bidirectional controls and invisible format characters (ZWNJ and ZWJ kept)."""
    return _INVISIBLE.sub(_keep_flags, text)


def has_invisible(text: str) -> bool:
    return strip_invisible(text) != text


class PlainTextField(serializers.CharField):
    """Free text shown to others: invisible and bidirectional control characters are stripped."""

    def to_internal_value(self, data):
        if isinstance(data, str):
            data = strip_invisible(data)
        return super().to_internal_value(data)


class NameField(serializers.CharField):
    """A name or title shown to others: invisible and bidirectional control characters are refused."""

    default_error_messages = {
        "invisible": _("Remove the invisible or text-direction characters (e.g. U+202E) from this text."),
    }

    def to_internal_value(self, data):
        value = super().to_internal_value(data)
        if has_invisible(value):
            self.fail("invisible")
        return value
