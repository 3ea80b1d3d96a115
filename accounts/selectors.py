"""Reads for accounts."""

from accounts.models import User


def account_export(user: User) -> dict:
    """The account part of a personal data export."""
    return {
        "email": user.email,
        "display_name": user.display_name,
        "role": user.role,
        "organisation": user.organisation.name if user.organisation_id else None,
        "timezone": user.timezone,
        "date_joined": user.date_joined.isoformat(),
        "last_login": user.last_login.isoformat() if user.last_login else None,
        "languages": [{"language": item.language_id, "level": item.level} for item in user.languages.all()],
    }
