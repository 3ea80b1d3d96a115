"""The matcher's reasons in words, in the reader's language: the one renderer the API and the pages use.

The matcher (``scheduling.matching``) gives structured reasons, stored as they are on
``Pairing.reasons``: ``{"kind": "language", "code": "ar", "level": "native"}``,
``{"kind": "need", "code": "cv-writing"}``, ``{"kind": "overlap", "minutes": 90}`` and
``{"kind": "pinned"}``. Languages are named from the ``Language`` table (the English name, translated),
skills by their translated label. Pairings stored before reasons were structured hold English
sentences: a plain string is shown as it is.
"""

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from django.utils.translation import get_language, gettext, gettext_noop, ngettext

from accounts.selectors import Vocabulary

_SPEAKS = {
    "basic": gettext_noop("speaks %(language)s (basic level)"),
    "fluent": gettext_noop("speaks %(language)s"),
    "native": gettext_noop("speaks %(language)s (native level)"),
}


def _language(reason: Mapping[str, Any], vocabulary: Vocabulary) -> str:
    code = str(reason.get("code", ""))
    english = vocabulary.language_names.get(code) or vocabulary.language_names.get(code.split("-")[0])
    name = gettext(english) if english else code
    return gettext(_SPEAKS.get(reason.get("level", ""), _SPEAKS["fluent"])) % {"language": name}


def _need(reason: Mapping[str, Any], vocabulary: Vocabulary) -> str:
    code = str(reason.get("code", ""))
    label = vocabulary.skill_labels.get(code)  # translated as Skill.translated_label translates it
    return gettext("covers %(skill)s") % {"skill": gettext(label) if label else code}


def _overlap(reason: Mapping[str, Any], vocabulary: Vocabulary) -> str:
    minutes = int(reason.get("minutes", 0))
    return ngettext("%(minutes)d min a week in common", "%(minutes)d min a week in common", minutes) % {
        "minutes": minutes
    }


def _pinned(reason: Mapping[str, Any], vocabulary: Vocabulary) -> str:
    return gettext("pinned by a coordinator")


_RENDERERS: dict[str, Callable[[Mapping[str, Any], Vocabulary], str]] = {
    "language": _language,
    "need": _need,
    "overlap": _overlap,
    "pinned": _pinned,
}


def render_reasons(reasons: Iterable[object], vocabulary: Vocabulary) -> list[str]:
    """One sentence per reason, in the active language.

    A plain string is already a sentence (stored before reasons were structured); a kind this renderer
    does not know yet shows as its kind. A page of proposals repeats the same reasons (a skill, a
    language): each is rendered once per vocabulary (per request) and language.
    """
    texts = []
    language = get_language()
    for reason in reasons:
        if not isinstance(reason, Mapping):
            texts.append(str(reason))
        elif reason.get("kind") in _RENDERERS:
            key = (language, *sorted((name, repr(value)) for name, value in reason.items()))
            text = vocabulary.reason_texts.get(key)
            if text is None:
                text = vocabulary.reason_texts[key] = _RENDERERS[reason["kind"]](reason, vocabulary)
            texts.append(text)
        else:
            texts.append(str(reason.get("kind", "")))
    return texts
