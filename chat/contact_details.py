"""Finding contact details in chat messages (plain Python, no Django).

In a conversation with a minor, a message carrying a way to reach someone outside the platform is held
for a coordinator. This finds phone numbers, e-mail addresses, links and messenger handles, including
disguised ones: digits spaced out or spelled as words (English, Spanish, French), letter O for zero,
Arabic-Indic, Persian and full-width digits, zero-width characters, "name at gmail dot com",
"name[at]gmail[.]com", "wa.me/…", "insta: @name".

It errs on the side of holding (a coordinator reviews every held message): any run of seven or more
digits counts as a phone number unless it is clearly a date or a time range. Known limits: numbers
written partly in other scripts' number words, and handles given without any platform word or "@",
are not found.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass


@dataclass(frozen=True)
class Finding:
    kind: str  # "phone" | "email" | "link" | "handle"
    excerpt: str


# Arabic-Indic and extended (Persian) digits; NFKC already folds full-width digits.
_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")
_INVISIBLE = re.compile(r"[\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff\u00ad]")
_NUMBER_WORDS = {
    # English
    "zero": "0", "oh": "0", "one": "1", "two": "2", "three": "3", "four": "4", "five": "5", "six": "6",
    "seven": "7", "eight": "8", "nine": "9",
    # Spanish
    "cero": "0", "uno": "1", "dos": "2", "tres": "3", "cuatro": "4", "cinco": "5", "seis": "6", "siete": "7",
    "ocho": "8", "nueve": "9",
    # French
    "zéro": "0", "un": "1", "deux": "2", "trois": "3", "quatre": "4", "cinq": "5", "sept": "7", "huit": "8",
    "neuf": "9",
}
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)

# Runs of digits with separators between them; O/o between digits is read as zero.
_PHONE_RUN = re.compile(r"\+?(?:[0-9Oo][\s.\-/()_,]{0,3}){6,}[0-9Oo]")
_DATE = re.compile(r"^\d{1,4}[./-]\d{1,2}[./-]\d{1,4}$")
_TIME_RANGE = re.compile(r"^\d{1,2}[:.]\d{2}\s*-\s*\d{1,2}[:.]\d{2}$")
_YEAR_RANGE = re.compile(r"^(19|20)\d{2}\s*[-/]\s*(19|20)\d{2}$")

_AT = r"(?:@|\s*[\(\[\{<]\s*(?:at|arroba|chez)\s*[\)\]\}>]\s*|\s+(?:at|arroba|chez)\s+)"
_DOT = r"(?:\.|\s*[\(\[\{<]\s*(?:dot|punto|point|\.)\s*[\)\]\}>]\s*|\s+(?:dot|punto|point)\s+|\s+\.\s+)"
_EMAIL = re.compile(
    rf"[a-z0-9][a-z0-9._%+\-]*\s*{_AT}\s*[a-z0-9\-]+(?:{_DOT}[a-z0-9\-]+)*{_DOT}(?:com|net|org|es|it|gr|fr|de|uk|"
    r"co|io|me|info|edu|gov|cy|ua|ru|tr|ma|eg|sy|iq|ir|af|ly|tn|dz|sn|ml|er|et|so|ng|eu|app|email|mail)\b",
    re.IGNORECASE,
)
_TLDS = (r"com|net|org|es|it|gr|fr|de|uk|co|io|me|info|eu|ly|gg|cy|ua|ru|tr|app|link|page|site|online|xyz|to|"
         r"tv|live|chat")
_LINK = re.compile(
    rf"(?:https?://\S+|www\.\S+|\b(?:wa\.me|t\.me|m\.me|bit\.ly|discord\.gg|chat\.whatsapp\.com)/\S*"
    rf"|\b[a-z0-9][a-z0-9\-]{{1,62}}(?:\.[a-z0-9\-]{{1,62}})*(?:\.|\s+(?:dot|punto|point)\s+)(?:{_TLDS})\b(?:/\S*)?)",
    re.IGNORECASE,
)
_PLATFORMS = (r"insta(?:gram)?|ig|snap(?:chat)?|telegram|tg|whats\s?app|signal|viber|discord|tiktok|"
              r"facebook|fb|messenger|skype|wechat|kik")
# "insta: name", "tg - name", "ig @name"
_HANDLE_MARKED = re.compile(
    rf"\b(?:{_PLATFORMS})\b\s*(?:[:=]|->|-|@)\s*@?([a-z0-9_.]{{3,32}}(?:#\d{{4}})?)", re.IGNORECASE
)
# "my snap is name123": after "is" only something that looks like a handle (a digit, _ or . inside, or @)
_HANDLE_SAID = re.compile(
    rf"\b(?:{_PLATFORMS})\b\s+(?:is|es|est|ist|è)\s+(@[a-z0-9_.]{{3,32}}|[a-z0-9]*[0-9_.][a-z0-9_.]*)",
    re.IGNORECASE,
)
_CONTACT_ME = re.compile(
    rf"\b(?:add|text|message|msg|call|find|follow|dm|write|contact|ping)\s+me\s+(?:on|in|at|via|en|sur)\s+(?:{_PLATFORMS})\b"
    rf"|\b(?:{_PLATFORMS})\s+me\b",
    re.IGNORECASE,
)
_BARE_HANDLE = re.compile(r"(?<![\w@.])@([a-z0-9_][a-z0-9_.]{2,29})\b", re.IGNORECASE)
_DISCORD_TAG = re.compile(r"\b[a-z0-9_.]{2,32}#\d{4}\b", re.IGNORECASE)
# Words that follow a platform name in ordinary talk and are not handles.
_NOT_HANDLES = {
    "and", "the", "for", "but", "you", "use", "have", "has", "not", "account", "group", "app", "too", "yet",
    "any", "this", "that", "with", "was", "are", "can", "does", "did", "don", "doesn", "isn", "very", "really",
    "please", "maybe", "later", "now", "today", "here", "there", "then", "also", "only", "just", "message",
    "messages", "video", "videos", "call", "calls", "chat", "story", "stories", "post", "posts", "profile",
    "much", "sometimes", "every", "never", "always", "because", "though", "though.", "either", "neither",
}


def normalise(text: str) -> str:
    """Fold the disguises that hide digits and letters: compatibility forms, other digit scripts,
    invisible characters, and digits written as words."""
    text = unicodedata.normalize("NFKC", text).translate(_DIGITS)
    text = _INVISIBLE.sub("", text)

    def digit_word(match: re.Match) -> str:
        return _NUMBER_WORDS.get(match.group().lower(), match.group())

    return _WORD.sub(digit_word, text)


def _phone_findings(text: str) -> list[Finding]:
    found = []
    for match in _PHONE_RUN.finditer(text):
        excerpt = match.group().strip(" .-/(),_")
        digits = re.sub(r"[^0-9Oo]", "", excerpt)
        if sum(c.isdigit() for c in digits) < 5 or len(digits) < 7:
            continue
        if _DATE.match(excerpt) or _TIME_RANGE.match(excerpt) or _YEAR_RANGE.match(excerpt):
            continue
        found.append(Finding("phone", excerpt))
    return found


def find_contact_details(text: str) -> list[Finding]:
    """Every contact detail found, in the order of kinds: phone, e-mail, link, handle. Empty: none."""
    if not text:
        return []
    plain = normalise(text)
    findings = _phone_findings(plain)
    emails = [m.group() for m in _EMAIL.finditer(plain)]
    findings += [Finding("email", e) for e in emails]
    for match in _LINK.finditer(plain):
        if not any(match.group() in e or e in match.group() for e in emails):
            findings.append(Finding("link", match.group()))
    for pattern in (_HANDLE_MARKED, _HANDLE_SAID):
        for match in pattern.finditer(plain):
            handle = match.group(1).lower().strip(".@")
            if len(handle) >= 3 and handle not in _NOT_HANDLES:
                findings.append(Finding("handle", match.group()))
    findings += [Finding("handle", m.group()) for m in _CONTACT_ME.finditer(plain)]
    findings += [Finding("handle", m.group()) for m in _BARE_HANDLE.finditer(plain)
                 if not any(m.group(1) in e for e in emails)]
    findings += [Finding("handle", m.group()) for m in _DISCORD_TAG.finditer(plain)]
    return findings


_KIND_NAMES = {
    "phone": "a phone number", "email": "an e-mail address", "link": "a link", "handle": "a messenger handle",
}


def reason(findings: list[Finding]) -> str:
    """A short summary, e.g. "contains a phone number and an e-mail address"."""
    kinds = list(dict.fromkeys(f.kind for f in findings))
    names = [_KIND_NAMES[kind] for kind in kinds]
    if not names:
        return ""
    listed = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
    return f"contains {listed}"
