"""The role checks every app's API relies on, and the account writes at their edges: what each check lets
through (the right role, signed in; the owner; a coordinator of the object's organisation) and what sign-up,
languages, deactivation, tokens and erasure store. Written after a mutation run."""

from types import SimpleNamespace

import pytest
from django.contrib.auth.models import AnonymousUser
from rest_framework.authtoken.models import Token

from accounts.models import LanguageLevel, Role, User, UserLanguage
from accounts.permissions import IsCoordinator, IsCoordinatorOfObject, IsMentee, IsOwner, IsVolunteer
from accounts.services import (
    ERASED_DISPLAY_NAME,
    token_issue,
    token_revoke,
    user_create,
    user_deactivate,
    user_languages_set,
    user_pseudonymise,
    user_update,
)
from common.events import Event
from safeguarding.models import Action, Entry
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def asking(user):
    return SimpleNamespace(user=user)


class TestRoleChecks:
    @pytest.mark.parametrize(("check", "who"), [(IsCoordinator, "carol"), (IsVolunteer, "alice"), (IsMentee, "bob")])
    def test_each_role_check_lets_its_role_through_and_no_other(self, check, who, carol, alice, bob):
        people = {"carol": carol, "alice": alice.user, "bob": bob.user}
        allowed = {name: check().has_permission(asking(user), None) for name, user in people.items()}
        assert allowed == {name: name == who for name in people}

    @pytest.mark.parametrize("check", [IsCoordinator, IsVolunteer, IsMentee])
    def test_an_anonymous_caller_passes_no_role_check(self, check):
        assert check().has_permission(asking(AnonymousUser()), None) is False
        assert check().has_permission(asking(None), None) is False

    def test_a_signed_out_user_object_with_the_role_is_refused(self, carol):
        """A user whose role matches but who is not authenticated (as DRF's AnonymousUser never is)."""
        stranger = SimpleNamespace(is_authenticated=False, role=Role.COORDINATOR)
        assert IsCoordinator().has_permission(asking(stranger), None) is False

    def test_the_owner_check_compares_the_objects_user_with_the_caller(self, alice, victor):
        profile = SimpleNamespace(user_id=alice.user_id)
        assert IsOwner().has_object_permission(asking(alice.user), None, profile) is True
        assert IsOwner().has_object_permission(asking(victor.user), None, profile) is False

    def test_only_a_coordinator_of_the_objects_organisation_passes(self, org_a, carol, dave, alice):
        thing = SimpleNamespace(organisation_id=org_a.pk)
        results = [
            IsCoordinatorOfObject().has_object_permission(asking(user), None, thing)
            for user in (carol, dave, alice.user)
        ]
        assert results == [True, False, False]

    def test_the_checks_explain_themselves(self):
        assert [str(check.message) for check in (IsCoordinator, IsVolunteer, IsMentee)] == [
            "Only coordinators may do this.",
            "Only volunteers may do this.",
            "Only mentees may do this.",
        ]


class TestAccountWrites:
    def test_sign_up_stores_the_email_lower_case_the_time_zone_and_languages_fluent_unless_said(self, org_a):
        user = user_create(
            email="Noor.Haddad@Example.ORG",
            password=PASSWORD,
            display_name="Noor",
            role=Role.MENTEE,
            organisation=org_a,
            timezone="Asia/Amman",
            languages=[{"language": "ar", "level": LanguageLevel.NATIVE}, {"language": "en"}],
        )
        user = User.objects.get(pk=user.pk)
        assert (user.email, user.timezone, user.check_password(PASSWORD)) == (
            "noor.haddad@example.org",
            "Asia/Amman",
            True,
        )
        levels = dict(UserLanguage.objects.filter(user=user).values_list("language_id", "level"))
        assert levels == {"ar": LanguageLevel.NATIVE, "en": LanguageLevel.FLUENT}

    def test_sign_up_without_a_time_zone_is_utc(self, org_a):
        user = user_create(
            email="u@example.org", password=PASSWORD, display_name="U", role=Role.MENTEE, organisation=org_a
        )
        assert User.objects.get(pk=user.pk).timezone == "UTC"

    def test_setting_languages_replaces_them_and_a_prefetched_list_does_not_answer_with_the_old(self, alice):
        user = User.objects.prefetch_related("languages").get(pk=alice.user_id)
        assert list(user.languages.all())  # prefetched
        user_languages_set(user=user, languages=[{"language": "fr", "level": LanguageLevel.BASIC}])
        assert [(item.language_id, item.level) for item in user.languages.all()] == [("fr", LanguageLevel.BASIC)]

    def test_an_update_without_languages_keeps_them(self, alice):
        before = set(UserLanguage.objects.filter(user=alice.user).values_list("language_id", flat=True))
        user_update(user=alice.user, display_name="Alicia")
        assert User.objects.get(pk=alice.user_id).display_name == "Alicia"
        assert set(UserLanguage.objects.filter(user=alice.user).values_list("language_id", flat=True)) == before

    def test_an_update_with_languages_replaces_them(self, alice):
        user_update(user=alice.user, languages=[{"language": "uk", "level": LanguageLevel.NATIVE}])
        levels = dict(UserLanguage.objects.filter(user=alice.user).values_list("language_id", "level"))
        assert levels == {"uk": LanguageLevel.NATIVE}

    def test_deactivation_switches_the_account_off_and_ends_its_tokens_and_sockets(self, alice, heard):
        token_issue(user=alice.user)
        stamp = User.objects.get(pk=alice.user_id).security_stamp
        user_deactivate(user=alice.user)
        user = User.objects.get(pk=alice.user_id)
        assert (user.is_active, user.security_stamp != stamp) == (False, True)
        assert not Token.objects.filter(user=alice.user).exists()
        assert [payload["user"].pk for event, payload in heard if event == Event.ACCESS_ENDED] == [alice.user_id]

    def test_a_token_is_issued_once_and_revoking_it_tells_its_sockets(self, alice, heard):
        token = token_issue(user=alice.user)
        assert token_issue(user=alice.user).key == token.key
        token_revoke(user=alice.user)
        assert not Token.objects.filter(user=alice.user).exists()
        revoked = [payload for event, payload in heard if event == Event.TOKEN_REVOKED]
        assert [(p["user"].pk, p["key"]) for p in revoked] == [(alice.user_id, token.key)]

    def test_erasure_leaves_an_id_and_nothing_that_identifies(self, alice):
        token_issue(user=alice.user)
        user_pseudonymise(user=alice.user)
        user = User.objects.get(pk=alice.user_id)
        assert (user.email, user.display_name, user.timezone) == (
            f"erased-{user.pk}@erased.invalid",
            ERASED_DISPLAY_NAME,
            "UTC",
        )
        assert (user.is_active, user.is_staff, user.is_superuser, user.last_login) == (False, False, False, None)
        assert user.erased_at is not None
        assert not user.has_usable_password()
        assert not UserLanguage.objects.filter(user=user).exists()
        assert not Token.objects.filter(user=user).exists()
        (entry,) = Entry.objects.filter(action=Action.ACCOUNT_ERASED)
        assert (entry.actor, entry.subject, entry.object_id) == (user, user, user.pk)
        assert entry.organisation_id == alice.organisation_id
