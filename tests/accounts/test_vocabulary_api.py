import pytest
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db


def test_it_lists_languages_named_in_themselves_with_their_direction():
    languages = {item["code"]: item for item in APIClient().get("/api/vocabulary/languages/").json()}
    assert languages["ar"]["native_name"] == "العربية"
    assert languages["ar"]["rtl"] is True
    assert languages["uk"]["native_name"] == "Українська"
    assert {"fa", "prs", "ti", "es", "fr", "en"} <= set(languages)


def test_it_lists_skills_and_help_areas_with_labels():
    skills = {item["slug"]: item for item in APIClient().get("/api/vocabulary/skills/").json()}
    assert skills["cv-writing"]["category"] == "help_area"
    assert skills["python"]["category"] == "ict"
    assert skills["housing"]["label"] == "Housing search"
    assert len(skills) >= 20


def test_it_answers_404_for_an_unknown_language():
    assert APIClient().get("/api/vocabulary/languages/xx/").status_code == 404


def test_it_lists_partner_organisations_for_sign_up(org_a, org_b):
    names = [item["name"] for item in APIClient().get("/api/organisations/").json()]
    assert names == ["Casa Abierta", "Nicosia Welcome"]


def test_it_refuses_writes_to_the_vocabulary(carol, api):
    assert api(carol).post("/api/vocabulary/skills/", {"slug": "x"}).status_code == 405
