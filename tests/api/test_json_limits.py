"""Deeply nested or oversized JSON is a 400 with a clear message on every endpoint, never a 500."""

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from config.parsers import MAX_BYTES, MAX_DEPTH, JsonTooDeep, depth_check, loads_limited

pytestmark = pytest.mark.django_db

ENDPOINTS = [
    (None, "/api/auth/login/"),
    (None, "/api/auth/token/"),
    (None, "/api/signup/volunteer/"),
    (None, "/api/signup/mentee/"),
    ("alice", "/api/volunteers/me/"),
    ("bob", "/api/help-requests/"),
    ("carol", "/api/match-runs/"),
    ("carol", "/api/slots/"),
    ("bob", "/api/sessions/"),
    ("alice", "/api/availability/"),
]


def nested(depth: int, open_: str = "[", close: str = "]") -> str:
    return open_ * depth + close * depth


@pytest.mark.parametrize(("who", "path"), ENDPOINTS)
@pytest.mark.parametrize("depth", [MAX_DEPTH + 1, 5_000, 200_000])
def test_a_deeply_nested_body_is_a_400_on_every_endpoint(api, request, who, path, depth):
    client = api(request.getfixturevalue(who) if who else None)
    for body in (nested(depth), '{"email": ' + nested(depth) + "}", '{"weights": {"a": ' + nested(depth) + "}}"):
        method = {"/api/availability/": client.put, "/api/volunteers/me/": client.patch}.get(path, client.post)
        response = method(path, body, content_type="application/json")
        assert response.status_code == 400, (path, response.content[:200])
        assert "nested deeper" in response.json()["detail"]


def test_objects_nested_deeply_are_refused_too(api, alice):
    body = '{"a":' * 10_000 + "1" + "}" * 10_000
    response = api(alice).patch("/api/volunteers/me/", body, content_type="application/json")
    assert response.status_code == 400


def test_an_oversized_body_is_a_400(api, alice):
    body = json.dumps({"bio": "x" * (MAX_BYTES + 10)})
    response = api(alice).patch("/api/volunteers/me/", body, content_type="application/json")
    assert response.status_code == 400
    assert "larger than" in response.json()["detail"]


def test_ordinary_nesting_still_parses(api, alice):
    windows = {"windows": [{"day": "mon", "start": "18:00", "end": "20:00"}]}
    assert api(alice).put("/api/availability/", windows, format="json").status_code == 200


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=5),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=3), children, max_size=3),
    max_leaves=30,
)


def depth_of(value) -> int:
    if isinstance(value, dict):
        return 1 + max((depth_of(v) for v in value.values()), default=0)
    if isinstance(value, list):
        return 1 + max((depth_of(v) for v in value), default=0)
    return 0


@given(json_values, st.integers(min_value=1, max_value=12))
@settings(max_examples=300, deadline=None)
def test_the_depth_check_refuses_exactly_what_nests_deeper_than_the_limit(value, limit):
    if depth_of(value) > limit:
        with pytest.raises(JsonTooDeep):
            depth_check(value, limit)
    else:
        depth_check(value, limit)
        assert loads_limited(json.dumps(value), limit) == value


@given(st.integers(min_value=0, max_value=300_000), st.sampled_from(["[]", "{}"]))
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_any_depth_is_parsed_or_refused_never_a_crash(depth, brackets):
    text = ('{"k":' * depth + "1" + "}" * depth) if brackets == "{}" else "[" * depth + "1" + "]" * depth
    if depth <= MAX_DEPTH:
        loads_limited(text)
    else:
        with pytest.raises(JsonTooDeep):
            loads_limited(text)
