"""The approval workflow of pairings: approve, reject, pin, end, and the safeguarding reviews that suspend
and resume them when a volunteer's vetting or a minor's consent changes."""

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from accounts.models import User
from common.events import Event, PairingChange, send
from mentees.models import HelpRequest, HelpRequestStatus, Mentee
from safeguarding.models import Action
from safeguarding.services import record
from scheduling.models import (
    CURRENT_STATUSES,
    LIVE_STATUSES,
    EndKind,
    MentoringSession,
    Pairing,
    PairingStatus,
    SessionStatus,
)
from scheduling.services.errors import CapacityExceeded, InvalidTransition, SafeguardingRefusal, SchedulingError
from volunteers.models import Volunteer

_LOGGED = {
    PairingChange.APPROVED: Action.PAIRING_APPROVED,
    PairingChange.SUSPENDED: Action.PAIRING_SUSPENDED,
    PairingChange.RESUMED: Action.PAIRING_RESUMED,
    PairingChange.ENDED: Action.PAIRING_ENDED,
}


def _changed(pairing: Pairing, change: PairingChange, *, by: User | None, reason: str = "") -> None:
    """Log the decision and tell higher apps (chat opens, closes or pauses the conversation), in the
    same transaction."""
    record(
        _LOGGED[change],
        organisation_id=pairing.organisation_id,
        actor=by,
        subject=pairing.mentee.user_id,
        target=pairing,
        reason=reason,
        detail={"volunteer": pairing.volunteer.user_id, "mentee": pairing.mentee.user_id, "status": pairing.status},
    )
    send(Event.PAIRING_CHANGED, pairing=pairing, change=change)


def lock_pair(*, volunteer_id: int, mentee_id: int) -> tuple[Volunteer, Mentee]:
    """Lock the volunteer, then the mentee: one order everywhere (approvals, bookings, reviews), so two
    writers never deadlock. Callers lock the pairing itself afterwards."""
    volunteer = Volunteer.objects.select_for_update(of=("self",)).select_related("user").get(pk=volunteer_id)
    mentee = Mentee.objects.select_for_update(of=("self",)).select_related("user").get(pk=mentee_id)
    return volunteer, mentee


def _locked(pairing_id: int) -> tuple[Pairing, Volunteer, Mentee]:
    ids = Pairing.objects.values("volunteer_id", "mentee_id").get(pk=pairing_id)
    volunteer, mentee = lock_pair(volunteer_id=ids["volunteer_id"], mentee_id=ids["mentee_id"])
    pairing = Pairing.objects.select_for_update().get(pk=pairing_id)
    pairing.volunteer, pairing.mentee = volunteer, mentee
    return pairing, volunteer, mentee


def safeguarding_problem(*, mentee: Mentee, volunteer: Volunteer) -> str | None:
    """Why this pair may not be approved (or go on meeting), or None."""
    if mentee.is_minor:
        if not mentee.has_consent:
            return _("A guardian's consent must be recorded before a minor is paired.")
        if not volunteer.is_vetted:
            return _("A minor can only be paired with a volunteer whose background check is current.")
    if not mentee.is_active or not volunteer.user.is_active:
        return _("Both people must have active profiles.")
    return None


@transaction.atomic
def pairing_approve(*, pairing_id: int, by: User) -> Pairing:
    pairing, volunteer, mentee = _locked(pairing_id)
    if pairing.status != PairingStatus.PROPOSED:
        raise InvalidTransition(_("Only a proposed pairing can be approved."))
    problem = safeguarding_problem(mentee=mentee, volunteer=volunteer)
    if problem:
        raise SafeguardingRefusal(problem)
    if Pairing.objects.current().filter(mentee=mentee).exists():
        raise SchedulingError(_("This mentee already has a current pairing."))
    # Without the volunteer's row lock, two coordinators approving at once could overfill them.
    if Pairing.objects.current().filter(volunteer=volunteer).count() >= volunteer.capacity:
        raise CapacityExceeded()
    pairing.status = PairingStatus.APPROVED
    pairing.decided_by, pairing.decided_at = by, timezone.now()
    pairing.save(update_fields=["status", "decided_by", "decided_at"])
    if pairing.help_request_id:
        HelpRequest.objects.filter(pk=pairing.help_request_id, status=HelpRequestStatus.OPEN).update(
            status=HelpRequestStatus.MATCHED, updated_at=timezone.now()
        )
    # Other open proposals for this mentee are moot now; nobody decided them, so they leave no trace.
    Pairing.objects.filter(mentee=mentee, status=PairingStatus.PROPOSED).exclude(pk=pairing.pk).delete()
    _changed(pairing, PairingChange.APPROVED, by=by)
    from scheduling import tasks

    transaction.on_commit(lambda: tasks.notify_pairing_approved.delay(pairing.pk))
    return pairing


