"""Mentoring sessions of a pair: booked in a slot or at a time both are available, then held or missed."""

from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from common.events import Event, send
from scheduling import availability
from scheduling.models import LIVE_STATUSES, MentoringSession, Pairing, PairingStatus, SessionStatus, Slot
from scheduling.selectors import windows_of
from scheduling.services.errors import InvalidTransition, SafeguardingRefusal, SchedulingError
from scheduling.services.pairings import lock_pair, safeguarding_problem

MIN_SESSION = timedelta(minutes=15)
MAX_SESSION = timedelta(hours=4)


@transaction.atomic
def session_book(
    *, pairing: Pairing, by: User, start: datetime, end: datetime, slot: Slot | None = None
) -> MentoringSession:
    # The people's locks (in the one order) serialise their bookings: no double booking of a person.
    volunteer, mentee = lock_pair(volunteer_id=pairing.volunteer_id, mentee_id=pairing.mentee_id)
    pairing = Pairing.objects.select_for_update().get(pk=pairing.pk)
    pairing.volunteer, pairing.mentee = volunteer, mentee
    if pairing.status not in LIVE_STATUSES:
        raise InvalidTransition(_("Sessions can only be booked for an approved pairing."))
    # The hourly sweep may not have run since a vetting lapsed: check again before a minor meets anyone.
    problem = safeguarding_problem(mentee=mentee, volunteer=volunteer)
    if problem:
        raise SafeguardingRefusal(problem)
    if end - start < MIN_SESSION or end - start > MAX_SESSION:
        raise SchedulingError(_("A session lasts between 15 minutes and 4 hours."), field="end")
    if start <= timezone.now():
        raise SchedulingError(_("A session must start in the future."), field="start")
    if slot is not None:
        if slot.organisation_id != pairing.organisation_id:
            raise SchedulingError(_("This slot belongs to another organisation."), field="slot")
        if not (slot.start <= start and end <= slot.end):
            raise SchedulingError(_("The session must fall inside the slot."), field="start")
    else:
        for person in (pairing.volunteer.user, pairing.mentee.user):
            if not availability.covers(windows_of(person), person.timezone, start, end):
                message = _("%(name)s is not available then; pick one of the suggested times.")
                raise SchedulingError(message % {"name": person.display_name}, field="start")
    clashes = MentoringSession.objects.filter(status=SessionStatus.BOOKED, start__lt=end, end__gt=start).filter(
        Q(pairing__volunteer=volunteer) | Q(pairing__mentee=mentee)
    )
    if clashes.exists():
        raise SchedulingError(_("One of you already has a session booked at that time."), field="start")
    session = MentoringSession.objects.create(
        pairing=pairing, organisation_id=pairing.organisation_id, slot=slot, start=start, end=end, booked_by=by
    )
    if pairing.status == PairingStatus.APPROVED:
        pairing.status = PairingStatus.ACTIVE  # the first booked session starts the mentoring
        pairing.save(update_fields=["status"])
    return session


@transaction.atomic
def session_mark(*, session: MentoringSession, by: User, held: bool) -> MentoringSession:
    session = MentoringSession.objects.select_for_update().get(pk=session.pk)
    if session.status not in (SessionStatus.BOOKED, SessionStatus.HELD, SessionStatus.MISSED):
        raise InvalidTransition(_("A cancelled session cannot be marked."))
    if session.start > timezone.now():
        raise InvalidTransition(_("A session can be marked only once it has started."))
    was = session.status
    session.status = SessionStatus.HELD if held else SessionStatus.MISSED
    session.marked_by = by
    session.save(update_fields=["status", "marked_by", "updated_at"])
    if session.status != was:
        # held, or a held one re-marked missed (held=False), so milestones can be counted and undone
        send(Event.SESSION_MARKED, session=session, held=held)
    return session


@transaction.atomic
def session_cancel(*, session: MentoringSession, by: User, reason: str) -> MentoringSession:
    session = MentoringSession.objects.select_for_update().get(pk=session.pk)
    if session.status != SessionStatus.BOOKED:
        raise InvalidTransition(_("Only a booked session can be cancelled."))
    session.status = SessionStatus.CANCELLED
    session.cancelled_by, session.cancel_reason = by, reason
    session.save(update_fields=["status", "cancelled_by", "cancel_reason", "updated_at"])
    return session
