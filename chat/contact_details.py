"""Finding contact details in chat messages (plain Python, no Django).

In a conversation with a minor, a message carrying a way to reach someone outside the platform is held
for a coordinator. `find_contact_details` reports:

- phone: a run of at least seven digits with separators (spaces, . - / ( ) [ ] _ * ~ | dashes, a comma
  directly before a digit). Before searching, the text is folded: NFKC (full-width and other compatibility
  forms), every Unicode decimal digit to ASCII (Arabic-Indic, Persian, Devanagari...), invisible format
  characters (zero-width spaces and joiners, soft hyphen, bidi marks) dropped, digit words in English,
  Spanish and French ("zero seven seven", "cero seis", "zéro six") and "double/triple 7" to digits, and a
  standalone letter O (Latin, Cyrillic or Greek) inside a run read as zero; keycap, circled and other styled
  digits and characters spaced out one by one ("l a y l a") are folded too. Dates (23/11/2026,
  2026-11-23), dotted time ranges (10.00-11.30), year lists (2019-2021), prices with a currency
  (30.000 - 35.000 €) and private IP addresses (192.168.1.10) inside a run do not count towards the seven.
- email: "name@host.tld" and its disguises: at/dot spelled out or bracketed ("(at)", "[at]", "[.]",
  "{dot}"), spaced ("name @ gmail . com"), Spanish "arroba/punto", French "chez/point"; also
  "name at gmail" with a well-known provider and no top-level domain.
- link: http(s)://, www., bare domains with a common top-level domain (instagram.com/name, bit.ly/x,
  discord.gg/x), short links (wa.me, t.me, m.me, x.com, t.co) and spelled ones ("example dot com").
- handle: a platform name (Instagram/insta/ig, Snapchat/snap, Telegram/tg, WhatsApp, Signal, Viber,
  Discord, TikTok, Facebook, LinkedIn... also a few Arabic, Persian and Ukrainian spellings) followed by
  a handle ("insta: @name", "tg ahmad_99", "my snap is layla"), "add me on whatsapp", "whatsapp me",
  "username: x_y", Discord tags (name#1234) and any bare "@name" of three or more characters.

A platform named without a handle ("Do you use WhatsApp?") is not reported. Each `Finding.excerpt` is the
original text as written (digits in their own script, words not yet turned into digits).

It errs on the side of holding, because a coordinator reviews every held message. Known limits:
false positives: any other seven-digit run (student or order numbers, IBANs, long lists of page numbers,
"47,000,000" without a currency), bare domains in ordinary talk ("try google.com"), a missing space after a
full stop before a lower-case TLD-like word ("yes.it works"), "my tiktok is viral" (read as a handle),
"bug#1234" (an old Discord tag), "@school".
False negatives: numbers spoken in tens or teens ("seventy-seven", French "douze"), digit words in other
languages (Arabic, Ukrainian, Farsi), look-alike letters other than O (l or I for 1, S for 5), digit
groups split by a comma and a space ("six one two, three four five"), emoji between digits, numbers
split across several messages, non-ASCII handles, handles with no platform word, "@" or digit
("add me, I'm layla"), requests that carry no detail ("what's your snap?"), and text in images.
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

_NUMBER_WORDS = {
    # English
    "zero": "0", "nought": "0", "oh": "0", "one": "1", "two": "2", "three": "3", "four": "4", "five": "5",
    "six": "6", "seven": "7", "eight": "8", "nine": "9",
    # Spanish
    "cero": "0", "uno": "1", "dos": "2", "tres": "3", "cuatro": "4", "cinco": "5", "seis": "6", "siete": "7",
    "ocho": "8", "nueve": "9",
    # French ("six" is shared with English)
    "zéro": "0", "un": "1", "deux": "2", "trois": "3", "quatre": "4", "cinq": "5", "sept": "7", "huit": "8",
    "neuf": "9",
}
_WORD = re.compile(r"[^\W\d_]+")
# A word made only of digit words ("zeroseven") is a number written without spaces.
_GLUED_NUMBER_WORDS = re.compile(
    "(?:" + "|".join(sorted((w for w in _NUMBER_WORDS if len(w) > 2), key=len, reverse=True)) + "){2,}",
    re.IGNORECASE,
)
_GLUED_WORD = re.compile("|".join(sorted((w for w in _NUMBER_WORDS if len(w) > 2), key=len, reverse=True)),
                         re.IGNORECASE)
# "sept" is also September: "13 sept 2026" stays a date.
_YEAR_AHEAD = re.compile(r"\.?\s*(?:\d{1,2}\s*,?\s*)?(?:19|20)\d{2}\b")
# Four or more single characters spaced out ("l a y l a", "0 7 7 1") are read as one word.
_SPACED_OUT = re.compile(r"(?<!\S)\S(?: \S){3,}(?!\S)")
_REPEAT = re.compile(r"\b(double|doble|triple)\s+(\d)", re.IGNORECASE)
_REPEATS = {"double": 2, "doble": 2, "triple": 3}


@dataclass(frozen=True)
class _Folded:
    text: str
    spans: tuple[tuple[int, int], ...]  # for each folded character, the original span it came from

    def original(self, original: str, start: int, end: int) -> str:
        return original[self.spans[start][0]:self.spans[end - 1][1]]


def _fold_characters(text: str) -> _Folded:
    chars: list[str] = []
    spans: list[tuple[int, int]] = []
    i, n = 0, len(text)
    while i < n:
        j = i + 1
        while j < n and unicodedata.category(text[j])[0] == "M":  # a letter with its accents (e + ́ -> é)
            j += 1
        if unicodedata.category(text[i]) == "Cf":  # zero-width and bidi characters hide nothing else
            i = j
            continue
        chunk = unicodedata.normalize("NFKC", text[i:j])
        if chunk[:1].isdecimal():  # keycap emoji 6️⃣: the digit without its marks
            chunk = "".join(c for c in chunk if unicodedata.category(c)[0] != "M")
        for char in chunk:
            if char.isdecimal():
                char = str(unicodedata.decimal(char))  # ٧ ۷ ७ -> 7
            chars.append(char)
            spans.append((i, j))
        i = j
    return _Folded("".join(chars), tuple(spans))


def _rewrite(folded: _Folded, matches: Iterable[tuple[re.Match[str], str | None]]) -> _Folded:
    """Replace each match by its new text; every new character points at the whole original match."""
    chars: list[str] = []
    spans: list[tuple[int, int]] = []
    last = 0
    for match, new in matches:
        if new is None:
            continue
        chars.append(folded.text[last:match.start()])
        spans.extend(folded.spans[last:match.start()])
        span = (folded.spans[match.start()][0], folded.spans[match.end() - 1][1])
        chars.append(new)
        spans.extend([span] * len(new))
        last = match.end()
    chars.append(folded.text[last:])
    spans.extend(folded.spans[last:])
    return _Folded("".join(chars), tuple(spans))


def _digit_word(text: str) -> Callable[[re.Match[str]], str | None]:
    def replace(match: re.Match[str]) -> str | None:
        word = match.group().lower()
        if word == "sept" and _YEAR_AHEAD.match(text, match.end()):
            return None
        if word in _NUMBER_WORDS:
            return _NUMBER_WORDS[word]
        if _GLUED_NUMBER_WORDS.fullmatch(word):
            return "".join(_NUMBER_WORDS[w.group().lower()] for w in _GLUED_WORD.finditer(word))
        return None

    return replace


def _fold(text: str) -> _Folded:
    folded = _fold_characters(text)
    replace = _digit_word(folded.text)
    folded = _rewrite(folded, ((m, replace(m)) for m in _WORD.finditer(folded.text)))
    folded = _rewrite(folded, ((m, m.group().replace(" ", "")) for m in _SPACED_OUT.finditer(folded.text)))
    return _rewrite(folded, ((m, m.group(2) * _REPEATS[m.group(1).lower()]) for m in _REPEAT.finditer(folded.text)))


def normalise(text: str) -> str:
    """The text the patterns see: compatibility forms, other digit scripts, invisible characters and
    digit words folded."""
    return _fold(text).text


# --- Phone numbers -----------------------------------------------------------------------------------

_OS = "OoОоΟο"  # Latin, Cyrillic and Greek O
_ZEROS = rf"(?<![^\W\d_])[{_OS}]++(?![^\W\d_])"  # O's standing alone (not in a word) are zeros: "O77OO"
_DIGITISH = rf"(?:\d|{_ZEROS})"
_SEP = r"(?:[\s.\-/()\[\]_*~|·•\u2010-\u2015\u2212]|,(?=\d))"
_PHONE_RUN = re.compile(rf"(?:\+|\(\+?)?{_DIGITISH}(?:{_SEP}{{0,3}}{_DIGITISH}){{{MIN_PHONE_DIGITS - 1},}}")
_AMOUNT = r"\d{1,3}(?:[., ]\d{3})+(?:[.,]\d{1,2})?|\d+(?:[.,]\d{1,2})?"
_CURRENCY_SIGN = r"[€$£₴₺]"
_CURRENCY_WORD = (r"(?:[€$£₴₺]|(?:eur|euros?|dollars?|usd|pounds?|gbp|uah|hryvnias?|грн|lira|liras|dirhams?|dh|mad|"
                  r"egp|syp|k)\b)")
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
# Other number shapes that are not phone numbers.
_NOT_PHONES = re.compile(
    rf"""
      (?<![\d.\-/])(?:19|20)\d{{2}}(?P<s>[./-])\d{{1,2}}(?P=s)\d{{1,2}}(?![\d]|[./-]\d)          # 2026-11-23
    | (?<![\d.])\d{{1,2}}\.\d{{2}}\s*[-–]\s*\d{{1,2}}\.\d{{2}}(?![\d]|\.\d)                   # 10.00-11.30
    | (?<!\d)(?:19|20)\d{{2}}(?:\s*(?:[-–/,&]|and|or|to|y|o|et|ou|і|и|та|або)\s*(?:(?:19|20)\d{{2}}|\d{{2}}))+(?!\d)
    | {_CURRENCY_SIGN}\s*(?:{_AMOUNT})(?:\s*[-–]\s*{_CURRENCY_SIGN}?\s*(?:{_AMOUNT}))?             # €30,000-€35,000
    | (?<![\d.,])(?:{_AMOUNT})(?:\s*[-–]\s*(?:{_AMOUNT}))?\s*{_CURRENCY_WORD}                    # 30.000 - 35.000 €
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
        benign[match.start():match.end()] = b"\x01" * (match.end() - match.start())
    return benign


