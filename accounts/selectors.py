"""Reads for accounts."""

from functools import cached_property

from accounts.models import Language, Skill, User
from config.prepared import PreparedQuery


class Vocabulary:
    """The shared vocabulary by code, for naming languages and skills on screen: a language's English name
    and a skill's label, both as the catalogue has them (translate with gettext).

    Each table is read on first use (one statement each, compiled once per connection) and then kept: make
    one per request and share it, so a list costs the same queries however long it is. It also keeps the
    texts rendered with it (scheduling.reasons), which a page repeats.
    """

    def __init__(self) -> None:
        self.reason_texts: dict[tuple, str] = {}

    @cached_property
    def language_names(self) -> dict[str, str]:
        return dict(_language_names.rows())

    @cached_property
    def skill_labels(self) -> dict[str, str]:
        return dict(_skill_labels.rows())


_language_names = PreparedQuery(lambda: Language.objects.values_list("code", "name"))
_skill_labels = PreparedQuery(lambda: Skill.objects.values_list("slug", "label"))


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
