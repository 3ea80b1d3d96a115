from collections.abc import Callable

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from mentees.models import HelpRequest, HelpRequestStatus, Mentee
from scheduling.models import LIVE_STATUSES, EndKind, Pairing, PairingStatus
from scheduling.services.errors import CapacityExceeded, InvalidTransition, SafeguardingRefusal, SchedulingError
from volunteers.models import Volunteer

# Higher apps register what must follow a pairing's change (chat opens, closes or pauses its conversation).
# Hooks run inside the same transaction, with the pairing and one of: approved, ended, suspended, resumed.
_pairing_changed_hooks: list[Callable[[Pairing, str], object]] = []


def on_pairing_changed(hook: Callable[[Pairing, str], object]) -> None:
    if hook not in _pairing_changed_hooks:
        _pairing_changed_hooks.append(hook)


def _changed(pairing: Pairing, event: str) -> None:
    for hook in _pairing_changed_hooks:
        hook(pairing, event)


def _locked(pairing_id: int) -> tuple[Pairing, Volunteer, Mentee]:
    """Lock volunteer, then mentee, then pairing: one order everywhere, so approvals never deadlock."""
    ids = Pairing.objects.values("volunteer_id", "mentee_id").get(pk=pairing_id)
    volunteer = Volunteer.objects.select_for_update(of=("self",)).select_related("user").get(pk=ids["volunteer_id"])
    mentee = Mentee.objects.select_for_update(of=("self",)).select_related("user").get(pk=ids["mentee_id"])
    pairing = Pairing.objects.select_for_update().get(pk=pairing_id)
    pairing.volunteer, pairing.mentee = volunteer, mentee
    return pairing, volunteer, mentee


def safeguarding_problem(*, mentee: Mentee, volunteer: Volunteer) -> str | None:
    """Why this pair may not be approved, or None."""
    if mentee.is_minor:
        if not mentee.has_consent:
            return _("A guardian's consent must be recorded before a minor is paired.")
        if not volunteer.is_vetted():
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
    if Pairing.objects.live().filter(mentee=mentee).exists():
        raise SchedulingError(_("This mentee already has a current pairing."))
    # Without the volunteer's row lock, two coordinators approving at once could overfill them.
    if Pairing.objects.live().filter(volunteer=volunteer).count() >= volunteer.capacity:
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
    _changed(pairing, "approved")
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
        taken = Pairing.objects.live().filter(volunteer=volunteer).count() + others.exclude(pk=pairing.pk).count()
        if taken >= volunteer.capacity:
            raise CapacityExceeded()
        if Pairing.objects.filter(mentee=mentee, pinned=True, status=PairingStatus.PROPOSED).exclude(
            pk=pairing.pk
        ).exists():
            raise SchedulingError(_("Another pairing of this mentee is already pinned."))
    pairing.pinned = pinned
    pairing.save(update_fields=["pinned"])
    return pairing


@transaction.atomic
def pairing_end(*, pairing_id: int, by: User, kind: str, reason: str) -> Pairing:
    pairing, _volunteer, _mentee = _locked(pairing_id)
    if pairing.status not in LIVE_STATUSES:
        raise InvalidTransition(_("Only a current pairing can be ended."))
    pairing.status = PairingStatus.ENDED
    pairing.ended_by, pairing.ended_at = by, timezone.now()
    pairing.end_kind, pairing.end_reason = kind, reason
    pairing.save(update_fields=["status", "ended_by", "ended_at", "end_kind", "end_reason"])
    if pairing.help_request_id:
        # A completed mentoring closes the request; a cancelled one puts it back in the queue.
        after = HelpRequestStatus.CLOSED if kind == EndKind.COMPLETED else HelpRequestStatus.OPEN
        now = timezone.now()
        HelpRequest.objects.filter(pk=pairing.help_request_id, status=HelpRequestStatus.MATCHED).update(
            status=after, updated_at=now, closed_at=now if after == HelpRequestStatus.CLOSED else None
        )
    _changed(pairing, "ended")
    return pairing


def _suspend(pairings) -> int:
    changed = 0
    for pairing in pairings.select_for_update().filter(status__in=[PairingStatus.APPROVED, PairingStatus.ACTIVE]):
        pairing.status, pairing.suspended_reason = PairingStatus.SUSPENDED, "vetting not current"
        pairing.save(update_fields=["status", "suspended_reason"])
        _changed(pairing, "suspended")
        changed += 1
    return changed


@transaction.atomic
def pairings_review_vetting(volunteer: Volunteer) -> int:
    """Suspend the volunteer's current pairings with minors whose vetting is no longer current, and
    resume suspended ones once it is. Returns how many changed."""
    live_with_minors = Pairing.objects.filter(volunteer=volunteer, mentee__in=Mentee.objects.minors())
    if not volunteer.is_vetted():
        return _suspend(live_with_minors)
    changed = 0
    for pairing in live_with_minors.select_for_update().filter(status=PairingStatus.SUSPENDED):
        pairing.status = PairingStatus.ACTIVE if pairing.sessions.exists() else PairingStatus.APPROVED
        pairing.suspended_reason = ""
        pairing.save(update_fields=["status", "suspended_reason"])
        _changed(pairing, "resumed")
        changed += 1
    return changed


@transaction.atomic
def pairings_suspend_unvetted() -> int:
    """Periodic: suspend every current pairing of a minor whose volunteer's vetting has lapsed."""
    lapsed = Volunteer.objects.exclude(pk__in=Volunteer.objects.vetted().values("pk"))
    return _suspend(Pairing.objects.filter(mentee__in=Mentee.objects.minors(), volunteer__in=lapsed))
