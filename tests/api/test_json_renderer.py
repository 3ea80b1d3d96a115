"""The API's JSON answers (config.renderers.JSONRenderer, orjson) are the text DRF's JSONRenderer writes."""

import datetime
import decimal
import json
import uuid
import zoneinfo
from collections import OrderedDict

import orjson
import pytest
from django.db import models
from django.utils.translation import gettext_lazy
from hypothesis import given, settings
from hypothesis import strategies as st
from rest_framework import renderers
from rest_framework.utils.serializer_helpers import ReturnDict, ReturnList

from accounts.models import User
from config import renderers as project_renderers
from config.renderers import JSONRenderer


def drf(data, media_type: str | None = None, context: dict | None = None) -> bytes:
    return renderers.JSONRenderer().render(data, media_type, context)


def ours(data, media_type: str | None = None, context: dict | None = None) -> bytes:
    return JSONRenderer().render(data, media_type, context)


def outcome(render, data):
    try:
        return render(data)
    except Exception as exc:  # noqa: BLE001  the same refusal is part of the same answer
        return type(exc)


class Colour(models.TextChoices):
    RED = "red", "Red"


class Level(models.IntegerChoices):
    HIGH = 2, "High"


EVERY_KIND = {
    "text": 'Plain, accentué, عربي, 中文, emoji 🙂, quote " backslash \\ tab \t newline \n nul \x00',
    "line ends for JavaScript": "a\u2028b\u2029c",
    "numbers": [0, -1, 2**63 - 1, -(2**63), 2**64 - 1, 0.1, -2.5, 100.0, 1e300],
    "flags": [True, False, None],
    "nested": {"list": [[], {}, [1, [2, [3]]]], "tuple": (1, "two"), "empty": ""},
    "ordered": OrderedDict([("z", 1), ("a", 2)]),
    "serializer output": ReturnDict({"id": 1, "items": ReturnList([{"x": 1}], serializer=None)}, serializer=None),
    "aware": datetime.datetime(2026, 12, 6, 23, 5, 1, 123456, tzinfo=datetime.UTC),
    "aware elsewhere": datetime.datetime(2026, 3, 29, 2, 30, tzinfo=zoneinfo.ZoneInfo("Asia/Beirut")),
    "naive": datetime.datetime(2026, 1, 2, 3, 4, 5),  # noqa: DTZ001  DRF writes a naive one too
    "date": datetime.date(2026, 2, 28),
    "time": datetime.time(9, 30, 15, 500),
    "duration": datetime.timedelta(days=1, seconds=3),
    "decimal": decimal.Decimal("12.50"),
    "uuid": uuid.UUID("12345678-1234-5678-1234-567812345678"),
    "lazy": gettext_lazy("Invalid token."),
    "bytes": b"bytes",
    "set": {3},
    "choices": [Colour.RED, Level.HIGH],
}


def test_every_kind_of_value_the_api_answers_with_is_drfs_text_byte_for_byte():
    assert ours(EVERY_KIND) == drf(EVERY_KIND)
    for name, value in EVERY_KIND.items():
        assert ours({name: value}) == drf({name: value}), name


def test_what_orjson_refuses_is_written_by_drf():
    for data in ({"wide": 2**70}, {"negative wide": -(2**64)}, {1: "a key that is a number", None: 2, 2.5: True}):
        assert ours(data) == drf(data)
    assert outcome(ours, {(1,): "a tuple key"}) is outcome(drf, {(1,): "a tuple key"}) is TypeError
    loop: list = []
    loop.append(loop)
    assert outcome(ours, loop) is outcome(drf, loop) is ValueError  # json's "Circular reference detected"
    assert outcome(ours, {"lone surrogate": "\ud800"}) is outcome(drf, {"lone surrogate": "\ud800"})
    assert outcome(ours, {"no json": object()}) is outcome(drf, {"no json": object()}) is TypeError


def test_an_indented_answer_is_drfs():
    data = {"a": [1, {"b": "é"}]}
    assert ours(data, "application/json; indent=4") == drf(data, "application/json; indent=4")
    assert ours(data, "application/json", {"indent": 2}) == drf(data, "application/json", {"indent": 2})
    assert b"\n" in ours(data, "application/json; indent=4")


def test_nothing_is_an_empty_body():
    assert ours(None) == drf(None) == b""


def test_floats_keep_their_value_where_the_text_differs():
    data = {"small": 1e-7, "large": 1.5e300, "third": 1 / 3}
    assert json.loads(ours(data)) == json.loads(drf(data)) == data


json_like = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text() | st.floats(allow_nan=False, allow_infinity=False),
    lambda children: (
        st.lists(children, max_size=4)
        | st.tuples(children, children)
        | st.dictionaries(st.text(max_size=8), children, max_size=4)
        | st.dictionaries(st.integers(), children, max_size=2)
    ),
    max_leaves=20,
)


def floats_in(value) -> bool:
    if isinstance(value, float):
        return True
    if isinstance(value, dict):
        return any(floats_in(item) for item in value.values())
    if isinstance(value, list | tuple):
        return any(floats_in(item) for item in value)
    return False


@settings(max_examples=400, deadline=None)
@given(json_like)
def test_any_json_value_is_drfs_text_or_drfs_refusal(value):
    mine, theirs = outcome(ours, value), outcome(drf, value)
    if isinstance(theirs, bytes) and isinstance(mine, bytes) and floats_in(value):
        assert json.loads(mine) == json.loads(theirs)
    else:
        assert mine == theirs


@pytest.mark.django_db
def test_the_api_answers_through_it(api, carol, alice, monkeypatch):
    written = []
    dumps = orjson.dumps
    monkeypatch.setattr(project_renderers.orjson, "dumps", lambda *a, **k: written.append(1) or dumps(*a, **k))
    User.objects.filter(pk=alice.user_id).update(display_name="Alice \u2028 «Ünïcode» عربي")
    response = api(carol).get("/api/volunteers/")
    assert response.status_code == 200
    assert written == [1]
    assert response.content == drf(response.data)
    assert "Alice \u2028 «Ünïcode» عربي" in [row["display_name"] for row in response.json()["results"]]
    assert b"\\u2028" in response.content
