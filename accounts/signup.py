"""Sign-up that does not tell who has an account.

A sign-up with an address that already has an account gets exactly the answer a new one gets; nothing
is created and the owner gets an e-mail instead. Both paths hash the password once and send one e-mail,
so neither the answer nor its timing tells them apart. The new account is not logged in: its owner logs
in like everyone else.
"""

from collections.abc import Callable

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from accounts.models import LanguageLevel, User


def user_language(user: User) -> str:
    """The language to write to the person in: the one they chose, else the best one they speak that the
    site is translated into."""
    if user.language:
        return user.language
    available = {code for code, _name in settings.LANGUAGES}
    rank: dict[str, int] = {LanguageLevel.NATIVE: 0, LanguageLevel.FLUENT: 1, LanguageLevel.BASIC: 2}
    spoken = sorted(user.languages.all(), key=lambda item: (rank.get(item.level, 3), item.language_id))
    return next((item.language_id for item in spoken if item.language_id in available), settings.LANGUAGE_CODE)


def signup_or_notify(*, email: str, password: str, create: Callable[[], object]) -> None:
    """Create the account with `create()`, or, when the address already has one, tell its owner."""
    from accounts import tasks

    existing = User.objects.filter(email__iexact=email).only("pk").first()
    if existing is None:
        try:
            with transaction.atomic():
                created = create()
        except (IntegrityError, ValidationError):  # maybe a sign-up with the same address committed first
            existing = User.objects.filter(email__iexact=email).only("pk").first()
            if existing is None:
                raise
        else:
            user_id = getattr(created, "user_id", None) or getattr(created, "pk", None)
            transaction.on_commit(lambda: tasks.email_signup_welcome.delay(user_id))
            return
    make_password(password)  # the time a new account spends hashing its password
    transaction.on_commit(lambda: tasks.email_signup_existing.delay(existing.pk))
