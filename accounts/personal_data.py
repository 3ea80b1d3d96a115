"""Export and erasure of everything held about a person.

Apps above `accounts` register what they hold (in their AppConfig.ready), so this module never imports
them: export walks every registered section, erasure asks each to remove or pseudonymise its part, then
the account itself is pseudonymised. The user row stays (as "Former member", with no e-mail, password or
languages), so the other person's messages, reports and the safeguarding log keep their references.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import transaction

from accounts.models import User


@dataclass(frozen=True)
class Section:
    name: str
    export: Callable[[User], Any]
    erase: Callable[[User], None] | None


_sections: dict[str, Section] = {}


def register(name: str, *, export: Callable[[User], Any], erase: Callable[[User], None] | None = None) -> None:
    _sections[name] = Section(name=name, export=export, erase=erase)


def export_user_data(user: User) -> dict[str, Any]:
    return {name: section.export(user) for name, section in _sections.items()}


@transaction.atomic
def erase_user(user: User) -> None:
    """Erase the person: sections first (newest registered first), then the account is pseudonymised."""
    from accounts.services import access_ended, user_pseudonymise

    access_ended(user)
    for section in reversed(list(_sections.values())):
        if section.erase is not None:
            section.erase(user)
    user_pseudonymise(user=user)
