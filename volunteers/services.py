"""Writes for volunteers: sign-up, profile edits and vetting."""

import datetime
from collections.abc import Callable

from django.db import transaction

from accounts.models import Organisation, Role, User
from accounts.services import user_create, user_update
from volunteers.models import VettingStatus, Volunteer

# Higher apps register here what must follow a change of vetting (e.g. suspending pairings with minors).
_vetting_changed_hooks: list[Callable[[Volunteer], object]] = []


def on_vetting_changed(hook: Callable[[Volunteer], object]) -> None:
    if hook not in _vetting_changed_hooks:
        _vetting_changed_hooks.append(hook)


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
    return volunteer


@transaction.atomic
def volunteer_update(*, volunteer: Volunteer, user: dict | None = None, skills=None, **fields) -> Volunteer:
    """Change what the volunteer may change about themself (never the vetting fields)."""
    if user:
        user_update(user=volunteer.user, **user)
    for name, value in fields.items():
        setattr(volunteer, name, value)
    volunteer.save()
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
    volunteer = Volunteer.objects.select_for_update().get(pk=volunteer.pk)
    volunteer.vetting_status = status
    volunteer.vetting_checked_on = checked_on
    volunteer.vetting_expires_on = expires_on if status == VettingStatus.VERIFIED else None
    volunteer.vetting_recorded_by = recorded_by
    volunteer.save(update_fields=["vetting_status", "vetting_checked_on", "vetting_expires_on",
                                  "vetting_recorded_by", "updated_at"])
    for hook in _vetting_changed_hooks:
        hook(volunteer)
    return volunteer

