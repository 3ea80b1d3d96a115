"""Writes for volunteers: sign-up, profile edits and vetting."""

import datetime

from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import Organisation, Role, User
from accounts.services import user_create, user_update
from common.errors import DomainError
from common.events import Event, send
from common.services import model_update
from safeguarding.models import Action
from safeguarding.services import record
from volunteers.models import VettingStatus, Volunteer


@transaction.atomic
def volunteer_signup(
    *,
    email: str,
    password: str,
    display_name: str,
    organisation: Organisation,
    timezone: str = "UTC",
    languages=(),
    bio: str = "",
    skills=(),
    capacity: int = 1,
) -> Volunteer:
    user = user_create(
        email=email,
        password=password,
        display_name=display_name,
        role=Role.VOLUNTEER,
        organisation=organisation,
        timezone=timezone,
        languages=languages,
    )
    volunteer = Volunteer.objects.create(user=user, organisation=organisation, bio=bio, capacity=capacity)
    volunteer.skills.set(skills)
    send(Event.VOLUNTEER_JOINED, volunteer=volunteer)
    return volunteer


class NotAFormerMentee(DomainError):
    pass


@transaction.atomic
def volunteer_from_mentee(*, user: User, bio: str = "", skills=(), capacity: int = 1) -> Volunteer:
    """A mentee becomes a volunteer with the same account: their mentee profile and history stay (it is
    their own story), their role becomes volunteer. Only once their mentoring is over: a person is not
    mentored and mentoring in the same organisation at once."""
    user = User.objects.select_for_update().get(pk=user.pk)
    if user.role != Role.MENTEE or user.organisation_id is None:
        raise NotAFormerMentee(_("Only a mentee can become a volunteer this way."))
    if Volunteer.objects.filter(user=user).exists():
        raise NotAFormerMentee(_("This account is already a volunteer."))
    if user.mentee.pairings.filter(status__in=["approved", "active", "suspended"]).exists():
        raise NotAFormerMentee(_("End your current mentoring before you mentor others."))
    user.role = Role.VOLUNTEER
    user.save(update_fields=["role"])
    volunteer = Volunteer.objects.create(user=user, organisation_id=user.organisation_id, bio=bio, capacity=capacity)
    volunteer.skills.set(skills)
    send(Event.VOLUNTEER_JOINED, volunteer=volunteer)
    return volunteer


@transaction.atomic
def volunteer_update(*, volunteer: Volunteer, user: dict | None = None, skills=None, **fields) -> Volunteer:
    """Change what the volunteer may change about themself (never the vetting fields)."""
    if user:
        user_update(user=volunteer.user, **user)
    model_update(instance=volunteer, data=fields)
    if skills is not None:
        volunteer.skills.set(skills)
    return volunteer


@transaction.atomic
def vetting_record(
    *,
    volunteer: Volunteer,
    status: str,
    checked_on: datetime.date | None,
    expires_on: datetime.date | None,
    recorded_by: User,
) -> Volunteer:
    volunteer = Volunteer.objects.select_for_update().select_related("user").get(pk=volunteer.pk)
    volunteer.vetting_status = status
    volunteer.vetting_checked_on = checked_on
    volunteer.vetting_expires_on = expires_on if status == VettingStatus.VERIFIED else None
    volunteer.vetting_recorded_by = recorded_by
    volunteer.save(
        update_fields=[
            "vetting_status",
            "vetting_checked_on",
            "vetting_expires_on",
            "vetting_recorded_by",
            "updated_at",
        ]
    )
    action = Action.VETTING_REJECTED if status == VettingStatus.REJECTED else Action.VETTING_RECORDED
    record(
        action,
        organisation_id=volunteer.user.organisation_id,
        actor=recorded_by,
        subject=volunteer.user_id,
        target=volunteer,
        detail={"status": status, "checked_on": _iso(checked_on), "expires_on": _iso(volunteer.vetting_expires_on)},
    )
    send(Event.VETTING_CHANGED, volunteer=volunteer)
    return volunteer


def _iso(day: datetime.date | None) -> str | None:
    return day.isoformat() if day else None


@transaction.atomic
def volunteer_erase(user: User) -> None:
    """Erasure: the profile goes; the vetting record stays (safeguarding evidence of who was checked)."""
    volunteer = Volunteer.objects.filter(user=user).first()
    if volunteer is not None:
        model_update(instance=volunteer, data={"bio": "", "capacity": 0})
        volunteer.skills.clear()
