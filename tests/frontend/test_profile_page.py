"""The profile page of every person: name, time zone, the language of pages and e-mails, the languages they
speak with levels; volunteers also bio, skills and capacity. And the pages follow the stored language."""

import pytest
from django.conf import settings
from django.utils import timezone

from accounts.models import User, UserLanguage
from tests.conftest import make_volunteer

pytestmark = pytest.mark.django_db


def spoken(user) -> list[tuple[str, str]]:
    return list(UserLanguage.objects.filter(user=user).order_by("language_id").values_list("language_id", "level"))


def profile_data(user, rows=(), *, initial=0, removed=(), **fields) -> dict:
    """What the page's form posts: the person's fields, then the language rows (the first `initial` are the
    ones the page showed, the rows whose index is in `removed` are ticked "Remove")."""
    data = {"display_name": user.display_name, "timezone": user.timezone, "language": user.language}
    if user.role == "mentee":
        data["birth_year"] = user.mentee.birth_year
    data.update(fields)
    data.update({"languages-TOTAL_FORMS": len(rows), "languages-INITIAL_FORMS": initial})
    data.update({"languages-MIN_NUM_FORMS": 0, "languages-MAX_NUM_FORMS": 1000})
    for index, (code, level) in enumerate(rows):
        data[f"languages-{index}-language"] = code
        data[f"languages-{index}-level"] = level
        if index in removed:
            data[f"languages-{index}-DELETE"] = "on"
    return data


VOLUNTEER_FIELDS = {"bio": "ICT", "skills": ["python"], "capacity": 2}


def test_it_lets_a_volunteer_save_everything_and_pause(login, alice):
    client = login(alice)
    data = profile_data(
        alice.user,
        [("ar", "fluent"), ("en", "native"), ("fr", "basic")],
        initial=2,
        removed={1},
        display_name="Alice A.",
        timezone="Europe/Paris",
        language="es",
        bio="Teacher",
        skills=["python", "housing"],
        capacity=0,
    )
    response = client.post("/my/profile/", data)
    assert response.status_code == 302
    user = User.objects.get(pk=alice.user.pk)
    assert (user.display_name, user.timezone, user.language) == ("Alice A.", "Europe/Paris", "es")
    assert spoken(user) == [("ar", "fluent"), ("fr", "basic")]
    alice.refresh_from_db()
    assert (alice.bio, alice.capacity) == ("Teacher", 0)
    assert sorted(alice.skills.values_list("slug", flat=True)) == ["housing", "python"]
    # the browser follows the new choice at once, in Spanish
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "es"
    html = client.get("/my/profile/").content.decode()
    assert '<html lang="es"' in html
    assert "Tu perfil se guardó." in html
    assert "Estás en pausa" in html


@pytest.mark.parametrize("who", ["bob", "carol"])
def test_it_lets_a_mentee_or_a_coordinator_edit_their_profile_and_nobody_elses(login, request, alice, who):
    person = request.getfixturevalue(who)
    user = getattr(person, "user", person)
    alice_before = (alice.user.display_name, alice.user.language, spoken(alice.user))
    data = profile_data(
        user, [("uk", "native"), ("ar", "basic")], display_name="New name", timezone="Asia/Beirut", language="ar"
    )
    assert login(person).post("/my/profile/", data).status_code == 302
    user.refresh_from_db()
    assert (user.display_name, user.timezone, user.language) == ("New name", "Asia/Beirut", "ar")
    assert spoken(user) == [("ar", "basic"), ("uk", "native")]
    alice.user.refresh_from_db()
    assert (alice.user.display_name, alice.user.language, spoken(alice.user)) == alice_before


@pytest.mark.parametrize("who", ["alice", "bob", "carol"])
def test_it_shows_each_role_its_profile_with_a_row_per_language(login, request, who):
    person = request.getfixturevalue(who)
    html = login(person).get("/my/profile/").content.decode()
    assert 'name="languages-TOTAL_FORMS"' in html
    rows = len(spoken(getattr(person, "user", person)))
    assert f'id="id_languages-{rows - 1}-DELETE"' in html  # each language a row that can be removed
    assert f'id="id_languages-{rows}-language"' in html  # and an empty row to add one
    assert f'id="id_languages-{rows}-DELETE"' not in html
    assert 'name="language"' in html
    assert ('name="capacity"' in html) == (who == "alice")


def test_it_adds_a_language_in_the_empty_row_and_ignores_an_untouched_one(login, bob):
    rows = [("ar", "native"), ("fa", "fluent"), ("", "fluent")]
    assert login(bob).post("/my/profile/", profile_data(bob.user, rows, initial=1)).status_code == 302
    assert spoken(bob.user) == [("ar", "native"), ("fa", "fluent")]


@pytest.mark.parametrize(
    ("rows", "fields", "error"),
    [
        ([("xx", "fluent")], {}, 'id="id_languages-0-language_error"'),
        ([("ar", "superb")], {}, 'id="id_languages-0-level_error"'),
        ([("ar", "fluent")], {"timezone": "Nowhere/Town"}, 'id="id_timezone_error"'),
        ([("ar", "fluent")], {"language": "de"}, 'id="id_language_error"'),
        ([("ar", "fluent")], {"display_name": "Bob\u202e"}, 'id="id_display_name_error"'),
        ([("ar", "fluent"), ("ar", "basic")], {}, "Each language may appear only once."),
    ],
)
def test_it_shows_bad_input_as_an_error_and_changes_nothing(login, bob, rows, fields, error):
    before = (bob.user.display_name, bob.user.timezone, bob.user.language, spoken(bob.user))
    response = login(bob).post("/my/profile/", profile_data(bob.user, rows, **{"display_name": "Changed", **fields}))
    assert response.status_code == 200
    assert error in response.content.decode()
    user = User.objects.get(pk=bob.user.pk)
    assert (user.display_name, user.timezone, user.language, spoken(user)) == before