@transaction.atomic
def pairing_reject(*, pairing_id: int, by: User, reason: str) -> Pairing:
    pairing, _volunteer, _mentee = _locked(pairing_id)
    if pairing.status != PairingStatus.PROPOSED:
        raise InvalidTransition(_("Only a proposed pairing can be rejected."))
    pairing.status = PairingStatus.REJECTED
    pairing.pinned = False
    pairing.decided_by, pairing.decided_at, pairing.rejection_reason = by, timezone.now(), reason
    pairing.save(update_fields=["status", "pinned", "decided_by", "decided_at", "rejection_reason"])
    record(
        Action.PAIRING_REJECTED,
        organisation_id=pairing.organisation_id,
        actor=by,
        subject=pairing.mentee.user_id,
        target=pairing,
        reason=reason,
        detail={"volunteer": pairing.volunteer.user_id, "mentee": pairing.mentee.user_id},
    )
    return pairing


@transaction.atomic
def pairing_pin(*, pairing_id: int, pinned: bool) -> Pairing:
    pairing, volunteer, mentee = _locked(pairing_id)
    if pairing.status != PairingStatus.PROPOSED:
        raise InvalidTransition(_("Only a proposed pairing can be pinned."))
    if pinned:
        problem = safeguarding_problem(mentee=mentee, volunteer=volunteer)
        if problem:
            raise SafeguardingRefusal(problem)
        others = Pairing.objects.filter(volunteer=volunteer, pinned=True, status=PairingStatus.PROPOSED)
        taken = Pairing.objects.current().filter(volunteer=volunteer).count() + others.exclude(pk=pairing.pk).count()
        if taken >= volunteer.capacity:
            raise CapacityExceeded()
        if (
            Pairing.objects.filter(mentee=mentee, pinned=True, status=PairingStatus.PROPOSED)
            .exclude(pk=pairing.pk)
            .exists()
        ):
            raise SchedulingError(_("Another pairing of this mentee is already pinned."))
    pairing.pinned = pinned
    pairing.save(update_fields=["pinned"])
    return pairing


@transaction.atomic
def pairing_end(*, pairing_id: int, by: User | None, kind: str, reason: str) -> Pairing:
    pairing, _volunteer, _mentee = _locked(pairing_id)
    if pairing.status not in CURRENT_STATUSES:
        raise InvalidTransition(_("Only a current pairing can be ended."))
    pairing.status = PairingStatus.ENDED
    pairing.ended_by, pairing.ended_at = by, timezone.now()
    pairing.end_kind, pairing.end_reason = kind, reason
    pairing.save(update_fields=["status", "ended_by", "ended_at", "end_kind", "end_reason"])
    if pairing.help_request_id:
        # A completed mentoring closes the request; a cancelled one puts it back in the queue.
        after = HelpRequestStatus.CLOSED if kind == EndKind.COMPLETED else HelpRequestStatus.OPEN
        now = timezone.now()
        closed = HelpRequest.objects.filter(pk=pairing.help_request_id, status=HelpRequestStatus.MATCHED).update(
            status=after, updated_at=now, closed_at=now if after == HelpRequestStatus.CLOSED else None
        )
        if closed and after == HelpRequestStatus.CLOSED:
            send(Event.HELP_REQUEST_SOLVED, help_request_id=pairing.help_request_id, pairing=pairing)
    _cancel_booked_sessions(pairing, reason=gettext_noop("The pairing ended."))
    _changed(pairing, PairingChange.ENDED, by=by, reason=reason)
    if kind == EndKind.COMPLETED:
        send(Event.PAIRING_COMPLETED, pairing=pairing)
    return pairing


