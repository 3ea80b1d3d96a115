"""Ids that are not numbers, or too large for the database, are not found: never a server error."""

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("path", [
    "/api/messages/null,null/report/", "/api/messages/abc/withdraw/", "/api/volunteers/1.5/",
    "/api/pairings/99999999999999999999/", "/api/availability/99999999999999999999/",
    "/api/help-requests/-1/", "/api/slots/%20/",
])
def test_odd_ids_answer_404(api, carol, path):
    assert api(carol).get(path).status_code in (404, 405)
    assert api(carol).post(path, {}, format="json").status_code in (404, 405)


def test_a_patch_with_a_language_missing_its_code_is_a_field_error(api, alice):
    response = api(alice).patch("/api/volunteers/me/", {"languages": [{"level": "fluent"}]}, format="json")
    assert response.status_code == 400
    assert "languages" in response.json()


def test_huge_ids_in_a_body_are_field_errors(api, bob, org_a):
    from rest_framework.test import APIClient

    response = api(bob).post("/api/sessions/", {"pairing": 99999999999999999999, "start": "2030-01-01T10:00:00Z",
                                                "end": "2030-01-01T11:00:00Z"}, format="json")
    assert response.status_code == 400
    assert "pairing" in response.json()
    signup = APIClient().post("/api/signup/mentee/", {"email": "x@example.org", "password": "a-long-passphrase-1",
                                                      "display_name": "X", "organisation": 99999999999999999999,
                                                      "birth_year": 2000}, format="json")
    assert signup.status_code == 400
    assert "organisation" in signup.json()
