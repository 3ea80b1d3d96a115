"""Badge classes: coordinators create, edit and retire their organisation's; everyone in it reads them."""

import pytest

from badges import services
from badges.models import BadgeClass, Milestone

pytestmark = pytest.mark.django_db

BODY = {
    "name": "Community host",
    "description": "Welcomed people at a community event.",
    "criteria": "Led an activity for others.",
    "tags": ["community"],
    "language": "es",
    "colour": "#AA3300",
    "contribution": "led_activity",
}


def stored() -> list:
    return list(BadgeClass.objects.order_by("pk").values())


def test_a_coordinator_creates_a_badge_for_their_organisation(api, org_a, carol):
    response = api(carol).post("/api/badge-classes/", BODY, format="json")

    assert response.status_code == 201
    badge_class = BadgeClass.objects.get()
    assert (badge_class.organisation, badge_class.created_by, badge_class.colour) == (org_a, carol, "#aa3300")
    assert (badge_class.description, badge_class.criteria) == (BODY["description"], BODY["criteria"])
    assert (badge_class.tags, badge_class.language, badge_class.contribution) == (["community"], "es", "led_activity")
    assert response.json()["image_url"] == f"/badges/classes/{badge_class.pk}/image.svg"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"name": ""}, "name"),
        ({"name": "x" * 121}, "name"),
        ({"colour": "red"}, "colour"),
        ({"colour": "#12345g"}, "colour"),
        ({"language": "xx-nope"}, "language"),
        ({"contribution": "heroics"}, "contribution"),
        ({"tags": "community"}, "tags"),
        ({"tags": [["nested"]]}, "tags"),
    ],
)
def test_bad_input_is_refused_field_by_field_and_changes_nothing(api, carol, change, field):
    response = api(carol).post("/api/badge-classes/", {**BODY, **change}, format="json")

    assert response.status_code == 400
    assert field in response.json()
    assert stored() == []


def test_two_active_badges_cannot_answer_the_same_contribution(api, carol):
    api(carol).post("/api/badge-classes/", BODY, format="json")
    before = stored()

    response = api(carol).post("/api/badge-classes/", {**BODY, "name": "Another"}, format="json")

    assert response.status_code == 400
    assert "contribution" in response.json()
    assert stored() == before


def test_a_coordinator_edits_and_retires_a_badge(api, carol):
    badge_id = api(carol).post("/api/badge-classes/", BODY, format="json").json()["id"]

    assert api(carol).patch(f"/api/badge-classes/{badge_id}/", {"name": "Host"}).json()["name"] == "Host"
    response = api(carol).post(f"/api/badge-classes/{badge_id}/retire/")
    assert response.json()["retired"] is True
    assert api(carol).patch(f"/api/badge-classes/{badge_id}/", {"name": "Again"}).status_code == 400


def test_an_edit_cannot_take_the_contribution_another_active_badge_answers(api, org_a, carol):
    first = api(carol).post("/api/badge-classes/", BODY, format="json").json()["id"]
    second = api(carol).post("/api/badge-classes/", {**BODY, "contribution": "helped_peer"}, format="json").json()["id"]
    services.milestone_badge_class(organisation_id=org_a.pk, milestone=Milestone.FIRST_SESSION)  # no contribution
    before = stored()

    response = api(carol).patch(f"/api/badge-classes/{second}/", {"contribution": "led_activity"}, format="json")

    assert response.status_code == 400
    assert "contribution" in response.json()
    assert stored() == before
    # renaming, or keeping its own contribution, is no clash
    assert api(carol).patch(f"/api/badge-classes/{first}/", {"name": "Host"}).status_code == 200
    same = api(carol).patch(f"/api/badge-classes/{first}/", {"contribution": "led_activity"}, format="json")
    assert same.status_code == 200


@pytest.mark.parametrize("name", ["", "   "])
def test_an_edit_cannot_leave_a_badge_without_a_name(api, carol, name):
    badge_id = api(carol).post("/api/badge-classes/", BODY, format="json").json()["id"]
    before = stored()

    response = api(carol).patch(f"/api/badge-classes/{badge_id}/", {"name": name}, format="json")

    assert response.status_code == 400
    assert "name" in response.json()
    assert stored() == before


