"""The history cursor comes from the client: a forged one is a 400, never a 500; a real one still pages."""

import base64
from urllib.parse import urlencode

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from chat.services import message_post

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("vocabulary")]


def cursor(**tokens) -> str:
    return base64.b64encode(urlencode(tokens).encode()).decode()


def history(api, who, conversation, raw_cursor):
    return api(who).get(f"/api/conversations/{conversation.pk}/messages/", {"cursor": raw_cursor})


@pytest.mark.parametrize(
    "raw",
    [
        "garbage",
        "%%%",
        "é",
        "",
        cursor(p="abc"),
        cursor(p=str(10**30)),
        cursor(p=str(2**63)),
        cursor(p="-5"),
        cursor(p="1.5"),
        cursor(p="１２"),
        cursor(p=""),
        cursor(o="-1"),
        cursor(o="x"),
        cursor(r="7x"),
        cursor(o=str(10**30), p="3"),
        base64.b64encode(b"\xff\xfe").decode(),
    ],
)
def test_a_forged_cursor_is_a_400(api, alice, conversation, raw):
    response = history(api, alice, conversation, raw)
    assert response.status_code in (200, 400), response.content[:200]
    if response.status_code == 400:
        assert "cursor" in response.json()


def test_a_position_beyond_any_id_is_refused_not_crashed(api, alice, conversation):
    response = history(api, alice, conversation, cursor(p=str(10**30)))
    assert response.status_code == 400
    assert history(api, alice, conversation, cursor(p="abc")).status_code == 400


def test_real_cursors_still_page_through_the_history(api, alice, conversation):
    for index in range(5):
        message_post(conversation=conversation, sender=alice.user, client_id=f"c{index}", body=f"hello {index}")
    first = api(alice).get(f"/api/conversations/{conversation.pk}/messages/", {"page_size": 2}).json()
    second = api(alice).get(first["next"]).json()
    assert len(first["results"]) == len(second["results"]) == 2
    assert second["results"][0]["id"] < first["results"][-1]["id"]


@given(
    st.text(max_size=40)
    | st.builds(lambda p, o, r: cursor(p=p, o=o, r=r), st.text(max_size=30), st.text(max_size=5), st.text(max_size=3))
    | st.builds(lambda n: cursor(p=str(n)), st.integers())
)
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_any_cursor_is_answered_with_200_or_400(api, alice, conversation, raw):
    assert history(api, alice, conversation, raw).status_code in (200, 400)
