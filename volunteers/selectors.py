"""Reads for volunteers."""

from django.db.models import QuerySet

from accounts.models import User
from config.filtering import apply_filters
from volunteers.filters import VolunteerFilter
from volunteers.models import Volunteer


def volunteer_list(*, user: User, filters: dict | None = None) -> QuerySet[Volunteer]:
    qs = (
        Volunteer.objects.visible_to(user)
        .select_related("user", "user__organisation")
        .prefetch_related("skills", "user__languages")
    )
    return apply_filters(VolunteerFilter, filters, qs)


def volunteer_export(user: User) -> dict | None:
    """The volunteer part of a personal data export."""
    volunteer = Volunteer.objects.filter(user=user).prefetch_related("skills").first()
    if volunteer is None:
        return None
    return {
        "bio": volunteer.bio,
        "skills": [skill.slug for skill in volunteer.skills.all()],
        "capacity": volunteer.capacity,
        "vetting": {
            "status": volunteer.vetting_status,
            "checked_on": volunteer.vetting_checked_on.isoformat() if volunteer.vetting_checked_on else None,
            "expires_on": volunteer.vetting_expires_on.isoformat() if volunteer.vetting_expires_on else None,
        },
        "created_at": volunteer.created_at.isoformat(),
    }