def test_milestone_badges_read_in_the_callers_language(api, org_a, bob):
    badge_class = services.milestone_badge_class(organisation_id=org_a.pk, milestone=Milestone.FIRST_SESSION)

    english = api(bob).get(f"/api/badge-classes/{badge_class.pk}/").json()
    assert english["display_name"] == "First session held"
    assert english["milestone"] == "first_session"


def test_everyone_in_the_organisation_reads_them_and_others_do_not(api, org_a, carol, alice, bob, dave, mallory):
    badge_class = services.badge_class_create(organisation=org_a, by=carol, name="Host")

    for who in (carol, alice, bob):
        assert api(who).get(f"/api/badge-classes/{badge_class.pk}/").status_code == 200
    for who in (dave, mallory):
        assert api(who).get(f"/api/badge-classes/{badge_class.pk}/").status_code == 404
        assert api(who).get("/api/badge-classes/").json()["results"] == []


def test_another_organisations_coordinator_cannot_change_it(api, org_a, carol, dave):
    badge_class = services.badge_class_create(organisation=org_a, by=carol, name="Host")

    assert api(dave).patch(f"/api/badge-classes/{badge_class.pk}/", {"name": "Mine"}).status_code == 404
    assert api(dave).post(f"/api/badge-classes/{badge_class.pk}/retire/").status_code == 404
    assert BadgeClass.objects.get().name == "Host"


def test_volunteers_and_mentees_may_not_change_badges(api, org_a, carol, alice, bob):
    badge_class = services.badge_class_create(organisation=org_a, by=carol, name="Host")

    for who in (alice, bob):
        assert api(who).post("/api/badge-classes/", BODY, format="json").status_code == 403
        assert api(who).patch(f"/api/badge-classes/{badge_class.pk}/", {"name": "X"}).status_code == 403


def test_the_list_costs_a_fixed_number_of_queries(api, org_a, carol, django_assert_num_queries):
    for n in range(3):
        services.badge_class_create(organisation=org_a, by=carol, name=f"Badge {n}")

    with django_assert_num_queries(2):
        assert len(api(carol).get("/api/badge-classes/").json()["results"]) == 3


def test_the_image_escapes_the_name():
    from badges import svg

    drawn = svg.draw(name='<script>alert("x")</script> & more', colour="javascript:alert(1)")

    assert "<script>" not in drawn
    assert "javascript" not in drawn
    assert "&lt;script&gt;" in drawn


def test_milestone_texts_follow_the_readers_language_and_credentials_the_badges(api, org_a, bob, carol):
    badge_class = services.milestone_badge_class(organisation_id=org_a.pk, milestone=Milestone.FIRST_SESSION)

    shown = api(bob).get(f"/api/badge-classes/{badge_class.pk}/", HTTP_ACCEPT_LANGUAGE="es").json()
    assert shown["display_name"] == "Primera sesión realizada"

    # a coordinator sets the language the organisation issues this milestone in
    api(carol).patch(f"/api/badge-classes/{badge_class.pk}/", {"language": "fr"})
    assert BadgeClass.objects.get(pk=badge_class.pk).texts_in("fr")["name"] == "Première séance réalisée"


def test_a_badge_made_with_only_a_name_has_empty_texts_and_the_default_colour(org_a, carol):
    badge_class = services.badge_class_create(organisation=org_a, by=carol, name="Helper")

    stored_class = BadgeClass.objects.get(pk=badge_class.pk)
    assert (stored_class.description, stored_class.criteria, stored_class.colour) == ("", "", "#2a7ab0")


def test_another_organisations_badge_for_the_same_contribution_is_no_clash(api, org_b, dave, carol):
    services.badge_class_create(organisation=org_b, by=dave, name="Theirs", contribution="led_activity")

    assert api(carol).post("/api/badge-classes/", BODY, format="json").status_code == 201


def test_a_milestone_badge_is_made_in_its_colour_and_tagged_mentoring(org_a):
    from badges.models import MILESTONE_TEXTS

    badge_class = services.milestone_badge_class(organisation_id=org_a.pk, milestone=Milestone.FIVE_SESSIONS)

    made = BadgeClass.objects.get(pk=badge_class.pk)
    assert (made.colour, made.tags) == (MILESTONE_TEXTS[Milestone.FIVE_SESSIONS][2], ["mentoring"])
