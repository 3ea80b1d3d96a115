"""Reads for mentees and help requests."""

from django.db.models import QuerySet

from accounts.models import User
from config.filtering import apply_filters
from mentees.filters import HelpRequestFilter, MenteeFilter
from mentees.models import HelpRequest, Mentee


def mentee_list(*, user: User, filters: dict | None = None) -> QuerySet[Mentee]:
    qs = (
        Mentee.objects.visible_to(user).select_related("user", "user__organisation").prefetch_related("user__languages")
    )
    return apply_filters(MenteeFilter, filters, qs)


def help_request_list(*, user: User, filters: dict | None = None) -> QuerySet[HelpRequest]:
    # The mentee is shown as an id only: no join to it (the age filter joins when asked for).
    qs = HelpRequest.objects.visible_to(user).prefetch_related("needs", "languages")
    return apply_filters(HelpRequestFilter, filters, qs)


def mentee_export(user: User) -> dict | None:
    """The mentee part of a personal data export, help requests included."""
    mentee = Mentee.objects.filter(user=user).first()
    if mentee is None:
        return None
    return {
        "birth_year": mentee.birth_year,
        "guardian_consent": {
            "guardian_name": mentee.consent_guardian_name,
            "given_on": mentee.consent_given_on.isoformat() if mentee.consent_given_on else None,
            "method": mentee.consent_method,
            "recorded_at": mentee.consent_recorded_at.isoformat() if mentee.consent_recorded_at else None,
        }
        if mentee.has_consent
        else None,
        "help_requests": [
            {
                "id": item.pk,
                "needs": [skill.slug for skill in item.needs.all()],
                "languages": [language.code for language in item.languages.all()],
                "description": item.description,
                "urgency": item.urgency,
                "status": item.status,
                "created_at": item.created_at.isoformat(),
            }
            for item in mentee.help_requests.prefetch_related("needs", "languages")
        ],
        "created_at": mentee.created_at.isoformat(),
    }
