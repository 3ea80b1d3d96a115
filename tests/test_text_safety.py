"""Free text shown to others carries no bidirectional controls or invisible characters: names and titles
are refused with a field error, longer text is stripped (see config/text.py). Persian ZWNJ and emoji ZWJ
sequences are kept."""

import importlib
import inspect
import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st
from rest_framework import serializers

from config.text import NameField, PlainTextField, has_invisible, strip_invisible
from tests.chat.conftest import approved_conversation

RLO, LRI, PDI, ZWSP, ALM, LRM, RLM, BOM = "\u202e", "\u2066", "\u2069", "\u200b", "\u061c", "\u200e", "\u200f", "\ufeff"
SPOOFING = [
    RLO,
    "\u202a",
    "\u202b",
    "\u202c",
    "\u202d",
    LRI,
    "\u2067",
    "\u2068",
    PDI,
    LRM,
    RLM,
    ALM,
    ZWSP,
    "\u2060",
    BOM,
    "\u00ad",
    "\u3164",
    "\u180e",
    "\u2063",
    "\x1b",
    "\x07",
    "\U000e0041",
]
PERSIAN = "می\u200cخواهم"  # "I want", spelled with a zero-width non-joiner
KEPT = [
    PERSIAN,
    "👩\u200d💻",
    "❤\ufe0f",
    "🏴\U000e0067\U000e0062\U000e0073\U000e0063\U000e0074\U000e007f",
    "مرحبا Hello",
    "line one\nline two\ttabbed",
    "Ελένη",
    "Олена",
]


@pytest.mark.parametrize("char", SPOOFING)
def test_each_spoofing_character_is_found_and_stripped(char):
    text = f"Layla{char}gpj.exe"
    assert has_invisible(text)
    assert strip_invisible(text) == "Laylagpj.exe"


@pytest.mark.parametrize("text", KEPT)
def test_persian_zwnj_emoji_joiners_flags_and_ordinary_text_are_kept(text):
    assert not has_invisible(text)
    assert strip_invisible(text) == text


@given(st.text())
def test_stripping_leaves_no_bidi_control_and_is_idempotent(text):
    once = strip_invisible(text)
    assert strip_invisible(once) == once
    assert not any(
        unicodedata.bidirectional(c) in ("LRE", "RLE", "LRO", "RLO", "PDF", "LRI", "RLI", "FSI", "PDI") for c in once
    )
    assert not any(c in once for c in (LRM, RLM, ALM, ZWSP, BOM))


@given(st.text(alphabet=st.characters(exclude_categories=["Cc", "Cf", "Cs", "Zl", "Zp"])))
def test_stripping_changes_nothing_in_text_without_format_characters(text):
    if (
        "\u3164" not in text
        and "\uffa0" not in text
        and "\u115f" not in text
        and "\u1160" not in text
        and "\u034f" not in text
        and "\u17b4" not in text
        and "\u17b5" not in text
    ):
        assert strip_invisible(text) == text


# Every field, through the API ------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("char", [RLO, LRI, ZWSP, ALM])
def test_display_names_with_hidden_characters_are_refused_everywhere(api, org_a, alice, bob, char):
    from rest_framework.test import APIClient

    name = f"Admin{char}nimda"
    signup = APIClient().post(
        "/api/signup/volunteer/",
        {"email": "n@example.org", "password": "a-long-passphrase-1", "display_name": name, "organisation": org_a.pk},
        format="json",
    )
    assert signup.status_code == 400
    assert "display_name" in signup.json()
    for who, path in ((alice, "/api/volunteers/me/"), (bob, "/api/mentees/me/")):
        response = api(who).patch(path, {"display_name": name}, format="json")
        assert response.status_code == 400
        assert "display_name" in response.json()
    alice.user.refresh_from_db()
    assert alice.user.display_name == "Alice"


@pytest.mark.django_db
def test_a_persian_name_with_zwnj_is_accepted(api, alice):
    response = api(alice).patch("/api/volunteers/me/", {"display_name": "مهر\u200cناز"}, format="json")
    assert response.status_code == 200
    assert response.json()["display_name"] == "مهر\u200cناز"


