"""Finding contact details in chat messages (plain Python, no Django).

In a conversation with a minor, a message carrying a way to reach someone outside the platform is held
for a coordinator. `find_contact_details` reports:

- phone: a run of at least seven digits with separators (spaces, . - / ( ) [ ] _ * ~ | dashes, a comma
  directly before a digit). Before searching, the text is folded: NFKC (full-width and other compatibility
  forms), every Unicode decimal digit to ASCII (Arabic-Indic, Persian, Devanagari...), invisible format
  characters (zero-width spaces and joiners, soft hyphen, bidi marks) dropped, Arabic-script spelling
  variants (ی/ي, ک/ك, ة/ه, أ/إ/آ, vowel marks, stretching ـ) unified, digit words in English, Spanish,
  French, Italian, Greek, Ukrainian, Russian, Arabic and Persian ("zero seven", "cero seis", "нуль сім",
  "صفر سبعة", "صفر نه") and "double/triple 7" to digits, with any punctuation between a digit word and
  the next digit ("zero seven, seven one; two three - four") read as a separator; so are commas between
  written groups that look like a number ("0771, 234, 5678": a leading 0 or +, nine digits or more).
  Standalone O's (Latin, Cyrillic or Greek) are zeros, except a lower-case o between spaces (Spanish
  "or", Ukrainian "at"); look-alike letters (O o I l Z S G T B, Cyrillic І З В) in a word that also
  has a digit ("O7I2 345 67B") or alone between digit groups ("+33 G 12") are digits. Keycap, circled
  and styled digits and characters spaced out one by one ("l a y l a") are folded too. Dates (23/11/2026, 2026-11-23,
  "March 26, 2025"), times (18:30, 7 pm, "at 20.30", 10.00-11.30), year lists (2019-2021), prices with a
  currency (30.000 - 35.000 €), version numbers ("version 10.0.19045") and private IP addresses inside a
  run do not count towards the seven, and counting ("1 2 3 4 5 6 7 8 9 10") is not a number.
- email: "name@host.tld" and its disguises: at/dot spelled out or bracketed ("(at)", "[at]", "[.]",
  "{dot}"), spaced ("name @ gmail . com"), Spanish "arroba/punto", French "chez/point"; also
  "name at gmail" with a well-known provider and no top-level domain.
- link: http(s)://, www., domains on any real top-level domain, country endings included (linktr.ee,
  bit.ly, is.gd, lnk.bio, beacons.ai, layla.pt), short links (wa.me, t.me), spelled ("example dot com"),
  bracketed ("example[.]com") and spaced ones ("instagram . com / name", "h t t p s : / / ..."). Endings
  that are everyday words (so, is, it, me, de, bio...) count only with a path, after a known service
  ("wa.me", "lnk.bio"), or with nothing but punctuation after them: "ok.so what" is a missing space.
- handle: a platform name (Instagram/insta/ig, Snapchat/snap, Telegram/tg, WhatsApp, Signal, Viber,
  Discord, TikTok, Facebook, LinkedIn... and Arabic, Persian and Ukrainian spellings with an article,
  preposition or ending: "الواتساب", "بالواتس", "عالسناب", "اینستاگرامم", "телеграмі") followed by a
  handle ("insta: @name", "tg ahmad_99", "my snap is layla"; in Arabic, Persian or Cyrillic text any Latin
  word after the platform: "حسابي على الانستا layla"), "add me on whatsapp", "whatsapp me", "ضيفني على
  السناب", "username: x_y", Discord tags (name#1234) and any bare "@name" of three or more characters.

A platform named without a handle ("Do you use WhatsApp?", "أستخدم الواتساب مع عائلتي") is not reported.
Each `Finding.excerpt` is the original text as written (digits in their own script, words not yet turned
into digits).

It errs on the side of holding, because a coordinator reviews every held message. Known limits:
false positives: any other seven-digit run (student or order numbers, IBANs, long lists of page numbers,
"47,000,000" without a currency), bare domains in ordinary talk ("try google.com"), "my tiktok is viral"
(read as a handle), "bug#1234" (an old Discord tag), "@school", "I'm at school.me" (read as an e-mail).
False negatives: numbers spoken in tens or teens ("seventy-seven", French "douze"), written digit groups
split by commas with no leading 0 or + ("612, 345, 678"), digits in words with a comma after each one
and a run of five counting up or down ("six, one, two, three, four, five, six..." reads as counting),
a lower-case s, g or b for a digit ("the 80s", "500g"), emoji between digits, numbers split across
several messages, a site on a word-like ending with the sentence going on ("my site is layla.me check
it"), non-ASCII handles, handles with no platform word, "@" or digit ("add me, I'm layla"), requests that
carry no detail ("what's your snap?"), and text in images.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass

PHONE, EMAIL, LINK, HANDLE = "phone", "email", "link", "handle"
MIN_PHONE_DIGITS = 7


@dataclass(frozen=True)
class Finding:
    kind: str  # "phone" | "email" | "link" | "handle"
    excerpt: str  # the matched text as written, for the coordinator's queue


# --- Folding -----------------------------------------------------------------------------------------

_DIGIT_WORDS = {
    "en": "zero nought oh | one | two | three | four | five | six | seven | eight | nine",
    "es": "cero | uno una | dos | tres | cuatro | cinco | seis | siete | ocho | nueve",
    "fr": "zéro | un une | deux | trois | quatre | cinq | six | sept | huit | neuf",
    "it": "zero | uno | due | tre | quattro | cinque | sei | sette | otto | nove",
    "el": "μηδέν μηδενικό | ένα ένας μία μια | δύο δυο | τρία τρεις | τέσσερα τέσσερις | πέντε | έξι | επτά εφτά"
    " | οκτώ οχτώ | εννέα εννιά",
    "uk": "нуль ноль | один одна одне | два дві | три | чотири | п'ять | шість | сім | вісім | дев'ять",
    "ru": "ноль нуль | один одна | два две | три | четыре | пять | шесть | семь | восемь | девять",
    "ar": "صفر | واحد واحده | اثنان اثنين اتنين تنين | ثلاثه ثلاث تلاته تلات | اربعه اربع | خمسه خمس | سته ست"
    " | سبعه سبع | ثمانيه ثماني ثمان تمانيه تمنيه | تسعه تسع",
    "fa": "صفر | يك | دو | سه | چهار | پنج | شش | هفت | هشت | نه",
}
# Arabic-script spellings vary (ی/ي, ک/ك, ة/ه, أ/إ/آ/ا) and carry optional vowel marks and stretching (ـ):
# the patterns see one spelling, without marks.
_ARABIC_LETTERS = str.maketrans({"ی": "ي", "ى": "ي", "ک": "ك", "ة": "ه", "أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا"})
_ARABIC_MARKS = frozenset(chr(c) for c in [*range(0x064B, 0x0660), 0x0670, 0x0640])


def _arabic(text: str) -> str:
    return text.translate(_ARABIC_LETTERS)


def _without_accents(word: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", word) if not unicodedata.combining(c))


_NUMBER_WORDS = {
    spelling: str(digit)
    for words in _DIGIT_WORDS.values()
    for digit, group in enumerate(words.split("|"))
    for word in group.split()
    for spelling in (_arabic(word), _without_accents(word))  # "zero" for "zéro", "μηδεν" for "μηδέν"
}
_APOSTROPHES = str.maketrans("’ʼ`´", "''''")  # п’ять
_WORD = re.compile(r"[^\W\d_]+(?:['’`´][^\W\d_]+)*")
# A Latin word made only of digit words ("zeroseven") is a number written without spaces (not in other
# scripts, where short digit words hide in ordinary words: Persian دوست is "friend", not 2 + 6).
_GLUEABLE = sorted({w for w in _NUMBER_WORDS if len(w) > 2 and w.isascii()}, key=len, reverse=True)
_GLUED_NUMBER_WORDS = re.compile("(?:" + "|".join(_GLUEABLE) + "){2,}", re.IGNORECASE)
_GLUED_WORD = re.compile("|".join(_GLUEABLE), re.IGNORECASE)
# "sept" is also September: "13 sept 2026" stays a date.
_YEAR_AHEAD = re.compile(r"\.?\s*(?:\d{1,2}\s*,?\s*)?(?:19|20)\d{2}\b")
# Between two digits of which one was a word, any punctuation separates groups: "zero seven, seven one;
# two three - four five", "صفر سبعة، سبعة". Between two written digits only the separators of _SEP do.
_WORD_OR_DIGITS = re.compile(r"[^\W\d_]+(?:['’`´][^\W\d_]+)*|\d+")
_COUNT_COMMA = re.compile(r"\s*[,،]\s*")
_GROUP_GAP = re.compile(r"[\s,;:.!?…\-‐-―−/\\|·•،؛()\[\]{}*_~+=&'\"«»]{1,8}")
# Four or more single characters spaced out ("l a y l a", "0 7 7 1") are read as one word.
_SPACED_OUT = re.compile(r"(?<!\S)\S(?: \S){3,}(?!\S)")
_REPEAT = re.compile(r"\b(double|doble|triple)\s+(\d)", re.IGNORECASE)
_REPEATS = {"double": 2, "doble": 2, "triple": 3}

_Rewrites = Iterable[tuple[int, int, str | None]]  # replace folded text[start:end] by a new text (None: keep)


@dataclass(frozen=True)
class _Folded:
    text: str
    spans: tuple[tuple[int, int], ...]  # for each folded character, the original span it came from

    def original(self, original: str, start: int, end: int) -> str:
        return original[self.spans[start][0] : self.spans[end - 1][1]]


def _identity(text: str) -> _Folded:
    return _Folded(text, tuple(zip(range(len(text)), range(1, len(text) + 1), strict=True)))


_NOT_PLAIN = re.compile(r"[^\x00-\x7f]+")


def _fold_characters(text: str) -> _Folded:
    if text.isascii():  # most messages: nothing to fold
        return _identity(text)
    chars: list[str] = []
    spans: list[tuple[int, int]] = []
    done = 0
    for stretch in _NOT_PLAIN.finditer(text):
        word = stretch.group()
        if word.isalpha() and "\u0640" not in word and unicodedata.is_normalized("NFKC", word):
            continue  # letters needing no more than a one-to-one respelling (most Arabic, Cyrillic, é...)
        i, n = max(stretch.start() - 1, done), stretch.end()  # from the letter before: e + ́ -> é
        chars.append(text[done:i].translate(_ARABIC_LETTERS))
        spans.extend(zip(range(done, i), range(done + 1, i + 1), strict=True))
        while i < n:
            j = i + 1
            while j < n and unicodedata.category(text[j])[0] == "M":  # a letter with its accents
                j += 1
            if unicodedata.category(text[i]) == "Cf":  # zero-width and bidi characters hide nothing else
                i = j
                continue
            chunk = unicodedata.normalize("NFKC", text[i:j])
            if chunk[:1].isdecimal():  # keycap emoji 6️⃣: the digit without its marks
                chunk = "".join(c for c in chunk if unicodedata.category(c)[0] != "M")
            for char in chunk:
                if char in _ARABIC_MARKS:
                    continue
                if char.isdecimal():
                    char = str(unicodedata.decimal(char))  # ٧ ۷ ७ -> 7
                chars.append(char.translate(_ARABIC_LETTERS))
                spans.append((i, j))
            i = j
        done = n
    chars.append(text[done:].translate(_ARABIC_LETTERS))
    spans.extend(zip(range(done, len(text)), range(done + 1, len(text) + 1), strict=True))
    return _Folded("".join(chars), tuple(spans))


def _rewrite(folded: _Folded, rewrites: _Rewrites) -> _Folded:
    """Replace each stretch by its new text; every new character points at the whole original stretch."""
    chars: list[str] = []
    spans: list[tuple[int, int]] = []
    last = 0
    for start, end, new in rewrites:
        if new is None:
            continue
        chars.append(folded.text[last:start])
        spans.extend(folded.spans[last:start])
        span = (folded.spans[start][0], folded.spans[end - 1][1])
        chars.append(new)
        spans.extend([span] * len(new))
        last = end
    if not last:
        return folded
    chars.append(folded.text[last:])
    spans.extend(folded.spans[last:])
    return _Folded("".join(chars), tuple(spans))


def _digit_word(text: str, match: re.Match[str]) -> str | None:
    word = match.group().lower()
    if word == "sept" and _YEAR_AHEAD.match(text, match.end()):
        return None
    digit = _NUMBER_WORDS.get(word.translate(_APOSTROPHES))
    if digit is not None:
        return digit
    if word.isascii() and _GLUED_NUMBER_WORDS.fullmatch(word):
        return "".join(_NUMBER_WORDS[w.group().lower()] for w in _GLUED_WORD.finditer(word))
    return None


def _has_digit_words(text: str) -> bool:
    words = set(_WORD.findall(text.lower().translate(_APOSTROPHES)))
    return not words.isdisjoint(_NUMBER_WORDS) or any(
        len(word) > 4 and word.isascii() and _GLUED_NUMBER_WORDS.fullmatch(word) for word in words
    )


def _counting(numbers: list[tuple[int, int, str, bool, bool]], text: str) -> set[int]:
    """The numbers (by index) that count in words: a whole group of five or more with a word ("one two three
    four five"), or five or more words with a comma between each ("2019 uno, dos, tres, cuatro, cinco").
    Not part of a group in spaces: "six one two three four five six seven eight" is a phone number."""
    counting: set[int] = set()
    start = 0
    for i in range(1, len(numbers) + 1):
        if i < len(numbers) and numbers[i][4]:
            continue
        group = numbers[start:i]
        steps = {int(b[2]) - int(a[2]) for a, b in zip(group, group[1:], strict=False)}
        if len(group) >= 5 and steps in ({1}, {-1}) and any(worded for _, _, _, worded, _ in group):
            counting.update(range(start, i))
        start = i
    stretch: list[int] = []
    for i, (start, _, digits, worded, follows) in enumerate([*numbers, (0, 0, "x", False, False)]):
        previous = numbers[i - 1] if stretch else None
        if (
            previous
            and worded
            and follows
            and _COUNT_COMMA.fullmatch(text, previous[1], start)
            and abs(int(digits) - int(previous[2])) == 1
            and (len(stretch) < 2 or int(digits) - int(previous[2]) == int(previous[2]) - int(numbers[i - 2][2]))
        ):
            stretch.append(i)
            continue
        if len(stretch) >= 5:
            counting.update(stretch)
        stretch = [i] if worded else []
    return counting


def _digit_words(text: str) -> _Rewrites:
    """Digit words to digits, and the punctuation between a digit word and another digit to a space. A count
    ("one, two, three, four, five, six, seven") stays in words."""
    if not _has_digit_words(text):  # most messages: one pass in C instead of a call per word
        return
    numbers: list[tuple[int, int, str, bool, bool]] = []  # start, end, digits, worded, follows the previous one
    previous_end = -1
    for match in _WORD_OR_DIGITS.finditer(text):
        worded = not match.group()[0].isdigit()
        digits = _digit_word(text, match) if worded else match.group()
        if digits is None:
            previous_end = -1
            continue
        follows = previous_end >= 0 and (
            match.start() == previous_end or bool(_GROUP_GAP.fullmatch(text, previous_end, match.start()))
        )
        numbers.append((match.start(), match.end(), digits, worded, follows))
        previous_end = match.end()
    counting = _counting(numbers, text)
    for i, (start, end, digits, worded, follows) in enumerate(numbers):
        if i in counting:
            continue
        previous = numbers[i - 1] if i else None
        if previous and follows and (worded or previous[3]) and start > previous[1] and i - 1 not in counting:
            yield previous[1], start, " "
        if worded:
            yield start, end, digits


# Written digit groups split by commas count as one number when they look like one: a leading 0 or +, groups
# of two to four digits, nine digits or more ("0771, 234, 5678", "٠٧٩١، ٢٣٤، ٥٦٧٨"); not "pages 10, 12, 15, 18".
_COMMA_GROUPS = re.compile(r"(?<![\d.,])(?:\+\s?\d{1,3}|0\d{2,3})(?:\s*[,;،؛]\s*\d{2,4}){2,}(?!\d|[.,]\d)")
_GROUP_COMMA = re.compile(r"\s*[,;،؛]\s*")


def _comma_groups(text: str) -> _Rewrites:
    for match in _COMMA_GROUPS.finditer(text):
        if sum(char.isdigit() for char in match.group()) >= 9:
            for comma in _GROUP_COMMA.finditer(text, match.start(), match.end()):
                yield comma.start(), comma.end(), " "


def _fold(text: str) -> _Folded:
    folded = _fold_characters(text)
    folded = _rewrite(folded, _digit_words(folded.text))
    folded = _rewrite(folded, _comma_groups(folded.text))
    folded = _rewrite(
        folded, ((m.start(), m.end(), m.group().replace(" ", "")) for m in _SPACED_OUT.finditer(folded.text))
    )
    return _rewrite(
        folded, ((m.start(), m.end(), m.group(2) * _REPEATS[m.group(1).lower()]) for m in _REPEAT.finditer(folded.text))
    )


def normalise(text: str) -> str:
    """The text the patterns see: compatibility forms, other digit scripts, invisible characters, Arabic
    spelling variants and digit words folded."""
    return _fold(text).text


# --- Phone numbers -----------------------------------------------------------------------------------

_OS = "OoОоΟο"  # Latin, Cyrillic and Greek O
# O's standing alone (not in a word) are zeros: "(O)77OO". Not a lower-case o between spaces: a word ("6 o 7" is
# Spanish "or", "о 18" Ukrainian "at", "ο" the Greek article).
_ZEROS = rf"(?<![^\W\d_])(?!(?<=\s)[oоο]\s)[{_OS}]++(?![^\W\d_])"
_DIGITISH = rf"(?:\d|{_ZEROS})"
_SEP = r"(?:[\s.\-/()\[\]_*~|·•\u2010-\u2015\u2212]|[,،٫٬](?=\d))"
# Letters that look like digits, read as digits in a word that also has a digit and no other letter:
# "O7I2 345 67B", "6l2 34S". Not in "Oslo" or "lol" (no digit), "A1" or "SW1A" (A and W are not), nor after a
# prefix of two letters ("ZB12345" is an order number). Not s, g or b: "the 80s 90s", "500g", "12b".
_LOOKALIKE_CHARS = "OoОоΟοIlІZzЗзSGTBВ"
_LOOKALIKES = str.maketrans(_LOOKALIKE_CHARS, "000000111223356788")
_NOT_LOOKALIKE = re.compile(rf"[^{_LOOKALIKE_CHARS}\W\d_]|[^{_OS}\W\d_]{{2}}|[{_OS}][^{_OS}\W\d_]")
# A lone letter between two digit groups: "+33 G 12 34".
_LONE_LOOKALIKE = re.compile(r"(?<=\d[ .\-])[IZSGTBІЗВ](?=[ .\-]\d)")  # capitals: "з", "l" are words
_MIXED_TOKEN = re.compile(r"(?<![^\W_])[^\W\d_]*+\d[^\W_]*")
_PHONE_RUN = re.compile(rf"(?:\+|\(\+?)?{_DIGITISH}(?:{_SEP}{{0,3}}{_DIGITISH}){{{MIN_PHONE_DIGITS - 1},}}")
_AMOUNT = r"\d{1,3}(?:[., ]\d{3})+(?:[.,]\d{1,2})?|\d+(?:[.,]\d{1,2})?"
_CURRENCY_SIGN = r"[€$£₴₺]"
_CURRENCY_WORD = (
    r"(?:[€$£₴₺]|(?:eur|euros?|dollars?|usd|pounds?|gbp|uah|hryvnias?|грн|євро|евро|يورو|lira|liras|"
    r"dirhams?|dh|mad|egp|syp|k)\b)"
)
# Day-month shapes; only counted as dates when the numbers can be a day and a month. Short ones must not be
# followed by more digits (other than a time), or "06/12 34 56 78" would hide a French number.
_NO_MORE_DIGITS = r"(?![\d]|[./-]\d|\s*\d(?!\d?[:h.]\d{2}))"
_DATES = re.compile(
    rf"""
      (?<![\d.\-/])\d{{1,2}}(?P<s>[./-])\d{{1,2}}(?P=s)(?:19|20)\d{{2}}(?![\d]|[./-]\d)      # 23/11/2026
    | (?<![\d.\-/])(?<!\d\s)\d{{1,2}}(?P<s2>[./-])\d{{1,2}}(?P=s2)\d{{2}}{_NO_MORE_DIGITS}     # 23.11.26
    | (?<![\d./])(?<!\d\s)\d{{1,2}}/\d{{1,2}}(?:\s*[-–]\s*\d{{1,2}}/\d{{1,2}})?{_NO_MORE_DIGITS}  # 14/02 - 16/02
    | (?<![\d.])\d{{1,2}}\.\d{{1,2}}\.?\s*[-–]\s*\d{{1,2}}\.\d{{1,2}}\.?(?![\d]|\.\d)         # 14.02.-16.02.
    """,
    re.VERBOSE,
)
_MONTHS = (
    r"january|february|march|april|may|june|july|august|september|october|november|december|jan|feb|mar|apr|jun|"
    r"jul|aug|sep|sept|oct|nov|dec|enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|setiembre|octubre|"
    r"noviembre|diciembre|janvier|février|fevrier|mars|avril|mai|juin|juillet|août|aout|septembre|octobre|novembre|"
    r"décembre|decembre|gennaio|febbraio|aprile|maggio|giugno|luglio|settembre|ottobre|dicembre|січня|лютого|"
    r"березня|квітня|травня|червня|липня|серпня|вересня|жовтня|листопада|грудня"
)
# Other number shapes that are not phone numbers.
_NOT_PHONES = re.compile(
    rf"""
      (?<![\d.\-/])(?:19|20)\d{{2}}(?P<s>[./-])\d{{1,2}}(?P=s)\d{{1,2}}(?![\d]|[./-]\d)          # 2026-11-23
    | (?<![\d.])\d{{1,2}}\.\d{{2}}\s*[-–]\s*\d{{1,2}}\.\d{{2}}(?![\d]|\.\d)                   # 10.00-11.30
    | (?<!\d)(?:19|20)\d{{2}}(?:\s*(?:[-–/,&]|and|or|to|y|o|et|ou|і|и|та|або)\s*(?:(?:19|20)\d{{2}}|\d{{2}}))+(?!\d)
    | {_CURRENCY_SIGN}\s*(?:{_AMOUNT})(?:\s*[-–]\s*{_CURRENCY_SIGN}?\s*(?:{_AMOUNT}))?             # €30,000-€35,000
    | (?<![\d.,])(?:{_AMOUNT})(?:\s*[-–]\s*(?:{_AMOUNT}))?\s*{_CURRENCY_WORD}                    # 30.000 - 35.000 €
    | \b(?:version|ver|v|build|release|update|python|windows|ios|android|java|node|php|django|ubuntu)\.?\s*
      \d+(?:\.\d+){{1,4}}(?:\s*(?:or|and|to|-|–|,|/|y|o|et|ou)\s*\d+(?:\.\d+){{1,4}})*(?![\d.]*\d)  # v 10.0.19045
    | (?<![\d.:])(?:[01]?\d|2[0-3])[:h][0-5]\d(?!\d|[.:]\d)                                 # 18:30, 15h30
    | (?<![\d.:])\d{{1,2}}(?:[:.][0-5]\d)?\s*(?:am|pm|a\.m\.|p\.m\.|h|hrs?|uhr)(?![^\W\d_])      # 7 pm, 10.30am
    | (?:\b(?:at|a\s+las|a\s+la|alle|ore|um|from|till|until|desde|hasta|vers|dès|à)
       |(?<![^\W\d_])(?:о|об|στις|الساعه|ساعت))\s+(?:[01]?\d|2[0-3])\.[0-5]\d(?!\d|[.,]\d)       # at 20.30
    | (?:(?<=\d{{4}}\s)|(?<=\d{{4}}-\d\d-\d\d\s)|(?<=\d/\d\s)|(?<=\d/\d\d\s))                   # 2/6 20.30
      (?:[01]?\d|2[0-3])\.[0-5]\d(?!\d|[.,]\d|\s+\d)
    | (?:\b(?:{_MONTHS})\.?\s+\d{{1,2}}(?:st|nd|rd|th)?(?:,?\s+(?:19|20)\d{{2}})?(?!\d|[.,:]\d)    # March 26, 2025
      | (?<![\d.])\d{{1,2}}(?:st|nd|rd|th|er|º)?\.?\s+(?:de\s+)?(?:{_MONTHS})\b\.?
        (?:,?\s+(?:de\s+)?(?:19|20)\d{{2}}(?!\d))?)                                            # 26 de marzo de 2025
      (?:,?\s+(?:at\s+|à\s+|a\s+las\s+|о\s+)?(?:[01]?\d|2[0-3])[.:h][0-5]\d(?!\d|[.,]\d|\s+\d))?   # ... 20.30
    | (?<![\d.])(?:127(?:\.\d{{1,3}}){{3}}|10(?:\.\d{{1,3}}){{3}}|192\.168(?:\.\d{{1,3}}){{2}}    # private IPs
                |172\.(?:1[6-9]|2\d|3[01])(?:\.\d{{1,3}}){{2}}|0\.0\.0\.0)(?![\d]|\.\d)
    """,
    re.IGNORECASE | re.VERBOSE,
)


def _is_day_month(match: re.Match[str]) -> bool:
    numbers = [int(n) for n in re.findall(r"\d+", match.group())]
    pairs = [numbers[0:2], numbers[2:4]] if len(numbers) == 4 else [numbers[0:2]]
    return all(1 <= a <= 31 and 1 <= b <= 31 and min(a, b) <= 12 for a, b in pairs)  # day or month first


def _benign_positions(text: str) -> bytearray:
    benign = bytearray(len(text))
    matches = [*filter(_is_day_month, _DATES.finditer(text)), *_NOT_PHONES.finditer(text)]
    for match in matches:
        benign[match.start() : match.end()] = b"\x01" * (match.end() - match.start())
    return benign


def _lookalikes_read(text: str) -> str:
    """The text with look-alike letters in number-like words read as digits (same length)."""

    def read(match: re.Match[str]) -> str:
        token = match.group()
        if token.isdigit() or _NOT_LOOKALIKE.search(token):
            return token
        return token.translate(_LOOKALIKES)

    return _LONE_LOOKALIKE.sub(lambda m: m.group().translate(_LOOKALIKES), _MIXED_TOKEN.sub(read, text))


def _is_counting(digits: str) -> bool:
    """ "1 2 3 4 5 6 7 8 9 10", "seven six five four three two one": counting, not a number."""
    for first in {int(digits[0]), int(digits[:2])}:
        for step in (1, -1):
            sequence, number = "", first
            while len(sequence) < len(digits) and number >= 0:
                sequence += str(number)
                number += step
            if sequence == digits:
                return True
    return False


_DIGIT = re.compile(r"\d")


def _phones(text: str) -> Iterable[tuple[int, int]]:
    if len(_DIGIT.findall(text)) < 5:
        return
    read = _lookalikes_read(text)
    runs = list(_PHONE_RUN.finditer(read))
    benign = _benign_positions(read) if runs else b""  # their digits do not count towards a run's seven
    for match in runs:
        counted = [
            i for i in range(match.start(), match.end()) if not benign[i] and (read[i].isdigit() or read[i] in _OS)
        ]
        real_digits = sum(text[i].isdigit() for i in counted)
        if (
            len(counted) >= MIN_PHONE_DIGITS
            and real_digits >= 5  # a few letters, not "o o o o o o o"
            and not _is_counting("".join(read[i] if read[i].isdigit() else "0" for i in counted))
        ):
            yield match.start(), match.end()


# --- E-mail addresses and links ----------------------------------------------------------------------

_TLDS = (
    r"com|net|org|info|biz|edu|gov|eu|es|it|gr|fr|de|uk|co|io|me|cy|ua|ru|tr|ma|eg|ir|af|ly|pk|in|ch|nl|"
    r"pt|pl|ro|se|ie|us|ca|au|app|dev|xyz|online|site|link|live|page|to|tv|gg|ai|ps|sy|iq|tn|dz"
)
# After a spelled-out dot only TLDs that are not everyday words ("point de vue", "el punto es", "dot to dot").
_SPELLED_TLDS = r"com|net|org|info|biz|edu|gov|eu|io|ly|gg|ee|gd|gl|xyz|uk|gr|cy|ua|ru|fr|app|dev|online"
_LOCAL = r"(?<![\w.%+\-])[a-z0-9_](?:[a-z0-9._%+\-]*[a-z0-9_])?"
_BRACKETED = r"\s*[(\[{<]\s*(?:%s)\s*[)\]}>]\s*"  # "(at)", "[.]", "{dot}"
_AT_BRACKETED = _BRACKETED % r"at|@|arroba|chez"
_DOT_BRACKETED = _BRACKETED % r"dot|punto|point|\."
_AT_SIGN = rf"(?:\s*@\s*|{_AT_BRACKETED}|\s+arroba\s+)"  # "arroba" is never ordinary talk
_AT_WORD = r"\s+(?:at|chez)\s+"  # but "at" and "chez" are: stricter dots and TLDs after them
_DOT_ANY = rf"(?:\s*\.\s*|{_DOT_BRACKETED}|\s+(?:dot|punto|point)\s+)"
_DOT_TIGHT = rf"(?:\.|{_DOT_BRACKETED})"  # "at home. It was" is not an e-mail
_DOT_SPELLED = r"\s+(?:dot|punto|point)\s+"
_LABEL = r"[a-z0-9](?:[a-z0-9\-]*[a-z0-9])?"
_EMAIL_SIGN = re.compile(
    rf"{_LOCAL}{_AT_SIGN}{_LABEL}(?:{_DOT_ANY}{_LABEL})*(?:{_DOT_ANY}(?:{_TLDS})|{_DOT_SPELLED}(?:{_SPELLED_TLDS}))\b",
    re.IGNORECASE,
)
_EMAIL_WORD = re.compile(
    rf"{_LOCAL}{_AT_WORD}{_LABEL}(?:(?:{_DOT_TIGHT}|{_DOT_SPELLED}){_LABEL})*"
    rf"(?:{_DOT_TIGHT}(?P<tld>{_TLDS})|{_DOT_SPELLED}(?:{_SPELLED_TLDS}))\b",
    re.IGNORECASE,
)
# "layla at gmail": a provider is enough. Not "outlook" after a spelled "at" ("good at Outlook and Excel").
_PROVIDERS = r"g-?mail|googlemail|hotmail|yahoo|icloud|protonmail|proton|gmx|yandex|ukr\.net|libero"
_EMAIL_PROVIDER = re.compile(
    rf"{_LOCAL}(?:{_AT_SIGN}(?:{_PROVIDERS}|outlook)|{_AT_WORD}(?:{_PROVIDERS}))\b(?:{_DOT_ANY}(?:{_TLDS})\b)?",
    re.IGNORECASE,
)
_EMAIL_SAID = re.compile(
    r"\b(?:e-?mail|g-?mail|correo|courriel)(?:\s+(?:address|adress|id))?\s*(?:is|es|est|c'est|:|=)\s*"
    r"[a-z0-9._%+\-]*[a-z][a-z0-9._%+\-]*[0-9_.][a-z0-9._%+\-]*",
    re.IGNORECASE,
)


def _set(words: str) -> frozenset[str]:
    return frozenset(words.split())


# Every country ending and the common generic ones: "any word.tld" that can be a domain.
_COUNTRY_TLDS = _set("""
ac ad ae af ag ai al am ao aq ar as at au aw ax az ba bb bd be bf bg bh bi bj bm bn bo bq br bs bt bw by bz ca cc
cd cf cg ch ci ck cl cm cn co cr cu cv cw cx cy cz de dj dk dm do dz ec ee eg er es et eu fi fj fk fm fo fr ga gd ge
gf gg gh gi gl gm gn gp gq gr gs gt gu gw gy hk hm hn hr ht hu id ie il im in io iq ir is it je jm jo jp ke kg kh ki
km kn kp kr kw ky kz la lb lc li lk lr ls lt lu lv ly ma mc md me mg mh mk ml mm mn mo mp mq mr ms mt mu mv mw mx my
mz na nc ne nf ng ni nl no np nr nu nz om pa pe pf pg ph pk pl pm pn pr ps pt pw py qa re ro rs ru rw sa sb sc sd se
sg sh si sk sl sm sn so sr ss st su sv sx sy sz tc td tf tg th tj tk tl tm tn to tr tt tv tw tz ua ug uk us uy uz va
vc ve vg vi vn vu wf ws ye yt za zm zw
""")
_GENERIC_TLDS = _set("""
com net org info biz edu gov int xyz app dev online site website link links live page blog shop store tech club top
art space world chat social life today news media video music studio design cloud digital global academy agency
icu vip win work host press network zone city tips cafe school style love plus run lol bio ink pro mobi asia africa
arab cat tel travel jobs wiki guru ninja rocks fun one
""")
_ALL_TLDS = _COUNTRY_TLDS | _GENERIC_TLDS
# Endings that are also everyday words (English, Spanish, French, Italian, chat slang): after them a domain
# needs a path, a known link service before them, or nothing but punctuation after them ("ok.so what" and
# "fine.it works" are missing spaces, "layla.me/cv", "wa.me" and "my site: layla.me!" are links).
_WORDLIKE_TLDS = _set("""
so is it in to at be me my no do us as by am an hi he we if of on or im es la de se si al va ve et ne ma il je sa
au ca io ci cu np pm dm bf gf ie eg cv hr id ps ad ml kg km cm mg mm st ms mr lt tt gg bb gn gm tc yt tg cz sm hm dj
one love run win work today life fun top news plus school music video chat art travel jobs city cafe style media
social world space page live shop store club app bio lol pro tips rocks zone press host
""")
# File names, not sites: "settings.py", "README.md", "run.sh", "main.rs", "script.pl", "photo.ai".
_FILE_TLDS = frozenset({"py", "md", "sh", "rs", "pl", "ps", "cc", "mk", "ai"})
# After a spelled dot ("example dot com") only endings that are not words.
_SPELLED_OUT_TLDS = _set("com net org info biz edu gov eu io ly gd ee xyz uk gr cy ua ru fr app dev online")
# Short-link, link-in-bio and platform names: with them any ending is a link ("linktr.ee", "lnk.bio", "wa.me").
_LINK_SERVICES = _set("""
linktr linktree bit bitly cutt tinyurl rebrand lnk beacons goo ow t wa m x fb linkin heylink taplink carrd msha
shorturl rb vm youtu linkr allmylinks snipfeed instagram facebook tiktok youtube twitter snapchat telegram discord
whatsapp linkedin vk pinterest twitch github onlyfans patreon gumroad
""")
_CHAT_WORDS = _set("""
ok okay yes yeah yep nope no lol lmao haha hahaha thx thanks ty done fine sure cool nice good great wow omg bye hi hello
right well so and but or then yes si oui merci gracias grazie
""")
# ... and services named by a word, with a path: "about.me/ahmad", not "what about.me too".
_WORD_SERVICES = _set("about solo tap direct flow bio tiny hoo kick s v ok is")
_TLD = r"[a-z]{2,24}"
_DOT_SPACED = r"(?:\s+\.\s*|\s*\.\s+)"
_LINK = re.compile(
    rf"""
      \b(?:https?|hxxps?|ftp)\s*:\s*//\S+
    | \bwww\s*(?:\.|{_DOT_BRACKETED}|\s+dot\s+)\S+
    | \b(?:wa|t|m|x|g|fb)\s*(?:\.|{_DOT_BRACKETED}|\s+(?:dot|punto|point)\s+)(?:me|com|co)\b(?:/\S*)?
    | (?<![\w@.\-])(?:{_LABEL}\.)*(?P<label>{_LABEL})\.(?P<tld>{_TLD})\b(?![.\-]?\w)(?P<path>/\S+)?
    | (?<![\w@.\-])(?:{_LABEL}\.)*(?P<b_label>{_LABEL}){_DOT_BRACKETED}(?:{_LABEL}\.)*(?P<b_tld>{_TLD})\b(?:/\S*)?
    | (?<![\w@.\-])(?:{_LABEL}\.)*(?P<s_label>{_LABEL}){_DOT_SPELLED}(?P<s_tld>{_TLD})\b(?:\s*/\s*[\w\-.~%@?=&+]+)*
    # spaced out: "instagram . com / layla", "https:// www . example . com"
    | (?:\b(?:https?|hxxps?)\s*:\s*/\s*/\s*)?(?<![\w@.\-])(?:www\s*\.\s*)?
      (?P<p_label>{_LABEL})(?:{_DOT_SPACED}(?P<p_label2>{_LABEL}))?{_DOT_SPACED}(?P<p_tld>{_TLD})\b
      (?P<p_path>(?:\s*/\s*[\w\-.~%@?=&+]+)+/?)?
    """,
    re.IGNORECASE | re.VERBOSE,
)
_NOT_LINKS = {"asp.net", "vb.net", "ado.net", "socket.io"}
_TRAILING_PUNCTUATION = ".,;:!?)]}'\"»"
_WORD_AFTER = re.compile(r"\s+[a-zß-ÿ]")  # "ok.so what": the sentence goes on
_CODE_AFTER = re.compile(r"\s*[(\[=]")  # "self.name = x", "app.run()"


def _is_domain(label: str, tld: str, *, spaced: bool, path: bool, word_after: bool) -> bool:
    ending = tld.lower()
    if ending not in _ALL_TLDS or (tld.istitle() and len(tld) > 1):  # "finished.It was" is a missing space
        return False
    service = label.lower()
    if service in _LINK_SERVICES and (len(service) > 2 or path or not spaced or ending not in _WORDLIKE_TLDS):
        return True  # "lnk . bio", "t.me"; but not "item x . so what"
    if service in _WORD_SERVICES and path:
        return True  # "solo . to / layla", "about.me/ahmad"
    if not any(char.isalpha() for char in label):  # "5.kg", "2.cm"
        return False
    if ending in _FILE_TLDS:
        return False
    if label.lower() in _CHAT_WORDS:  # "lol.np", "thanks.cu", "done.so": missing spaces
        return path
    if spaced:  # "instagram . com", not "in the UK . UK is" nor "I was tired . so I slept"
        return ending not in _WORDLIKE_TLDS and (tld.islower() or (label.isupper() and tld.isupper() and len(tld) > 2))
    return path or ending not in _WORDLIKE_TLDS or not word_after


def _is_link(match: re.Match[str], text: str) -> bool:
    if match.group("tld"):
        path = bool(match.group("path"))
        return _is_domain(
            match.group("label"),
            match.group("tld"),
            spaced=False,
            path=path,
            word_after=bool(_WORD_AFTER.match(text, match.end())),
        ) and (path or not _CODE_AFTER.match(text, match.end()))
    if match.group("b_tld"):
        return match.group("b_tld").lower() in _ALL_TLDS
    if match.group("s_tld"):
        return match.group("s_tld").lower() in _SPELLED_OUT_TLDS or match.group("s_label").lower() in _LINK_SERVICES
    if match.group("p_tld"):
        return _is_domain(
            match.group("p_label2") or match.group("p_label"),
            match.group("p_tld"),
            spaced=True,
            path=bool(match.group("p_path")),
            word_after=False,
        )
    return True


def _links(text: str) -> Iterable[tuple[int, int]]:
    if not _LINK_HINT.search(text):
        return
    for match in _LINK.finditer(text):
        if not _is_link(match, text) or match.group().lower() in _NOT_LINKS:
            continue
        end = match.end()
        while end > match.start() + 1 and text[end - 1] in _TRAILING_PUNCTUATION:
            end -= 1
        yield match.start(), end


# --- Messenger handles -------------------------------------------------------------------------------

# Arabic and Persian names (in the folded spelling, see _arabic) with an attached article or preposition
# and possessive ending: "الواتساب", "بالواتس", "عالسناب", "انستي", "اینستاگرامم", "تلگرام".
_PLATFORM_ARABIC = _arabic(
    r"(?:[وف]?(?:بال|عال|لل|ال|ب|ل|ع)|[وف])?"
    r"(?:واتس\s?ا?اب|وتساب|واتساپ|واتس|وتس|اي?نستا?(?:غ|ق|ج|ك|گ)را?م|اي?نستا|انستي|"
    r"تي?لي?(?:غ|ج|ق|گ|ك)را?م|تلي|سناب(?:\s?شات)?|اسنپ\s?چت|فيس(?:\s?بوك)?|تيك\s?ت[وا]ك|تويي?تر|ما?سنجر|"
    r"دي?سكورد|[فو]ايبر|سي[جغگ]نال|ا?سكاي[بپ]|لينكد\s?[اي]?ن|روبيكا|ايتا)"
    r"(?:ي|ه|م|ام|مو|ك|ها|نا|تي)?(?![^\W\d_])"
)
_PLATFORM_CYRILLIC = (
    r"(?:телеграм\w*|телег[аиуі]|вайбер\w*|інст\w*|инст\w*|ватсап\w*|вотсап\w*|тікток\w*|"
    r"тикток\w*|снап\w*|діскорд\w*|дискорд\w*|фейсбук\w*|тг)"
)
_PLATFORM = (
    r"(?:insta(?:gram)?|ig|snap(?:chat)?|telegram|tg|whats\s?app|signal|viber|discord|tik\s?tok|facebook|fb|"
    rf"messenger|skype|wechat|kik|twitter|linkedin|vk|botim|{_PLATFORM_ARABIC}|{_PLATFORM_CYRILLIC})"
)
_TOKEN = r"@?[a-z0-9_.]{3,32}(?:#\d{4})?"
# A token is handle-like on its own when it has a digit, "_", "." or "@" (not a plain word like "group").
_HANDLE_LIKE = r"(?:@[a-z0-9_.]{3,32}|(?=[a-z0-9_.]*[a-z])(?=[a-z0-9_.]*[0-9_.])[a-z0-9_.]{3,32})(?:#\d{4})?"
_ACCOUNT_WORD = _arabic(
    r"(?:\s+(?:id|name|user\s?name|handle|account|acc|nick|is|es|est|c'est|ist|è|=|"
    r"تبعي|حقي|الخاص\s+بي|هو|هي|اسمي|ايدي|يوزر|يوزري|معرفي|حسابي|من|ايديم|اكانتم?|پيجم?|يوزرنيم|هست|است|اينه|"
    r"мій|мой|моя|нік|ник|акаунт|аккаунт|логін|логин|це|это))*"
)
_HANDLE_PATTERNS = (
    # "insta: layla", "snapchat username: layla", "tg => ahmad"
    (re.compile(rf"\b{_PLATFORM}{_ACCOUNT_WORD}\s*(?::|=|->|→|=>)\s*({_TOKEN})", re.IGNORECASE), True),
    # "my snap is layla", "mi insta es layla", "mon snap c'est layla"
    (
        re.compile(
            rf"\b(?:my|mi|mon|ma)\s+{_PLATFORM}(?:\s+(?:id|name|user\s?name|handle|account|nick))?"
            rf"\s+(?:is|es|est|c'est|ist|è|=)\s+({_TOKEN})",
            re.IGNORECASE,
        ),
        True,
    ),
    # "ig @layla", "tg ahmad_99", "snapchat is layla2009", "tiktok - @sofiia.dance"
    (re.compile(rf"\b{_PLATFORM}{_ACCOUNT_WORD}(?:\s*[-–@]\s*|\s+)({_HANDLE_LIKE})(?!\w)", re.IGNORECASE), False),
    # In Arabic, Persian or Cyrillic text a Latin word after the platform is its handle: "حسابي على الانستا layla"
    # (in lower case: "انستغرام Deadline" is the start of a sentence)
    (
        re.compile(
            rf"(?<!\w)(?:{_PLATFORM_ARABIC}|{_PLATFORM_CYRILLIC}){_ACCOUNT_WORD}\s*(?::|=|-|–)?\s*"
            rf"({_HANDLE_LIKE}|(?-i:[a-z][a-z0-9]{{2,31}}))(?![\w@])(?!\s+[a-z])",
            re.IGNORECASE,
        ),
        True,
    ),
    # "username: layla_k", "my handle is @layla"
    (
        re.compile(
            rf"\b(?:user\s?name|handle|nick(?:name)?|pseudo|usuario)\s*(?:is|es|est|c'est|:|=)\s*({_HANDLE_LIKE})",
            re.IGNORECASE,
        ),
        False,
    ),
)
# "whatsapp me" but not "ig me too" (ig: "I guess") or "signal me when you're ready".
_CONTACT_ME = re.compile(
    _arabic(
        rf"""
      \b(?:add|text|message|msg|call|find|follow|dm|write|contact|ping|reach|hit)\s+me\s+(?:up\s+)?
        (?:on|in|at|via|through|over)\s+(?:the\s+)?{_PLATFORM}\b
    | \b(?:insta(?:gram)?|snap(?:chat)?|telegram|whats\s?app|viber|discord|tik\s?tok|facebook|skype|wechat|kik)\s+me\b
    | \b(?:agr[eé]game|a[nñ]ádeme|a[nñ]ademe|escr[ií]beme|ll[aá]mame|h[aá]blame|s[ií]gueme|b[uú]scame)\s+
        (?:en|por|al)\s+(?:el\s+)?{_PLATFORM}\b
    | \b(?:ajoute|[ée]cris|appelle|suis|contacte)[-\s]?moi\s+(?:sur|par|via|en)\s+{_PLATFORM}\b
    | (?:راسلني|كلمني|ضيفني|اضفني|ابعتلي|ابعثلي|حاكيني|احكيني|تواصل\s+معي|ارسل\s?لي)\s+(?:على|ع|في|عبر)?\s*{_PLATFORM}
    | {_PLATFORM}\s+(?:\S+\s+)?(?:بهم\s+|به\s+من\s+)?(?:پيام\s+بده|پيام\s+بدي|ادم\s+كن|اد\s+كن|فالوم\s+كن|پي\s?وي)
    | (?:напиши|пиши|додай|добав\w*|подзвони)\s+(?:мені|мне|мене|меня)\s+(?:в|у|на)\s+{_PLATFORM}
    """
    ),
    re.IGNORECASE | re.VERBOSE,
)
# Group mentions ("@everyone") name nobody.
_BARE_HANDLE = re.compile(r"(?<![\w@.])@(?!(?:everyone|here|channel|all)\b)[a-z0-9_][a-z0-9_.]{2,29}\b", re.IGNORECASE)
_DISCORD_TAG = re.compile(r"(?<![\w#])[a-z0-9_.]{2,32}#\d{4}\b", re.IGNORECASE)
# Words that follow "instagram:" or "my snap is" in ordinary talk.
_NOT_HANDLES = frozenset(
    {
        "yes",
        "yeah",
        "yep",
        "nope",
        "not",
        "never",
        "none",
        "nothing",
        "only",
        "just",
        "also",
        "maybe",
        "sometimes",
        "always",
        "often",
        "rarely",
        "the",
        "and",
        "for",
        "but",
        "you",
        "use",
        "used",
        "using",
        "have",
        "has",
        "had",
        "with",
        "why",
        "how",
        "what",
        "when",
        "where",
        "who",
        "which",
        "this",
        "that",
        "same",
        "too",
        "very",
        "really",
        "private",
        "public",
        "blocked",
        "deleted",
        "broken",
        "down",
        "banned",
        "hacked",
        "new",
        "old",
        "empty",
        "closed",
        "open",
        "off",
        "fine",
        "okay",
        "good",
        "bad",
        "great",
        "cool",
        "boring",
        "better",
        "worse",
        "free",
        "paid",
        "safe",
        "unsafe",
        "dangerous",
        "there",
        "here",
        "now",
        "later",
        "today",
        "tomorrow",
        "account",
        "app",
        "group",
        "groups",
        "chat",
        "chats",
        "call",
        "calls",
        "video",
        "videos",
        "message",
        "messages",
        "story",
        "stories",
        "post",
        "posts",
        "profile",
        "photo",
        "photos",
        "pictures",
        "reels",
        "please",
        "thanks",
        "thank",
        "sorry",
        "because",
        "about",
        "like",
        "from",
        "full",
        "mostly",
        "mine",
        "yours",
        "working",
        "offline",
        "online",
        "active",
        "inactive",
        "gone",
        "weird",
        "funny",
        "muy",
        "solo",
        "nada",
        # after a platform name in other scripts: "واتساب web", "телеграм premium"
        "web",
        "business",
        "desktop",
        "premium",
        "bot",
        "bots",
        "channel",
        "channels",
        "marketplace",
        "page",
        "pages",
        "live",
        "reel",
        "lite",
        "plus",
        "status",
        "beta",
        "version",
        "update",
        "settings",
        "ads",
        "instagram",
        "insta",
        "whatsapp",
        "telegram",
        "snapchat",
        "snap",
        "facebook",
        "tiktok",
        "viber",
        "signal",
        "discord",
        "messenger",
        "twitter",
        "linkedin",
    }
)


# Every handle pattern needs "@", "#", one of these words or, in other scripts, one of these stems; most messages
# have none, and looking for them is much cheaper than running the patterns.
_HANDLE_WORDS = _set("""
insta instagram ig snap snapchat telegram tg whats whatsapp signal viber discord tik tiktok facebook fb messenger
skype wechat kik twitter linkedin vk botim user username handle nick nickname pseudo usuario
""")
_HANDLE_STEMS = tuple(
    _arabic("""
واتس وتس نستا نستغ نستق نستج نستك نستگ تلغ تلج تلق تلگ تلك تلي سناب اسنپ فيس تيك تويتر توييتر سنجر سكورد ايبر نال سكاي
لينكد روبيكا ايتا телег вайбер інст инст ватсап вотсап тікток тикток снап діскорд дискорд фейсбук тг
""").split()
)


def _might_have_handles(text: str) -> bool:
    if "@" in text or "#" in text:
        return True
    lower = text.lower()
    if not _HANDLE_WORDS.isdisjoint(_WORD.findall(lower)):
        return True
    return not lower.isascii() and any(stem in lower for stem in _HANDLE_STEMS)


_EMAIL_HINT = re.compile(r"@|\b(?:at|chez|arroba|e-?mail|g-?mail|correo|courriel)\b", re.IGNORECASE)
_LINK_HINT = re.compile(r"[.]|\b(?:dot|punto|point)\b|:\s*/", re.IGNORECASE)


def _handles(text: str) -> Iterable[tuple[int, int]]:
    if not _might_have_handles(text):
        return
    for pattern, check_words in _HANDLE_PATTERNS:
        for match in pattern.finditer(text):
            handle = match.group(1).lower().strip("@.")
            if len(handle) >= 3 and not (check_words and handle in _NOT_HANDLES):
                yield match.start(), match.end()
    for pattern in (_CONTACT_ME, _BARE_HANDLE, _DISCORD_TAG):
        for match in pattern.finditer(text):
            yield match.start(), match.end()


def _emails(text: str) -> Iterable[tuple[int, int]]:
    if not _EMAIL_HINT.search(text):
        return
    for match in _EMAIL_WORD.finditer(text):
        tld = match.group("tld")
        if not (tld and tld.istitle() and len(tld) > 1):  # "I'm at home.It was" is a missing space
            yield match.start(), match.end()
    for pattern in (_EMAIL_SIGN, _EMAIL_PROVIDER, _EMAIL_SAID):
        for match in pattern.finditer(text):
            yield match.start(), match.end()


# --- Putting it together -----------------------------------------------------------------------------

_FINDERS: tuple[tuple[str, Callable[[str], Iterable[tuple[int, int]]]], ...] = (
    (EMAIL, _emails),
    (LINK, _links),
    (PHONE, _phones),
    (HANDLE, _handles),
)


def find_contact_details(text: str) -> list[Finding]:
    """Every contact detail found, in the order they appear. Empty: nothing found."""
    if not text:
        return []
    folded = _fold(text)
    found = sorted((start, end, kind) for kind, finder in _FINDERS for start, end in finder(folded.text) if end > start)
    # Overlapping findings of one kind become one ("add me on insta" + "insta layla_k").
    merged: dict[str, list[list[int]]] = {}
    for start, end, kind in found:
        of_kind = merged.setdefault(kind, [])
        if of_kind and start < of_kind[-1][1]:
            of_kind[-1][1] = max(of_kind[-1][1], end)
        else:
            of_kind.append([start, end])
    order = {kind: i for i, (kind, _) in enumerate(_FINDERS)}
    spans = sorted(
        ((start, end, kind) for kind, of_kind in merged.items() for start, end in of_kind),
        key=lambda span: (span[0] - span[1], order[span[2]]),
    )  # longest first
    # A finding inside a longer one of another kind is not repeated (the number in wa.me/346...).
    kept: list[tuple[int, int, str]] = []
    for start, end, kind in spans:
        if not any(k_start <= start and end <= k_end for k_start, k_end, _ in kept):
            kept.append((start, end, kind))
    return [Finding(kind, folded.original(text, start, end)) for start, end, kind in sorted(kept)]


_KIND_NAMES = {
    PHONE: "a phone number",
    EMAIL: "an e-mail address",
    LINK: "a link",
    HANDLE: "a messenger handle",
}


def reason(findings: Iterable[Finding]) -> str:
    """A plain English summary such as "contains a phone number and an e-mail address" ("" for none)."""
    kinds = dict.fromkeys(finding.kind for finding in findings)
    names = [_KIND_NAMES[kind] for kind in _KIND_NAMES if kind in kinds]
    if not names:
        return ""
    listed = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
    return f"contains {listed}"
