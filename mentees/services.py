"""Writes for mentees: sign-up, profile edits, guardian consent and help requests."""

import datetime

from django.db import transaction
from django.utils import timezone

from accounts.models import Organisation, Role, User
from accounts.services import user_create, user_update
from common.events import Event, send
from common.services import model_update
from mentees.models import HelpRequest, HelpRequestStatus, Mentee
from safeguarding.models import Action
from safeguarding.services import record

ERASED = "erased"  # stands in for a required text that erasure removed


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
    model_update(instance=mentee, data=fields)
    return mentee


@transaction.atomic
def consent_record(
    *, mentee: Mentee, guardian_name: str, given_on: datetime.date, method: str, recorded_by: User
) -> Mentee:
    mentee = Mentee.objects.select_for_update().select_related("user").get(pk=mentee.pk)
    model_update(
        instance=mentee,
        data={
            "consent_guardian_name": guardian_name,
            "consent_given_on": given_on,
            "consent_method": method,
            "consent_recorded_at": timezone.now(),
            "consent_recorded_by": recorded_by,
        },
    )
    record(
        Action.CONSENT_RECORDED,
        organisation_id=mentee.user.organisation_id,
        actor=recorded_by,
        subject=mentee.user_id,
        target=mentee,
        detail={"given_on": given_on.isoformat(), "method": method},
    )
    send(Event.CONSENT_CHANGED, mentee=mentee, by=recorded_by)  # suspended pairings may resume
    return mentee


@transaction.atomic
def consent_withdraw(*, mentee: Mentee, by: User, reason: str = "") -> Mentee:
    """The guardian withdrew consent: the minor is inactive again, and whatever the consent allowed ends at
    once, as a rejected vetting does (pairings suspended, sockets closed, no new sessions or bookings)."""
    mentee = Mentee.objects.select_for_update().select_related("user").get(pk=mentee.pk)
    model_update(
        instance=mentee,
        data={
            "consent_guardian_name": "",
            "consent_given_on": None,
            "consent_method": "",
            "consent_recorded_at": None,
            "consent_recorded_by": None,
        },
    )
    record(
        Action.CONSENT_WITHDRAWN,
        organisation_id=mentee.user.organisation_id,
        actor=by,
        subject=mentee.user_id,
        target=mentee,
        reason=reason,
    )
    send(Event.CONSENT_CHANGED, mentee=mentee, by=by)
    return mentee


@transaction.atomic
def help_request_create(
    *, mentee: Mentee, needs, languages=(), description: str = "", urgency: str = "normal"
) -> HelpRequest:
    help_request = HelpRequest.objects.create(
        mentee=mentee, organisation_id=mentee.organisation_id, description=description, urgency=urgency
    )
    help_request.needs.set(needs)
    # With no preference given, the mentee's own languages are the preference.
    help_request.languages.set(languages or [item.language_id for item in mentee.user.languages.all()])
    return help_request


@transaction.atomic
def help_request_update(*, help_request: HelpRequest, needs=None, languages=None, **fields) -> HelpRequest:
    """What the mentee may change (never the status: matching and closing have their own services)."""
    model_update(instance=help_request, data=fields)
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


@transaction.atomic
def mentee_erase(user: User) -> None:
    """Erasure: what the mentee wrote in requests and the guardian's name go; dates and states stay, as
    the safeguarding record of who was matched when."""
    mentee = Mentee.objects.filter(user=user).first()
    if mentee is None:
        return
    Mentee.objects.filter(pk=mentee.pk).update(
        consent_guardian_name=ERASED if mentee.has_consent else "", updated_at=timezone.now()
    )
    requests = HelpRequest.objects.filter(mentee=mentee)
    requests.update(description="", updated_at=timezone.now())
    requests.exclude(status=HelpRequestStatus.CLOSED).update(status=HelpRequestStatus.CLOSED, closed_at=timezone.now())