def _phones(text: str) -> Iterable[tuple[int, int]]:
    benign = _benign_positions(text)  # their digits do not count towards a run's seven
    for match in _PHONE_RUN.finditer(text):
        counted = [c for i, c in enumerate(match.group(), match.start()) if not benign[i] and (c.isdigit() or c in _OS)]
        real_digits = sum(c.isdigit() for c in counted)
        if len(counted) >= MIN_PHONE_DIGITS and real_digits >= 5:  # a few O's, not "o o o o o o o"
            yield match.start(), match.end()


# --- E-mail addresses and links ----------------------------------------------------------------------

_TLDS = (r"com|net|org|info|biz|edu|gov|eu|es|it|gr|fr|de|uk|co|io|me|cy|ua|ru|tr|ma|eg|ir|af|ly|pk|in|ch|nl|"
         r"pt|pl|ro|se|ie|us|ca|au|app|dev|xyz|online|site|link|live|page|to|tv|gg|ai|ps|sy|iq|tn|dz")
# After a spelled-out dot only TLDs that are not everyday words ("point de vue", "el punto es", "dot to dot").
_SPELLED_TLDS = r"com|net|org|info|biz|edu|gov|eu|io|ly|gg|xyz|uk|gr|cy|ua|ru|fr|app|dev|online"
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

