"""Sign-up does not tell who has an account: a known address gets exactly the answer an unknown one gets,
nothing is created for it, and its owner is told by e-mail, in their language."""

import pytest
from django.contrib.auth.hashers import MD5PasswordHasher
from django.core import mail
from django.utils import translation
from rest_framework.test import APIClient

from accounts import tasks
from accounts.models import User
from accounts.signup import user_language
from mentees.models import Mentee
from volunteers.models import Volunteer

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-unusual-passphrase"  # noqa: S105


def volunteer_signup(org, email):
    return APIClient().post(
        "/api/signup/volunteer/",
        {
            "email": email,
            "password": PASSWORD,
            "display_name": "Someone",
            "organisation": org.pk,
            "languages": [{"language": "en", "level": "native"}],
            "skills": ["python"],
            "capacity": 1,
        },
        format="json",
    )


def mentee_signup(org, email):
    return APIClient().post(
        "/api/signup/mentee/",
        {
            "email": email,
            "password": PASSWORD,
            "display_name": "Someone",
            "organisation": org.pk,
            "birth_year": 2000,
        },
        format="json",
    )


@pytest.mark.parametrize("signup", [volunteer_signup, mentee_signup])
@pytest.mark.parametrize("known", ["alice@example.org", "ALICE@Example.org", "bob@example.org"])
def test_a_known_address_gets_exactly_the_answer_of_an_unknown_one(org_a, alice, bob, signup, known):
    # given
    users, volunteers, mentees = User.objects.count(), Volunteer.objects.count(), Mentee.objects.count()
    # when
    for_known = signup(org_a, known)
    for_new = signup(org_a, "brand.new@example.org")
    # then the answers are the same
    assert for_known.status_code == for_new.status_code == 202
    assert for_known.json() == for_new.json()
    assert for_known.cookies.keys() == for_new.cookies.keys()
    # and only the new address got an account
    assert User.objects.count() == users + 1
    assert Volunteer.objects.count() + Mentee.objects.count() == volunteers + mentees + 1
    owner = User.objects.get(email=known.lower())
    assert owner.display_name in ("Alice", "Bob")
    assert owner.check_password("correct-horse-battery-staple")


def test_the_owner_of_a_known_address_is_told_by_e_mail_and_the_new_one_welcomed(
    org_a, alice, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        volunteer_signup(org_a, "alice@example.org")
        volunteer_signup(org_a, "brand.new@example.org")
    to_owner = [m for m in mail.outbox if m.to == ["alice@example.org"]]
    to_new = [m for m in mail.outbox if m.to == ["brand.new@example.org"]]
    assert len(to_owner) == len(to_new) == 1
    assert "tried to sign up" in to_owner[0].body
    assert "log in" in to_owner[0].body
    assert "reset your password" in to_owner[0].body
    assert PASSWORD not in to_owner[0].body


def test_the_notice_is_written_in_the_owners_language(org_a, bob, monkeypatch, django_capture_on_commit_callbacks):
    # bob speaks Arabic natively (tests/conftest.py)
    assert user_language(bob.user) == "ar"
    used = []
    real_override = translation.override
    monkeypatch.setattr(tasks.translation, "override", lambda code: used.append(code) or real_override(code))
    with django_capture_on_commit_callbacks(execute=True):
        mentee_signup(org_a, "bob@example.org")
    assert used == ["ar"]
    assert len(mail.outbox) == 1


def test_both_paths_hash_the_password_once(org_a, alice, monkeypatch):
    calls = []
    real_encode = MD5PasswordHasher.encode
    monkeypatch.setattr(
        MD5PasswordHasher, "encode", lambda self, *a, **k: calls.append(1) or real_encode(self, *a, **k)
    )
    volunteer_signup(org_a, "alice@example.org")
    known = len(calls)
    calls.clear()
    volunteer_signup(org_a, "brand.new@example.org")
    assert known == len(calls) == 1


def test_bad_input_is_still_refused_per_field_for_known_and_unknown_addresses(org_a, alice):
    for email in ("alice@example.org", "brand.new@example.org"):
        response = APIClient().post(
            "/api/signup/volunteer/",
            {"email": email, "password": "short", "display_name": "X", "organisation": org_a.pk},
            format="json",
        )
        assert response.status_code == 400
        assert set(response.json()) == {"password"}
