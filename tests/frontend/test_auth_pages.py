"""Log-in, log-out, password change and reset: Django's own views over the project's services."""

import re

import pytest
from django.core import mail

from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def test_it_logs_a_coordinator_in_and_leads_to_their_first_page(client, carol):
    response = client.post("/account/login/", {"username": carol.email, "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == "/home/"
    assert client.get("/home/")["Location"] == "/coordinator/help-requests/"


def test_it_refuses_a_wrong_password_and_says_so(client, carol):
    response = client.post("/account/login/", {"username": carol.email, "password": "wrong-password-123"})
    assert response.status_code == 200
    assert "E-mail address or password is wrong." in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_the_page_shares_the_failed_log_in_limit_of_every_way_in(client, carol):
    from accounts import login_limits

    for _attempt in range(login_limits.PAIR_FAILURES):
        client.post("/account/login/", {"username": carol.email, "password": "wrong-password-123"})
    response = client.post("/account/login/", {"username": carol.email, "password": PASSWORD})
    assert response.status_code == 200
    assert "Too many failed attempts" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_it_logs_out_everywhere_with_a_post(login, carol):
    client = login(carol)
    stamp = carol.security_stamp
    response = client.post("/account/logout/")
    assert response.status_code == 302
    assert response["Location"] == "/"
    carol.refresh_from_db()
    assert carol.security_stamp != stamp
    assert client.get("/coordinator/help-requests/").status_code == 302


def test_it_changes_the_password_through_the_service_and_keeps_this_session(login, carol):
    client = login(carol)
    stamp = carol.security_stamp
    response = client.post(
        "/account/password/",
        {"old_password": PASSWORD, "new_password1": "a-new-long-passphrase", "new_password2": "a-new-long-passphrase"},
    )
    assert response.status_code == 302
    carol.refresh_from_db()
    assert carol.check_password("a-new-long-passphrase")
    assert carol.security_stamp != stamp
    assert client.get("/coordinator/help-requests/").status_code == 200


def test_it_refuses_a_password_change_with_the_wrong_old_password(login, carol):
    client = login(carol)
    response = client.post(
        "/account/password/",
        {"old_password": "nope", "new_password1": "a-new-long-passphrase", "new_password2": "a-new-long-passphrase"},
    )
    assert response.status_code == 200
    assert 'class="error"' in response.content.decode()
    carol.refresh_from_db()
    assert carol.check_password(PASSWORD)


def test_it_asks_anonymous_visitors_to_log_in_before_changing_a_password(client):
    response = client.get("/account/password/")
    assert response.status_code == 302
    assert response["Location"].startswith("/account/login/")


def test_it_resets_a_forgotten_password_by_e_mail(client, bob):
    response = client.post("/account/password/reset/", {"email": bob.user.email})
    assert response.status_code == 302
    link = re.search(r"/account/password/reset/[^/\s]+/[^/\s]+/", mail.outbox[0].body).group(0)
    form_url = client.get(link)["Location"]
    response = client.post(form_url, {"new_password1": "reset-passphrase-42", "new_password2": "reset-passphrase-42"})
    assert response.status_code == 302
    bob.user.refresh_from_db()
    assert bob.user.check_password("reset-passphrase-42")


def test_it_answers_the_same_for_an_unknown_address_and_sends_nothing(client):
    response = client.post("/account/password/reset/", {"email": "nobody@example.org"})
    assert response.status_code == 302
    assert mail.outbox == []
