"""Writes for mentees: sign-up, profile edits, guardian consent and help requests."""

import datetime

from django.db import transaction
from django.utils import timezone

from accounts.models import Organisation, Role, User
from accounts.services import user_create, user_update
from mentees.models import HelpRequest, HelpRequestStatus, Mentee


@transaction.atomic
def mentee_signup(
    *,
    email: str,
    password: str,
    display_name: str,
    organisation: Organisation,
    birth_year: int,
    timezone: str = "UTC",
    languages=(),
) -> Mentee:
    user = user_create(
        email=email,
        password=password,
        display_name=display_name,
        role=Role.MENTEE,
        organisation=organisation,
        timezone=timezone,
        languages=languages,
    )
    return Mentee.objects.create(user=user, organisation=organisation, birth_year=birth_year)


@transaction.atomic
def mentee_update(*, mentee: Mentee, user: dict | None = None, **fields) -> Mentee:
    """Change what the mentee may change about themself (never the consent)."""
    if user:
        user_update(user=mentee.user, **user)
    for name, value in fields.items():
        setattr(mentee, name, value)
    mentee.save()
    return mentee


@transaction.atomic
def consent_record(
    *, mentee: Mentee, guardian_name: str, given_on: datetime.date, method: str, recorded_by: User
) -> Mentee:
    mentee = Mentee.objects.select_for_update().get(pk=mentee.pk)
    mentee.consent_guardian_name = guardian_name
    mentee.consent_given_on = given_on
    mentee.consent_method = method
    mentee.consent_recorded_at = timezone.now()
    mentee.consent_recorded_by = recorded_by
    mentee.save()
    return mentee


@transaction.atomic
def consent_withdraw(*, mentee: Mentee) -> Mentee:
    """The guardian withdrew consent: the minor is inactive again."""
    mentee = Mentee.objects.select_for_update().get(pk=mentee.pk)
    mentee.consent_guardian_name = ""
    mentee.consent_given_on = None
    mentee.consent_method = ""
    mentee.consent_recorded_at = None
    mentee.consent_recorded_by = None
    mentee.save()
    return mentee


@transaction.atomic
def help_request_create(*, mentee: Mentee, needs, languages=(), description: str = "",
                        urgency: str = "normal") -> HelpRequest:
    help_request = HelpRequest.objects.create(mentee=mentee, organisation_id=mentee.organisation_id,
                                              description=description, urgency=urgency)
    help_request.needs.set(needs)
    # With no preference given, the mentee's own languages are the preference.
    help_request.languages.set(languages or [item.language_id for item in mentee.user.languages.all()])
    return help_request


@transaction.atomic
def help_request_update(*, help_request: HelpRequest, needs=None, languages=None, **fields) -> HelpRequest:
    for name, value in fields.items():
        setattr(help_request, name, value)
    help_request.save()
    if needs is not None:
        help_request.needs.set(needs)
    if languages is not None:
        help_request.languages.set(languages)
    return help_request


def help_request_close(*, help_request: HelpRequest) -> HelpRequest:
    # Compare-and-swap: closing twice, or racing a match, changes the row once.
    HelpRequest.objects.filter(pk=help_request.pk).exclude(status=HelpRequestStatus.CLOSED).update(
        status=HelpRequestStatus.CLOSED, closed_at=timezone.now(), updated_at=timezone.now()
    )
    help_request.refresh_from_db()
    return help_request