_LINK = re.compile(
    rf"""
      \b(?:https?|hxxps?|ftp)\s*:\s*//\S+
    | \bwww\s*(?:\.|{_DOT_BRACKETED}|\s+dot\s+)\S+
    | \b(?:wa|t|m|x|g|fb)\s*(?:\.|{_DOT_BRACKETED}|\s+(?:dot|punto|point)\s+)(?:me|com|co)\b(?:/\S*)?
    | (?<![\w@.\-])(?:{_LABEL}\.)+(?P<tld>{_TLDS})\b(?![.\-]?\w)(?:/\S*)?
    | (?<![\w@.\-])(?:{_LABEL}\.)*{_LABEL}{_DOT_BRACKETED}(?:{_TLDS})\b(?:/\S*)?
    | (?<![\w@.\-])(?:{_LABEL}\.)*{_LABEL}{_DOT_SPELLED}(?:{_SPELLED_TLDS})\b(?:/\S*)?
    """,
    re.IGNORECASE | re.VERBOSE,
)
_NOT_LINKS = {"asp.net", "vb.net", "ado.net"}
_TRAILING_PUNCTUATION = ".,;:!?)]}'\"»"


def _links(text: str) -> Iterable[tuple[int, int]]:
    for match in _LINK.finditer(text):
        tld = match.group("tld")
        if tld and tld.istitle() and len(tld) > 1:  # "finished.It was" is a missing space, not a domain
            continue
        if match.group().lower() in _NOT_LINKS:
            continue
        end = match.end()
        while end > match.start() + 1 and text[end - 1] in _TRAILING_PUNCTUATION:
            end -= 1
        yield match.start(), end


