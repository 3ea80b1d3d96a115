"""The matcher's structured reasons in words: scheduling.reasons.render_reasons."""

import pytest
from django.utils import translation

from accounts.selectors import Vocabulary
from scheduling.reasons import render_reasons

pytestmark = pytest.mark.django_db


def test_it_words_every_kind_of_reason():
    reasons = [
        {"kind": "language", "code": "ar", "level": "fluent"},
        {"kind": "need", "code": "cv-writing"},
        {"kind": "need", "code": "python"},
        {"kind": "overlap", "minutes": 90},
        {"kind": "pinned"},
    ]
    assert render_reasons(reasons, Vocabulary()) == [
        "speaks Arabic",
        "covers CV writing",
        "covers Python programming",
        "90 min a week in common",
        "pinned by a coordinator",
    ]


def test_it_says_the_level_unless_it_is_fluent():
    levels = [{"kind": "language", "code": "uk", "level": level} for level in ("basic", "fluent", "native")]
    assert render_reasons(levels, Vocabulary()) == [
        "speaks Ukrainian (basic level)",
        "speaks Ukrainian",
        "speaks Ukrainian (native level)",
    ]


def test_it_names_every_language_of_the_vocabulary():
    # Bambara and Persian (Farsi) read "speaks bm" and "speaks Persian" from the matcher's own old table
    reasons = [
        {"kind": "language", "code": "bm", "level": "native"},
        {"kind": "language", "code": "fa", "level": "fluent"},
    ]
    assert render_reasons(reasons, Vocabulary()) == ["speaks Bambara (native level)", "speaks Persian (Farsi)"]


def test_it_falls_back_to_the_code_outside_the_vocabulary():
    reasons = [
        {"kind": "language", "code": "ar-sy", "level": "fluent"},
        {"kind": "language", "code": "xx", "level": "fluent"},
        {"kind": "need", "code": "knitting"},
    ]
    assert render_reasons(reasons, Vocabulary()) == ["speaks Arabic", "speaks xx", "covers knitting"]


@pytest.mark.parametrize(
    ("language", "arabic", "english"), [("es", "Árabe", "Inglés"), ("ar", "العربيّة", "الإنجليزيّة")]
)
def test_it_names_languages_in_the_readers_language(language, arabic, english):
    reasons = [
        {"kind": "language", "code": "ar", "level": "native"},
        {"kind": "language", "code": "en", "level": "basic"},
    ]
    with translation.override(language):
        texts = render_reasons(reasons, Vocabulary())
    assert arabic in texts[0]
    assert english in texts[1]
    assert not any("Arabic" in text or "English" in text for text in texts)


def test_it_shows_reasons_stored_as_sentences_as_they_are():
    old = ["speaks Arabic (native level)", "covers cv-writing, python", "90 min a week in common"]
    assert render_reasons(old, Vocabulary()) == old


def test_it_shows_a_kind_it_does_not_know_by_its_name():
    assert render_reasons([{"kind": "distance", "km": 3}], Vocabulary()) == ["distance"]


def test_it_reads_the_vocabulary_once_however_many_reasons(django_assert_num_queries):
    vocabulary = Vocabulary()
    reasons = [{"kind": "language", "code": "ar", "level": "fluent"}, {"kind": "need", "code": "cv-writing"}]
    with django_assert_num_queries(2):  # languages, skills
        for _ in range(20):
            render_reasons(reasons, vocabulary)
    with django_assert_num_queries(0):
        render_reasons(["covers cv-writing"], Vocabulary())


@pytest.mark.parametrize(
    ("language", "covers", "minutes"),
    [
        ("es", "cubre", "min a la semana en común"),
        ("ar", "يغطي", "دقيقة مشتركة في الأسبوع"),
        ("uk", "допомагає з", "хв на тиждень спільно"),
    ],
)
def test_it_writes_the_whole_sentence_in_the_readers_language(language, covers, minutes):
    reasons = [{"kind": "need", "code": "cv-writing"}, {"kind": "overlap", "minutes": 90}]
    with translation.override(language):
        texts = render_reasons(reasons, Vocabulary())
    assert texts[0].startswith(covers)
    assert minutes in texts[1]
    assert "90" in texts[1]


def test_a_repeated_reason_is_worded_once_per_language_and_values_stay_apart(monkeypatch):
    from scheduling import reasons as module

    worded = []
    need = module._RENDERERS["need"]
    monkeypatch.setitem(
        module._RENDERERS, "need", lambda reason, vocabulary: worded.append(1) or need(reason, vocabulary)
    )
    vocabulary = Vocabulary()
    page = [{"kind": "need", "code": "python"}, {"kind": "need", "code": "python"}, {"kind": "need", "code": "housing"}]
    words = ["covers Python programming", "covers Python programming", "covers Housing search"]
    assert render_reasons(page * 5, vocabulary) == words * 5
    assert len(worded) == 2
    with translation.override("es"):
        spanish = render_reasons(page[:1], vocabulary)
    assert spanish != ["covers Python programming"]
    assert len(worded) == 3
    overlaps = render_reasons([{"kind": "overlap", "minutes": 90}, {"kind": "overlap", "minutes": "90"}], vocabulary)
    assert overlaps == ["90 min a week in common"] * 2
