"""The language a person chose for pages and e-mails: stored on the account, used for every e-mail to them,
and readable and settable through the API's me endpoint."""

import pytest
from django.core import mail
from django.test import Client

from accounts import personal_data, tasks
from accounts.models import User
from accounts.signup import user_language
from scheduling.models import Pairing
from scheduling.services.pairings import pairing_approve
from tests.accounts.test_auth_api import login

pytestmark = pytest.mark.django_db


def choose(person, language: str) -> User:
    user = getattr(person, "user", person)
    user.language = language
    user.save(update_fields=["language"])
    return user


def test_it_writes_in_the_chosen_language_else_in_the_best_one_spoken(alice, bob):
    # alice speaks Arabic fluently and English natively; she chose none
    assert user_language(alice.user) == "en"
    assert user_language(choose(bob, "fr")) == "fr"


def test_it_tells_each_person_of_a_pairing_in_their_own_language(
    org_a, alice, bob, carol, django_capture_on_commit_callbacks
):
    # given a mentee who chose Arabic and a volunteer who chose Spanish (both speak English or Arabic)
    choose(bob, "ar")
    choose(alice, "es")
    pairing = Pairing.objects.create(organisation=org_a, volunteer=alice, mentee=bob)
    # when a coordinator approves the pairing
    with django_capture_on_commit_callbacks(execute=True):
        pairing_approve(pairing_id=pairing.pk, by=carol)
    # then each gets the news in their language
    sent = {message.to[0]: message for message in mail.outbox}
    assert sent["bob@example.org"].subject == "لديك شريك إرشاد جديد"
    assert "مرحبًا Bob،" in sent["bob@example.org"].body
    assert sent["alice@example.org"].subject == "Tienes una nueva pareja de mentoría"
    assert "Hola, Alice:" in sent["alice@example.org"].body
    assert "Bob" in sent["alice@example.org"].body


def test_it_writes_the_sign_up_warning_in_the_owners_language(bob):
    choose(bob, "uk")
    assert tasks.email_signup_existing(bob.user.pk) == 1
    assert mail.outbox[0].subject == "Хтось намагався зареєструватися з вашою адресою електронної пошти"


def test_it_sends_the_password_reset_in_the_persons_language_not_the_pages(bob):
    choose(bob, "es")
    response = Client().post("/account/password/reset/", {"email": bob.user.email}, HTTP_ACCEPT_LANGUAGE="fr")
    assert response.status_code == 302
    assert mail.outbox[0].subject == "Contraseña restablecida en testserver"


def test_it_shows_and_sets_the_language_through_the_me_endpoint(alice, bob):
    client = Client()
    login(client, "bob@example.org")
    assert client.get("/api/auth/me/").json()["language"] == ""
    response = client.patch("/api/auth/me/", {"language": "fa"}, content_type="application/json")
    assert response.status_code == 200
    assert response.json()["language"] == "fa"
    assert User.objects.get(pk=bob.user.pk).language == "fa"
    assert User.objects.get(pk=alice.user.pk).language == ""


@pytest.mark.parametrize("language", ["xx", "de", 7])
def test_it_refuses_an_unknown_language_through_the_me_endpoint(bob, language):
    choose(bob, "ar")
    client = Client()
    login(client, "bob@example.org")
    response = client.patch("/api/auth/me/", {"language": language}, content_type="application/json")
    assert response.status_code == 400
    assert "language" in response.json()
    assert User.objects.get(pk=bob.user.pk).language == "ar"


def test_it_lets_nobody_anonymous_set_a_language():
    response = Client().patch("/api/auth/me/", {"language": "fa"}, content_type="application/json")
    assert response.status_code in (401, 403)


def test_it_exports_the_language_and_forgets_it_on_erasure(bob):
    choose(bob, "fa")
    assert personal_data.export_user_data(bob.user)["account"]["language"] == "fa"
    personal_data.erase_user(bob.user)
    assert User.objects.get(pk=bob.user.pk).language == ""


def test_it_refuses_an_unknown_language_on_the_model(bob):
    from django.core.exceptions import ValidationError

    bob.user.language = "xx"
    with pytest.raises(ValidationError):
        bob.user.full_clean(exclude=["password"])