# --- Messenger handles -------------------------------------------------------------------------------

_PLATFORM = (
    r"(?:insta(?:gram)?|ig|snap(?:chat)?|telegram|tg|whats\s?app|signal|viber|discord|tik\s?tok|facebook|fb|"
    r"messenger|skype|wechat|kik|twitter|linkedin|vk|botim|"
    r"واتساب|واتس\s?اب|واتس|واتساپ|انستا|انستغرام|انستجرام|اینستاگرام|اینستا|تلغرام|تليجرام|تيليجرام|تلگرام|"
    r"سناب(?:\s?شات)?|فيسبوك|تيك\s?توك|"
    r"телеграм\w*|вайбер\w*|інстаграм\w*|інста|инстаграм\w*|ватсап\w*|вотсап\w*|тікток\w*|тикток\w*|тг)"
)
_TOKEN = r"@?[a-z0-9_.]{3,32}(?:#\d{4})?"
# A token is handle-like on its own when it has a digit, "_", "." or "@" (not a plain word like "group").
_HANDLE_LIKE = r"(?:@[a-z0-9_.]{3,32}|(?=[a-z0-9_.]*[a-z])(?=[a-z0-9_.]*[0-9_.])[a-z0-9_.]{3,32})(?:#\d{4})?"
_ACCOUNT_WORD = r"(?:\s+(?:id|name|user\s?name|handle|account|acc|nick|is|es|est|c'est|ist|è|=))*"
_HANDLE_PATTERNS = (
    # "insta: layla", "snapchat username: layla", "tg => ahmad"
    (re.compile(rf"\b{_PLATFORM}{_ACCOUNT_WORD}\s*(?::|=|->|→|=>)\s*({_TOKEN})", re.IGNORECASE), True),
    # "my snap is layla", "mi insta es layla", "mon snap c'est layla"
    (re.compile(rf"\b(?:my|mi|mon|ma)\s+{_PLATFORM}(?:\s+(?:id|name|user\s?name|handle|account|nick))?"
                rf"\s+(?:is|es|est|c'est|ist|è|=)\s+({_TOKEN})", re.IGNORECASE), True),
    # "ig @layla", "tg ahmad_99", "snapchat is layla2009", "tiktok - @sofiia.dance"
    (re.compile(rf"\b{_PLATFORM}{_ACCOUNT_WORD}(?:\s*[-–@]\s*|\s+)({_HANDLE_LIKE})(?!\w)", re.IGNORECASE), False),
    # "username: layla_k", "my handle is @layla"
    (re.compile(rf"\b(?:user\s?name|handle|nick(?:name)?|pseudo|usuario)\s*(?:is|es|est|c'est|:|=)\s*({_HANDLE_LIKE})",
                re.IGNORECASE), False),
)
# "whatsapp me" but not "ig me too" (ig: "I guess") or "signal me when you're ready".
_CONTACT_ME = re.compile(
    rf"""
      \b(?:add|text|message|msg|call|find|follow|dm|write|contact|ping|reach|hit)\s+me\s+(?:up\s+)?
        (?:on|in|at|via|through|over)\s+(?:the\s+)?{_PLATFORM}\b
    | \b(?:insta(?:gram)?|snap(?:chat)?|telegram|whats\s?app|viber|discord|tik\s?tok|facebook|skype|wechat|kik)\s+me\b
    | \b(?:agr[eé]game|a[nñ]ádeme|a[nñ]ademe|escr[ií]beme|ll[aá]mame|h[aá]blame|s[ií]gueme|b[uú]scame)\s+
        (?:en|por|al)\s+(?:el\s+)?{_PLATFORM}\b
    | \b(?:ajoute|[ée]cris|appelle|suis|contacte)[-\s]?moi\s+(?:sur|par|via|en)\s+{_PLATFORM}\b
    | (?:راسلني|كلمني|ضيفني|اضفني|أضفني)\s+(?:على|ع|في)?\s*{_PLATFORM}
    | (?:напиши|пиши|додай|добав\w*|подзвони)\s+(?:мені|мне|мене|меня)\s+(?:в|у|на)\s+{_PLATFORM}
    """,
    re.IGNORECASE | re.VERBOSE,
)
# Group mentions ("@everyone") name nobody.
_BARE_HANDLE = re.compile(r"(?<![\w@.])@(?!(?:everyone|here|channel|all)\b)[a-z0-9_][a-z0-9_.]{2,29}\b", re.IGNORECASE)
_DISCORD_TAG = re.compile(r"(?<![\w#])[a-z0-9_.]{2,32}#\d{4}\b", re.IGNORECASE)
# Words that follow "instagram:" or "my snap is" in ordinary talk.
_NOT_HANDLES = frozenset({
    "yes", "yeah", "yep", "nope", "not", "never", "none", "nothing", "only", "just", "also", "maybe", "sometimes",
    "always", "often", "rarely", "the", "and", "for", "but", "you", "use", "used", "using", "have", "has", "had",
    "with", "why", "how", "what", "when", "where", "who", "which", "this", "that", "same", "too", "very", "really",
    "private", "public", "blocked", "deleted", "broken", "down", "banned", "hacked", "new", "old", "empty",
    "closed", "open", "off", "fine", "okay", "good", "bad", "great", "cool", "boring", "better", "worse", "free",
    "paid", "safe", "unsafe", "dangerous", "there", "here", "now", "later", "today", "tomorrow", "account", "app",
    "group", "groups", "chat", "chats", "call", "calls", "video", "videos", "message", "messages", "story",
    "stories", "post", "posts", "profile", "photo", "photos", "pictures", "reels", "please", "thanks", "thank",
    "sorry", "because", "about", "like", "from", "full", "mostly", "mine", "yours", "working", "offline", "online",
    "active", "inactive", "gone", "weird", "funny", "muy", "solo", "nada",
})