def _cancel_booked_sessions(pairing: Pairing, *, reason: str) -> None:
    """Sessions still to come end with the right to meet."""
    MentoringSession.objects.filter(pairing=pairing, status=SessionStatus.BOOKED, start__gt=timezone.now()).update(
        status=SessionStatus.CANCELLED, cancel_reason=reason, updated_at=timezone.now()
    )


def _review(pairings: QuerySet[Pairing], *, by: User | None, reason: str, people_locked: bool = False) -> int:
    """Suspend each live pairing that safeguarding no longer allows, and resume each suspended one that it
    allows again (vetting current, consent recorded, both active). Returns how many changed.

    `people_locked`: the caller already holds the row lock of the person whose change this follows (the
    mentee, for consent), so only the pairing is locked here; locking the volunteer after the mentee would
    invert the volunteer-then-mentee order and could deadlock with an approval."""
    changed = 0
    candidates = pairings.filter(status__in=CURRENT_STATUSES).values_list("pk", flat=True).order_by("pk")
    for pairing_id in list(candidates):
        if people_locked:
            pairing = (
                Pairing.objects.select_for_update(of=("self",))
                .select_related("volunteer__user", "mentee__user")
                .get(pk=pairing_id)
            )
            volunteer, mentee = pairing.volunteer, pairing.mentee
        else:
            pairing, volunteer, mentee = _locked(pairing_id)
        problem = safeguarding_problem(mentee=mentee, volunteer=volunteer)
        if problem and pairing.status in LIVE_STATUSES:
            pairing.status, pairing.suspended_reason = PairingStatus.SUSPENDED, reason
            pairing.save(update_fields=["status", "suspended_reason"])
            _cancel_booked_sessions(pairing, reason=gettext_noop("The pairing was suspended."))
            _changed(pairing, PairingChange.SUSPENDED, by=by, reason=reason)
            changed += 1
        elif not problem and pairing.status == PairingStatus.SUSPENDED:
            pairing.status = PairingStatus.ACTIVE if pairing.sessions.exists() else PairingStatus.APPROVED
            pairing.suspended_reason = ""
            pairing.save(update_fields=["status", "suspended_reason"])
            _changed(pairing, PairingChange.RESUMED, by=by, reason=reason)
            changed += 1
    return changed


@transaction.atomic
def pairings_review_vetting(*, volunteer: Volunteer) -> int:
    """After a vetting change: suspend the volunteer's pairings with minors it no longer covers, resume
    suspended ones it covers again."""
    by = volunteer.vetting_recorded_by
    return _review(
        Pairing.objects.filter(volunteer=volunteer, mentee__in=Mentee.objects.minors()),
        by=by,
        reason="vetting not current" if not volunteer.is_vetted else "vetting current",
    )


@transaction.atomic
def pairings_review_consent(*, mentee: Mentee, by: User | None) -> int:
    """After a guardian's consent is recorded or withdrawn: suspend or resume the minor's pairing."""
    if not mentee.is_minor:
        return 0
    return _review(
        Pairing.objects.filter(mentee=mentee),
        by=by,
        people_locked=True,
        reason="consent recorded" if mentee.has_consent else "consent withdrawn",
    )


@transaction.atomic
def pairings_suspend_unvetted() -> int:
    """Periodic: suspend every current pairing of a minor whose volunteer's vetting has lapsed."""
    lapsed = Volunteer.objects.exclude(pk__in=Volunteer.objects.vetted().values("pk"))
    live = Pairing.objects.filter(mentee__in=Mentee.objects.minors(), volunteer__in=lapsed, status__in=LIVE_STATUSES)
    for volunteer in Volunteer.objects.filter(pk__in=live.values("volunteer_id")).select_related("user"):
        record(
            Action.VETTING_EXPIRED,
            organisation_id=volunteer.user.organisation_id,
            subject=volunteer.user_id,
            target=volunteer,
            detail={"expires_on": volunteer.vetting_expires_on and volunteer.vetting_expires_on.isoformat()},
        )
    return _review(live, by=None, reason="vetting not current")
