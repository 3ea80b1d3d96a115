"""Writes for accounts: sign-up, log-out, password change, languages (log-in limits: login_limits)."""

from collections.abc import Callable, Iterable

from django.contrib.auth import password_validation
from django.db import transaction
from rest_framework.authtoken.models import Token

from accounts.models import LanguageLevel, Organisation, User, UserLanguage

# Higher apps register what must follow the end of a user's access (chat closes their open sockets).
_access_ended_hooks: list[Callable[[User], object]] = []


def on_access_ended(hook: Callable[[User], object]) -> None:
    if hook not in _access_ended_hooks:
        _access_ended_hooks.append(hook)


def access_ended(user: User) -> None:
    for hook in _access_ended_hooks:
        hook(user)


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
    for name, value in fields.items():
        setattr(user, name, value)
    if fields:
        user.save(update_fields=list(fields))
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


def token_issue(*, user: User) -> Token:
    token, _created = Token.objects.get_or_create(user=user)
    return token