@pytest.mark.django_db
def test_long_texts_are_stored_without_hidden_characters(api, alice, bob, carol, org_a):
    # bios and help requests
    api(alice).patch("/api/volunteers/me/", {"bio": f"I fix{RLO} laptops {PERSIAN}"}, format="json")
    alice.refresh_from_db()
    assert alice.bio == f"I fix laptops {PERSIAN}"
    response = api(bob).post(
        "/api/help-requests/", {"needs": ["cv-writing"], "description": f"CV{LRM} help{RLO}"}, format="json"
    )
    assert response.status_code == 201
    assert response.json()["description"] == "CV help"
    # chat messages and reports, over REST
    conversation = approved_conversation(org_a, alice, bob, carol)
    posted = api(bob).post(
        f"/api/conversations/{conversation.pk}/messages/",
        {"client_id": "c1", "body": f"see{RLO}you {PERSIAN}"},
        format="json",
    )
    assert posted.json()["body"] == f"seeyou {PERSIAN}"
    report = api(alice).post(
        f"/api/messages/{posted.json()['id']}/report/", {"reason": f"spam{ZWSP}{RLO}"}, format="json"
    )
    assert report.json()["reason"] == "spam"


@pytest.mark.django_db
def test_slot_topics_with_hidden_characters_are_refused(api, carol):
    response = api(carol).post(
        "/api/slots/",
        {"topic": f"CV clinic{RLO}", "start": "2031-01-01T10:00:00Z", "end": "2031-01-01T11:00:00Z"},
        format="json",
    )
    assert response.status_code == 400
    assert "topic" in response.json()


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("vocabulary")
async def test_chat_messages_over_the_socket_are_stored_without_hidden_characters(org_a, alice, bob, carol):
    from channels.db import database_sync_to_async

    from chat.models import Message
    from tests.chat.conftest import connect

    conversation = await database_sync_to_async(approved_conversation)(org_a, alice, bob, carol)
    communicator = await connect(conversation.pk, bob)
    await communicator.send_json_to({"type": "message.send", "client_id": "s1", "body": f"hi{RLO}{LRI} {PERSIAN}"})
    for _ in range(3):
        frame = await communicator.receive_json_from(timeout=3)
        if frame["type"] == "message":
            assert frame["body"] == f"hi {PERSIAN}"
            break
    await communicator.disconnect()
    body = await database_sync_to_async(lambda: Message.objects.get(client_id="s1").body)()
    assert body == f"hi {PERSIAN}"


# The whole class: every writable free-text field is one of the two kinds ------------------------

# Serializers only ever used in answers (read-only endpoints, nested read-only parts).
RESPONSE_ONLY = {"LanguageSerializer", "OrganisationSerializer", "PersonRefSerializer", "SenderSerializer"}
NOT_SHOWN_AS_TEXT = {"password", "old_password", "new_password", "email", "client_id", "timezone", "start", "end"}


def _writable_char_fields(serializer, prefix=""):
    for name, field in serializer.fields.items():
        if isinstance(field, serializers.ListSerializer):
            field = field.child
        if isinstance(field, serializers.BaseSerializer):
            if field.read_only:
                continue
            yield from _writable_char_fields(field, f"{prefix}{name}.")
        elif (
            type(field) is serializers.CharField or isinstance(field, NameField | PlainTextField)
        ) and not field.read_only:
            yield f"{prefix}{name}", field


@pytest.mark.django_db
def test_every_writable_free_text_field_refuses_or_strips_hidden_characters():
    unguarded = []
    for module_name in (
        "accounts.serializers",
        "volunteers.serializers",
        "mentees.serializers",
        "scheduling.serializers",
        "chat.serializers",
    ):
        module = importlib.import_module(module_name)
        for _name, cls in inspect.getmembers(module, inspect.isclass):
            if (
                not issubclass(cls, serializers.BaseSerializer)
                or cls.__module__ != module_name
                or cls.__name__ in RESPONSE_ONLY
            ):
                continue
            for path, field in _writable_char_fields(cls()):
                if path.split(".")[-1] not in NOT_SHOWN_AS_TEXT and not isinstance(field, NameField | PlainTextField):
                    unguarded.append(f"{module_name}.{cls.__name__}.{path}")
    assert unguarded == [], "\n".join(unguarded)
