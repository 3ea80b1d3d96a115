"""Writes for accounts: sign-up, log-out, password change, languages (log-in limits: login_limits)."""

from collections.abc import Iterable

from django.contrib.auth import password_validation
from django.db import transaction
from django.utils import timezone
from rest_framework.authtoken.models import Token

from accounts.models import LanguageLevel, Organisation, User, UserLanguage
from common.events import Event, send
from common.services import model_update
from safeguarding.models import Action
from safeguarding.services import record


def access_ended(user: User) -> None:
    """Tell higher apps the user's access ended everywhere (chat closes their open sockets)."""
    send(Event.ACCESS_ENDED, user=user)


@transaction.atomic
def user_create(
    *,
    email: str,
    password: str,
    display_name: str,
    role: str,
    organisation: Organisation | None,
    timezone: str = "UTC",
    languages: Iterable[dict] = (),
) -> User:
    user = User(
        email=User.objects.normalize_email(email).lower(),
        display_name=display_name,
        role=role,
        organisation=organisation,
        timezone=timezone,
    )
    password_validation.validate_password(password, user)
    user.set_password(password)
    user.full_clean(exclude=["password"])
    user.save()
    user_languages_set(user=user, languages=languages)
    return user


def user_languages_set(*, user: User, languages: Iterable[dict]) -> None:
    """Replace the person's languages with [{"language": Language|code, "level": ...}]."""
    UserLanguage.objects.filter(user=user).delete()
    UserLanguage.objects.bulk_create(
        UserLanguage(
            user=user,
            language_id=getattr(item["language"], "pk", item["language"]),
            level=item.get("level", LanguageLevel.FLUENT),
        )
        for item in languages
    )
    # A prefetched list would still answer with the old languages.
    getattr(user, "_prefetched_objects_cache", {}).pop("languages", None)


def user_update(*, user: User, **fields) -> User:
    languages = fields.pop("languages", None)
    model_update(instance=user, data=fields)
    if languages is not None:
        user_languages_set(user=user, languages=languages)
    return user


def sessions_end_all(*, user: User) -> None:
    """End every session and token of the user: the stamp is part of each session's auth hash."""
    user.rotate_security_stamp()
    Token.objects.filter(user=user).delete()
    access_ended(user)


@transaction.atomic
def password_change(*, user: User, new_password: str) -> None:
    password_validation.validate_password(new_password, user)
    user.set_password(new_password)
    user.save(update_fields=["password"])
    sessions_end_all(user=user)


@transaction.atomic
def user_deactivate(*, user: User) -> None:
    """Switch the account off: it can no longer log in, and whatever is open now ends."""
    user.is_active = False
    user.save(update_fields=["is_active"])
    sessions_end_all(user=user)


ERASED_DISPLAY_NAME = "Former member"


def user_pseudonymise(*, user: User) -> None:
    """What is left of an erased account: an id others' records can point to, nothing that identifies."""
    UserLanguage.objects.filter(user=user).delete()
    Token.objects.filter(user=user).delete()
    user.email = f"erased-{user.pk}@erased.invalid"
    user.display_name = ERASED_DISPLAY_NAME
    user.set_unusable_password()
    user.is_active = user.is_staff = user.is_superuser = False
    user.timezone, user.language, user.last_login, user.erased_at = "UTC", "", None, timezone.now()
    user.save(
        update_fields=[
            "email",
            "display_name",
            "password",
            "is_active",
            "is_staff",
            "is_superuser",
            "timezone",
            "language",
            "last_login",
            "erased_at",
        ]
    )
    user.rotate_security_stamp()
    record(Action.ACCOUNT_ERASED, organisation_id=user.organisation_id, actor=user, subject=user, target=user)


def token_revoke(*, user: User) -> None:
    """Revoke the user's API token: sockets opened with it close at once, as they do on log-out."""
    for key in Token.objects.filter(user=user).values_list("key", flat=True):
        send(Event.TOKEN_REVOKED, user=user, key=key)
    Token.objects.filter(user=user).delete()


def token_issue(*, user: User) -> Token:
    token, _created = Token.objects.get_or_create(user=user)
    return token
