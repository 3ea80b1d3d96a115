"""Reads for accounts."""

from functools import cached_property

from accounts.models import Language, Skill, User


class Vocabulary:
    """The shared vocabulary by code, for naming languages and skills on screen.

    Each table is read on first use (one query each) and then kept: make one per request and share it,
    so a list costs the same queries however long it is.
    """

    @cached_property
    def languages(self) -> dict[str, Language]:
        return {language.code: language for language in Language.objects.all()}

    @cached_property
    def skills(self) -> dict[str, Skill]:
        return {skill.slug: skill for skill in Skill.objects.all()}


def account_export(user: User) -> dict:
    """The account part of a personal data export."""
    return {
        "email": user.email,
        "display_name": user.display_name,
        "role": user.role,
        "organisation": user.organisation.name if user.organisation is not None else None,
        "timezone": user.timezone,
        "language": user.language,
        "date_joined": user.date_joined.isoformat(),
        "last_login": user.last_login.isoformat() if user.last_login else None,
        "languages": [{"language": item.language_id, "level": item.level} for item in user.languages.all()],
    }