def _handles(text: str) -> Iterable[tuple[int, int]]:
    for pattern, check_words in _HANDLE_PATTERNS:
        for match in pattern.finditer(text):
            handle = match.group(1).lower().strip("@.")
            if len(handle) >= 3 and not (check_words and handle in _NOT_HANDLES):
                yield match.start(), match.end()
    for pattern in (_CONTACT_ME, _BARE_HANDLE, _DISCORD_TAG):
        for match in pattern.finditer(text):
            yield match.start(), match.end()


def _emails(text: str) -> Iterable[tuple[int, int]]:
    for match in _EMAIL_WORD.finditer(text):
        tld = match.group("tld")
        if not (tld and tld.istitle() and len(tld) > 1):  # "I'm at home.It was" is a missing space
            yield match.start(), match.end()
    for pattern in (_EMAIL_SIGN, _EMAIL_PROVIDER, _EMAIL_SAID):
        for match in pattern.finditer(text):
            yield match.start(), match.end()


# --- Putting it together -----------------------------------------------------------------------------

_FINDERS: tuple[tuple[str, Callable[[str], Iterable[tuple[int, int]]]], ...] = (
    (EMAIL, _emails), (LINK, _links), (PHONE, _phones), (HANDLE, _handles),
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
    spans = sorted(((start, end, kind) for kind, of_kind in merged.items() for start, end in of_kind),
                   key=lambda span: (span[0] - span[1], order[span[2]]))  # longest first
    # A finding inside a longer one of another kind is not repeated (the number in wa.me/346...).
    kept: list[tuple[int, int, str]] = []
    for start, end, kind in spans:
        if not any(k_start <= start and end <= k_end for k_start, k_end, _ in kept):
            kept.append((start, end, kind))
    return [Finding(kind, folded.original(text, start, end)) for start, end, kind in sorted(kept)]


_KIND_NAMES = {
    PHONE: "a phone number", EMAIL: "an e-mail address", LINK: "a link", HANDLE: "a messenger handle",
}


def reason(findings: Iterable[Finding]) -> str:
    """A plain English summary such as "contains a phone number and an e-mail address" ("" for none)."""
    kinds = dict.fromkeys(finding.kind for finding in findings)
    names = [_KIND_NAMES[kind] for kind in _KIND_NAMES if kind in kinds]
    if not names:
        return ""
    listed = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
    return f"contains {listed}"