def test_it_refuses_a_post_without_the_language_rows_and_changes_nothing(login, bob):
    response = login(bob).post("/my/profile/", {"display_name": "X", "timezone": "UTC", "language": ""})
    assert response.status_code == 200
    bob.user.refresh_from_db()
    assert bob.user.display_name == "Bob"


def test_it_refuses_a_bad_volunteer_edit_and_changes_nothing(login, alice):
    data = profile_data(alice.user, [("ar", "fluent")], display_name="", capacity=11, timezone="Nowhere")
    html = login(alice).post("/my/profile/", data).content.decode()
    assert 'id="id_capacity_error"' in html
    assert 'id="id_timezone_error"' in html
    alice.refresh_from_db()
    assert alice.capacity == 2
    assert spoken(alice.user) == [("ar", "fluent"), ("en", "native")]


@pytest.mark.parametrize("languages", [2, 12])
def test_it_reads_the_profile_in_a_fixed_number_of_queries(login, org_a, django_assert_num_queries, languages):
    codes = ["ar", "fa", "prs", "ps", "ku", "ckb", "ur", "uk", "ru", "ti", "am", "so"][:languages]
    volunteer = make_volunteer(
        org_a, "many@example.org", "Many", skills=["python"], languages=[{"language": c} for c in codes]
    )
    client = login(volunteer)
    # session, user, volunteer, its skills (prefetched), the user's languages, the vocabulary's languages,
    # the skills to choose from
    with django_assert_num_queries(7):
        assert client.get("/my/profile/").status_code == 200


def test_it_sends_anonymous_visitors_to_log_in(client):
    assert client.get("/my/profile/")["Location"].startswith("/account/login/")


def test_it_shows_the_pages_in_the_stored_language_after_log_in(login, bob):
    bob.user.language = "uk"
    bob.user.save(update_fields=["language"])
    client = login(bob)
    html = client.get("/my/help-requests/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert '<html lang="uk"' in html
    assert "Мій профіль" in html  # "My profile" in the menu


def test_it_lets_the_switchers_choice_win_over_the_stored_language(login, bob):
    bob.user.language = "uk"
    bob.user.save(update_fields=["language"])
    client = login(bob)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    assert '<html lang="fr"' in client.get("/my/help-requests/").content.decode()


def test_it_leaves_the_language_to_the_browser_again_when_the_person_chooses_none(login, bob):
    bob.user.language = "uk"
    bob.user.save(update_fields=["language"])
    client = login(bob)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "uk"
    response = client.post("/my/profile/", profile_data(bob.user, [("ar", "native")], initial=1, language=""))
    assert response.status_code == 302
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME]["max-age"] == 0
    assert User.objects.get(pk=bob.user.pk).language == ""
    assert '<html lang="fr"' in client.get("/my/help-requests/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()


def test_it_stores_the_switchers_choice_on_the_logged_in_person(login, bob, alice):
    client = login(bob)
    response = client.post("/i18n/setlang/", {"language": "fa", "next": "/my/help-requests/"})
    assert response.status_code == 302
    bob.user.refresh_from_db()
    assert bob.user.language == "fa"
    assert User.objects.get(pk=alice.user.pk).language == ""
    # another browser, without the cookie, shows the stored choice
    client.cookies.pop(settings.LANGUAGE_COOKIE_NAME)
    assert '<html lang="fa" dir="rtl"' in client.get("/my/help-requests/").content.decode()


def test_it_stores_no_unknown_language_from_the_switcher(login, bob):
    login(bob).post("/i18n/setlang/", {"language": "xx", "next": "/"})
    bob.user.refresh_from_db()
    assert bob.user.language == ""


def test_it_keeps_the_api_in_the_requests_language(login, bob):
    bob.user.language = "uk"
    bob.user.save(update_fields=["language"])
    response = login(bob).get("/api/auth/me/", HTTP_ACCEPT_LANGUAGE="es")
    assert response["Content-Language"] == "es"
    assert response.json()["language"] == "uk"


def test_a_mentee_corrects_their_birth_year(login, bob):
    year = timezone.localdate().year
    client = login(bob)
    assert f'name="birth_year" value="{bob.birth_year}"' in client.get("/my/profile/").content.decode()
    assert client.post("/my/profile/", profile_data(bob.user, birth_year=year - 30)).status_code == 302
    bob.refresh_from_db()
    assert bob.birth_year == year - 30


def test_a_minor_cannot_make_themself_an_adult_on_the_profile_page(login, mia):
    year = timezone.localdate().year
    client = login(mia)
    before = mia.birth_year
    response = client.post("/my/profile/", profile_data(mia.user, birth_year=year - 20))
    assert response.status_code == 200
    assert "A minor&#x27;s birth year can only change to another minor&#x27;s year" in response.content.decode()
    assert client.post("/my/profile/", profile_data(mia.user, birth_year=year - 200)).status_code == 200
    mia.refresh_from_db()
    assert mia.birth_year == before
    assert client.post("/my/profile/", profile_data(mia.user, birth_year=year - 12)).status_code == 302
    mia.refresh_from_db()
    assert mia.birth_year == year - 12
