import io

import pytest
from django.core.management import call_command
from django.test import Client

from accounts.models import Organisation, Role, User, UserLanguage
from chat.models import Conversation
from demo.demo_data import PASSWORD, plan
from mentees.models import HelpRequest, HelpRequestStatus, Mentee
from scheduling.models import AvailabilityWindow, Pairing
from volunteers.models import VettingStatus, Volunteer

pytestmark = pytest.mark.django_db

NAMED_LOGINS = [
    "coordinator.madrid@demo.example",
    "coordinator.nicosia@demo.example",
    "coordinator.palermo@demo.example",
    "coordinator.athens@demo.example",
    "safeguarding.madrid@demo.example",
    "volunteer@demo.example",
    "mentee@demo.example",
    "minor@demo.example",
    "admin@demo.example",
]


def seed_demo(*args) -> str:
    out = io.StringIO()
    call_command("seed_demo", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def seeded() -> str:
    return seed_demo()


def counts() -> dict[str, int]:
    return {
        model.__name__: model.objects.count()
        for model in [
            Organisation,
            User,
            UserLanguage,
            Volunteer,
            Volunteer.skills.through,
            Mentee,
            HelpRequest,
            HelpRequest.needs.through,
            AvailabilityWindow,
            Pairing,
            Conversation,
        ]
    }


def test_it_creates_four_partner_organisations_in_spain_cyprus_italy_and_greece(seeded):
    assert sorted(Organisation.objects.values_list("country", flat=True)) == ["CY", "ES", "GR", "IT"]
    for org in Organisation.objects.all():
        assert org.city
        assert org.members.filter(role=Role.COORDINATOR).count() == 2


def test_it_creates_about_sixty_volunteers_and_a_hundred_and_twenty_mentees_across_organisations(seeded):
    assert Volunteer.objects.count() >= 55
    assert Mentee.objects.count() >= 110
    for org in Organisation.objects.all():
        assert Volunteer.objects.filter(user__organisation=org).count() >= 10
        assert Mentee.objects.filter(user__organisation=org).count() >= 25
        # mentees live where their organisation is
        assert set(Mentee.objects.filter(user__organisation=org).values_list("user__timezone", flat=True)) == {
            org.members.filter(role=Role.COORDINATOR).first().timezone
        }
    assert Volunteer.objects.values("user__timezone").distinct().count() >= 6
    assert set(Volunteer.objects.values_list("capacity", flat=True)) <= {0, 1, 2, 3}
    assert all(1 <= volunteer.skills.count() <= 6 for volunteer in Volunteer.objects.all())
    assert all(1 <= volunteer.user.languages.count() <= 3 for volunteer in Volunteer.objects.all())


def test_it_gives_every_mentee_a_help_request_with_needs(seeded):
    assert not Mentee.objects.filter(help_requests__isnull=True).exists()
    assert not HelpRequest.objects.filter(needs__isnull=True).exists()
    assert HelpRequest.objects.exclude(description="").count() == HelpRequest.objects.count()
    assert HelpRequest.objects.filter(status=HelpRequestStatus.CLOSED).exists()
    assert HelpRequest.objects.filter(status=HelpRequestStatus.OPEN).count() > 100
    assert HelpRequest.objects.values("urgency").distinct().count() == 3
    asked = set(HelpRequest.needs.through.objects.values_list("skill__slug", flat=True))
    assert {"cv-writing", "job-search", "language-practice", "legal-orientation", "housing"} <= asked


def test_it_speaks_the_languages_of_the_people_it_serves(seeded):
    spoken_by_mentees = set(UserLanguage.objects.filter(user__role=Role.MENTEE).values_list("language_id", flat=True))
    assert {"ar", "uk", "ti", "fr", "en", "es"} <= spoken_by_mentees
    assert spoken_by_mentees & {"fa", "prs"}
    spoken_by_volunteers = set(
        UserLanguage.objects.filter(user__role=Role.VOLUNTEER).values_list("language_id", flat=True)
    )
    assert {"en", "es", "it", "el", "ar"} <= spoken_by_volunteers


def test_it_mixes_current_expired_pending_and_rejected_background_checks(seeded):
    assert Volunteer.objects.vetted().count() >= 0.6 * Volunteer.objects.count()
    assert (
        Volunteer.objects.filter(vetting_status=VettingStatus.VERIFIED)
        .exclude(pk__in=Volunteer.objects.vetted())
        .exists()
    )  # expired
    assert Volunteer.objects.filter(vetting_status=VettingStatus.PENDING).exists()
    assert Volunteer.objects.filter(vetting_status=VettingStatus.REJECTED).exists()
    for volunteer in Volunteer.objects.exclude(vetting_status=VettingStatus.PENDING).select_related("user"):
        assert volunteer.vetting_recorded_by.organisation_id == volunteer.user.organisation_id


def test_it_keeps_minors_inactive_until_their_organisation_records_a_guardians_consent(seeded):
    minors = Mentee.objects.minors()
    assert 0.08 * Mentee.objects.count() <= minors.count() <= 0.25 * Mentee.objects.count()
    assert not Mentee.objects.get(user__email="minor@demo.example").is_active
    with_consent = minors.filter(consent_recorded_at__isnull=False).select_related("user", "consent_recorded_by")
    assert with_consent.exists()
    assert minors.filter(consent_recorded_at__isnull=True).count() >= 2
    for mentee in with_consent:
        assert mentee.is_active
        assert mentee.consent_recorded_by.role == Role.COORDINATOR
        assert mentee.consent_recorded_by.organisation_id == mentee.user.organisation_id
    assert Mentee.objects.adults().active().count() == Mentee.objects.adults().count()


def test_the_named_demo_logins_work_through_the_api(seeded):
    for email in NAMED_LOGINS:
        response = Client().post(
            "/api/auth/login/", {"email": email, "password": PASSWORD}, content_type="application/json"
        )
        assert response.status_code == 200, email
    assert User.objects.get(email="admin@demo.example").is_superuser
    volunteer = Volunteer.objects.get(user__email="volunteer@demo.example")
    assert volunteer.is_vetted
    assert set(volunteer.user.languages.values_list("language_id", flat=True)) == {"ar", "en", "es"}
    assert {"cv-writing", "digital-skills"} <= set(volunteer.skills.values_list("slug", flat=True))
    assert "demo-mentoring-2026" in seeded
    assert "volunteer@demo.example" in seeded


def test_the_demo_volunteer_and_mentee_are_paired_and_can_chat(seeded):
    assert Conversation.objects.filter(
        pairing__volunteer__user__email="volunteer@demo.example", pairing__mentee__user__email="mentee@demo.example"
    ).exists()


def test_running_it_twice_creates_nothing_new(seeded):
    before = counts()

    output = seed_demo()

    assert counts() == before
    assert "Created 0 organisations, 0 coordinators, 0 volunteers, 0 mentees" in output


def test_the_same_seed_gives_the_same_people(seeded):
    assert plan(2026) == plan(2026)
    assert plan(2026) != plan(7)
    planned = plan(2026)
    emails = [spec.email for spec in (*planned.volunteers, *planned.mentees)]
    assert len(set(emails)) == len(emails)
    assert set(emails) <= set(User.objects.values_list("email", flat=True))
    first = planned.mentees[0]
    mentee = Mentee.objects.get(user__email=first.email)
    assert (mentee.user.display_name, mentee.birth_year) == (first.display_name, first.birth_year)
    assert set(mentee.user.languages.values_list("language_id", "level")) == set(first.languages)


def test_a_coordinator_can_run_the_matcher_on_the_demo_data(seeded, django_capture_on_commit_callbacks):
    client = Client()
    client.post(
        "/api/auth/login/",
        {"email": "coordinator.madrid@demo.example", "password": PASSWORD},
        content_type="application/json",
    )
    with django_capture_on_commit_callbacks(execute=True):
        run = client.post("/api/match-runs/", {}, content_type="application/json").json()
    result = client.get(f"/api/match-runs/{run['id']}/").json()
    assert result["status"] == "succeeded"
    assert result["matched"] > 5


def test_each_organisation_has_agent_of_change_badges_in_its_language_and_the_demo_mentee_a_wallet(seeded):
    from badges import issuing
    from badges.models import Award, BadgeClass

    for slug, language in (("puentes-madrid", "es"), ("nicosia-welcome", "el"), ("palermo-ponti", "it")):
        classes = BadgeClass.objects.filter(organisation__slug=slug, contribution__isnull=False)
        assert classes.count() == 5
        assert set(classes.values_list("language", flat=True)) == {language}
    wallet = Award.objects.filter(recipient__email="mentee@demo.example")
    assert set(wallet.values_list("milestone", flat=True)) == {"first_session", None}
    assert Award.objects.filter(recipient__email="volunteer@demo.example", milestone="people_1").exists()
    assert all(issuing.verify(issuing.credential_jwt(award)).valid for award in wallet)


def test_seeding_badges_twice_creates_nothing_new(seeded):
    from badges.models import Award, BadgeClass, Nomination

    before = (BadgeClass.objects.count(), Award.objects.count(), Nomination.objects.count())
    seed_demo()
    assert (BadgeClass.objects.count(), Award.objects.count(), Nomination.objects.count()) == before
