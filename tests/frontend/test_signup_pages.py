"""Sign-up for mentees and volunteers: the same services as the API, errors shown, nothing created."""

import pytest

from accounts.models import Organisation, User
from mentees.models import Mentee
from volunteers.models import Volunteer

pytestmark = pytest.mark.django_db


@pytest.fixture
def org(db):
    return Organisation.objects.create(name="Casa Abierta", slug="casa", country="ES")


def person(org, **extra):
    return {
        "display_name": "Noor",
        "email": "noor@example.org",
        "password": "a-long-passphrase-9",
        "organisation": org.pk,
        "languages": ["ar", "en"],
        "timezone": "Europe/Madrid",
        **extra,
    }


def test_it_explains_guardian_consent_on_the_mentee_sign_up_page(client):
    html = client.get("/join/mentee/").content.decode()
    assert "If you are under 18" in html
    assert "parent or guardian must agree" in html


def test_it_signs_up_an_adult_mentee_and_sends_them_to_log_in(client, org):
    response = client.post("/join/mentee/", person(org, birth_year=2000), follow=True)
    assert response.redirect_chain[-1][0] == "/account/login/"
    assert "Log in to ask for help" in response.content.decode()
    mentee = Mentee.objects.get(user__email="noor@example.org")
    assert mentee.is_active
    assert sorted(mentee.user.languages.values_list("language_id", flat=True)) == ["ar", "en"]


def test_it_tells_a_minor_that_a_guardian_must_agree_first(client, org):
    from django.utils import timezone

    response = client.post("/join/mentee/", person(org, birth_year=timezone.localdate().year - 15), follow=True)
    assert "parent or guardian to agree" in response.content.decode()
    assert not Mentee.objects.get(user__email="noor@example.org").is_active


@pytest.mark.parametrize(
    ("field", "value"),
    [("birth_year", 1800), ("timezone", "Mars/Olympus"), ("password", "short"), ("email", "not-an-address")],
)
def test_it_shows_bad_mentee_input_and_creates_nothing(client, org, field, value):
    response = client.post("/join/mentee/", person(org, **{"birth_year": 2000, field: value}))
    assert response.status_code == 200
    assert f'id="id_{field}_error"' in response.content.decode()
    assert not User.objects.exists()


def test_a_known_address_gets_the_same_answer_creates_nothing_and_its_owner_is_told(
    client, org, bob, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        known = client.post("/join/mentee/", person(org, birth_year=2000, email=bob.user.email.upper()), follow=True)
        new = client.post("/join/mentee/", person(org, birth_year=2000, email="someone.new@example.org"), follow=True)
    assert known.status_code == new.status_code == 200
    assert known.redirect_chain == new.redirect_chain
    said = [[str(m) for m in r.context["messages"]] for r in (known, new)]
    assert said[0] == said[1]
    assert "already exists" not in known.content.decode()
    assert Mentee.objects.filter(user__email__iexact=bob.user.email).count() == 1
    assert {tuple(mail.to) for mail in mailoutbox} == {(bob.user.email,), ("someone.new@example.org",)}


def test_it_signs_up_a_volunteer_with_skills_and_capacity(client, org):
    response = client.post("/join/volunteer/", person(org, skills=["python", "cv-writing"], capacity=2, bio="Hi"))
    assert response.status_code == 302
    volunteer = Volunteer.objects.get(user__email="noor@example.org")
    assert volunteer.capacity == 2
    assert set(volunteer.skills.values_list("slug", flat=True)) == {"python", "cv-writing"}
    assert volunteer.vetting_status != "verified"


def test_it_shows_bad_volunteer_input_and_creates_nothing(client, org):
    response = client.post("/join/volunteer/", person(org, capacity=99, skills=["no-such-skill"]))
    html = response.content.decode()
    assert 'id="id_capacity_error"' in html
    assert 'id="id_skills_error"' in html
    assert not User.objects.exists()


def test_it_sends_someone_already_logged_in_home_from_the_sign_up_pages(login, carol):
    assert login(carol).get("/join/volunteer/")["Location"] == "/home/"


@pytest.fixture
def two_signups_an_hour(settings):
    rest = settings.REST_FRAMEWORK
    settings.REST_FRAMEWORK = {**rest, "DEFAULT_THROTTLE_RATES": {**rest["DEFAULT_THROTTLE_RATES"], "signup": "2/hour"}}


def test_it_limits_sign_ups_per_address_with_the_apis_counter(client, org, two_signups_an_hour):
    from rest_framework.test import APIClient

    # given one sign-up through the API and one through the page, from the same address
    api = APIClient()
    assert (
        api.post(
            "/api/signup/mentee/",
            {
                **person(org, birth_year=2000, email="api@example.org"),
                "languages": [{"language": "ar", "level": "native"}],
            },
            format="json",
        ).status_code
        == 202
    )
    assert client.post("/join/volunteer/", person(org, email="one@example.org", capacity=1)).status_code == 302
    # when a third comes through the page
    response = client.post("/join/mentee/", person(org, birth_year=2000, email="two@example.org"))
    # then it is refused and nothing is created
    assert response.status_code == 429
    assert "Too many sign-ups from this address" in response.content.decode()
    assert not User.objects.filter(email="two@example.org").exists()
    # and another address may still sign up
    other = client.post(
        "/join/mentee/", person(org, birth_year=2000, email="three@example.org"), REMOTE_ADDR="198.51.100.7"
    )
    assert other.status_code == 302
