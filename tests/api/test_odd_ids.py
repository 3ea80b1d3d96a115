"""Ids that are not numbers, or too large for the database, are not found: never a server error."""

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "path",
    [
        "/api/messages/null,null/report/",
        "/api/messages/abc/withdraw/",
        "/api/volunteers/1.5/",
        "/api/pairings/99999999999999999999/",
        "/api/availability/99999999999999999999/",
        "/api/help-requests/-1/",
        "/api/slots/%20/",
    ],
)
def test_odd_ids_answer_404(api, carol, path):
    assert api(carol).get(path).status_code in (404, 405)
    assert api(carol).post(path, {}, format="json").status_code in (404, 405)


def test_a_patch_with_a_language_missing_its_code_is_a_field_error(api, alice):
    response = api(alice).patch("/api/volunteers/me/", {"languages": [{"level": "fluent"}]}, format="json")
    assert response.status_code == 400
    assert "languages" in response.json()


def test_huge_ids_in_a_body_are_field_errors(api, bob, org_a):
    from rest_framework.test import APIClient

    response = api(bob).post(
        "/api/sessions/",
        {"pairing": 99999999999999999999, "start": "2030-01-01T10:00:00Z", "end": "2030-01-01T11:00:00Z"},
        format="json",
    )
    assert response.status_code == 400
    assert "pairing" in response.json()
    signup = APIClient().post(
        "/api/signup/mentee/",
        {
            "email": "x@example.org",
            "password": "a-long-passphrase-1",
            "display_name": "X",
            "organisation": 99999999999999999999,
            "birth_year": 2000,
        },
        format="json",
    )
    assert signup.status_code == 400
    assert "organisation" in signup.json()


HUGE_NUMBERS = ["99999999999999999999", str(10**30), str(2**63), "-9223372036854775809", "1e400", "NaN"]


@pytest.mark.parametrize("number", HUGE_NUMBERS)
@pytest.mark.parametrize(
    "path",
    [
        "/api/pairings/?match_run={n}",
        "/api/pairings/?volunteer={n}",
        "/api/pairings/?mentee={n}",
        "/api/slots/?host={n}",
        "/api/volunteers/?page={n}",
        "/api/volunteers/?page_size={n}",
        "/api/help-requests/?page={n}",
        "/api/sessions/?page_size={n}",
        "/api/mentees/?page={n}",
        "/api/match-runs/{n}/",
        "/api/slots/{n}/",
        "/api/sessions/{n}/",
        "/api/conversations/{n}/messages/",
        "/api/reports/?page={n}",
        "/api/messages/held/?page_size={n}",
    ],
)
def test_huge_numbers_in_query_filters_and_paths_are_never_a_server_error(api, carol, path, number):
    response = api(carol).get(path.format(n=number))
    assert response.status_code in (200, 400, 404), response.content[:200]


@pytest.mark.parametrize("number", [10**30, 2**63, -(2**63) - 1, 1e308])
def test_huge_numbers_in_bodies_are_field_errors(api, alice, bob, carol, number):
    # given bodies that carry a number in every place one goes
    attempts = [
        (alice, "patch", "/api/volunteers/me/", {"capacity": number}, "capacity"),
        (bob, "patch", "/api/mentees/me/", {"birth_year": number}, "birth_year"),
        (carol, "post", "/api/match-runs/", {"min_overlap_minutes": number}, "min_overlap_minutes"),
        (carol, "post", "/api/match-runs/", {"weights": {"need_weight": number}}, "weights"),
        (
            carol,
            "post",
            "/api/slots/",
            {
                "topic": "CV",
                "start": "2031-01-01T10:00:00Z",
                "end": "2031-01-01T11:00:00Z",
                "volunteers_needed": number,
                "mentee_places": number,
                "languages": ["es"],
                "skills": [],
            },
            None,
        ),
        (
            bob,
            "post",
            "/api/sessions/",
            {"pairing": number, "slot": number, "start": "2031-01-01T10:00:00Z", "end": "2031-01-01T11:00:00Z"},
            "pairing",
        ),
        (bob, "post", "/api/help-requests/", {"needs": [number], "languages": [number], "description": "x"}, None),
    ]
    for who, method, path, body, field in attempts:
        # when
        response = getattr(api(who), method)(path, body, format="json")
        # then
        assert response.status_code == 400, (path, response.content[:300])
        if field:
            assert field in response.json(), (path, response.json())
