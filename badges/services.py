"""Writes for badges: badge classes, milestone awards, nominations, revocation and sharing.

Milestones are computed from what is stored (sessions held, pairings completed, requests solved), never
from a running tally, so an event that repeats, arrives twice or is undone cannot award twice: the
recount either reaches the threshold or not, and the database's `one_award_per_milestone` constraint
keeps the award unique even when two workers race.

Undo: a session re-marked missed never takes a badge away. The badge may already have been downloaded or
shared and verified elsewhere; if it was earned by mistake, a coordinator revokes it (with a reason,
published in the status list). A count that drops and climbs back does not award again.
"""

import datetime
import secrets

from django.db import IntegrityError, transaction
from django.db.models import Count, DurationField, ExpressionWrapper, F, Min, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Organisation, Role, User
from badges import issuing
from badges.models import (
    MILESTONE_TEXTS,
    VOLUNTEER_MILESTONES,
    Award,
    BadgeClass,
    Contribution,
    Milestone,
    Nomination,
    NominationStatus,
)
from common.errors import DomainError
from common.services import model_update
from mentees.models import HelpRequestStatus, Mentee
from scheduling.models import CURRENT_STATUSES, EndKind, MentoringSession, Pairing, SessionStatus

THREE_MONTHS = datetime.timedelta(days=91)
SESSION_THRESHOLDS = {Milestone.FIRST_SESSION: 1, Milestone.FIVE_SESSIONS: 5}
HOUR_THRESHOLDS = {Milestone.HOURS_10: 10, Milestone.HOURS_50: 50, Milestone.HOURS_100: 100}
PEOPLE_THRESHOLDS = {Milestone.PEOPLE_1: 1, Milestone.PEOPLE_5: 5, Milestone.PEOPLE_10: 10}


class BadgeError(DomainError):
    pass


class BadgeForbidden(BadgeError):
    status = 403
    code = "forbidden"


# --- badge classes ---------------------------------------------------------------------------------------


@transaction.atomic
def badge_class_create(
    *,
    organisation: Organisation,
    by: User | None,
    name: str,
    description: str = "",
    criteria: str = "",
    tags: list[str] | None = None,
    language: str = "en",
    colour: str = "#2a7ab0",
    contribution: str | None = None,
) -> BadgeClass:
    if not name.strip():
        raise BadgeError(_("A badge needs a name."), field="name")
    if contribution and BadgeClass.objects.active().filter(organisation=organisation, contribution=contribution):
        raise BadgeError(_("An active badge already answers nominations of this kind."), field="contribution")
    return BadgeClass.objects.create(
        organisation=organisation,
        created_by=by,
        name=name.strip(),
        description=description,
        criteria=criteria,
        tags=list(tags or []),
        language=language,
        colour=colour,
        contribution=contribution or None,
    )


@transaction.atomic
def badge_class_update(*, badge_class: BadgeClass, **fields) -> BadgeClass:
    """Change a class's texts or colour. Awards already issued keep what their credentials say: a
    credential is built from the class when downloaded, so later downloads show the new texts."""
    badge_class = BadgeClass.objects.select_for_update().get(pk=badge_class.pk)
    if badge_class.is_retired:
        raise BadgeError(_("A retired badge cannot be changed."))
    contribution = fields.get("contribution")
    if (
        contribution
        and BadgeClass.objects.active()
        .filter(organisation_id=badge_class.organisation_id, contribution=contribution)
        .exclude(pk=badge_class.pk)
        .exists()
    ):
        raise BadgeError(_("An active badge already answers nominations of this kind."), field="contribution")
    if "name" in fields and not fields["name"].strip() and not badge_class.milestone:
        raise BadgeError(_("A badge needs a name."), field="name")
    model_update(instance=badge_class, data=fields)
    return badge_class


@transaction.atomic
def badge_class_retire(*, badge_class: BadgeClass, by: User) -> BadgeClass:
    """A retired class is awarded no more (milestones included); its awards stay valid."""
    badge_class = BadgeClass.objects.select_for_update().get(pk=badge_class.pk)
    if not badge_class.is_retired:
        model_update(instance=badge_class, data={"retired_at": timezone.now()})
    return badge_class


def milestone_badge_class(*, organisation_id: int, milestone: str) -> BadgeClass:
    """The organisation's class for a milestone, made the first time it is needed."""
    badge_class, _created = BadgeClass.objects.get_or_create(
        organisation_id=organisation_id,
        milestone=milestone,
        defaults={"colour": MILESTONE_TEXTS[milestone][2], "tags": ["mentoring"]},
    )
    return badge_class


# --- awards ----------------------------------------------------------------------------------------------


def _next_status_index(organisation_id: int) -> int:
    """The next free place in the organisation's status list. The caller holds the organisation's row
    lock, so two awards never take the same place."""
    last = Award.objects.filter(organisation_id=organisation_id).order_by("-status_index").first()
    return 0 if last is None else last.status_index + 1


@transaction.atomic
def award_create(
    *,
    badge_class: BadgeClass,
    recipient: User,
    by: User | None,
    evidence_text: str = "",
    evidence_url: str = "",
    issued_at: datetime.datetime | None = None,
) -> Award:
    if badge_class.is_retired:
        raise BadgeError(_("This badge is retired."), field="badge_class")
    if recipient.organisation_id != badge_class.organisation_id:
        raise BadgeError(_("This person is not in the badge's organisation."), field="recipient")
    # Lock the organisation: it serialises the allocation of status list places.
    Organisation.objects.select_for_update().only("pk").get(pk=badge_class.organisation_id)
    award = Award(
        badge_class=badge_class,
        organisation_id=badge_class.organisation_id,
        recipient=recipient,
        milestone=badge_class.milestone,
        issued_at=issued_at or timezone.now(),
        evidence_text=evidence_text,
        evidence_url=evidence_url,
        awarded_by=by,
        status_index=_next_status_index(badge_class.organisation_id),
    )
    award.identity_hash = issuing.identity_hash(recipient, award.salt)
    award.save()
    return award


def award_milestone(*, user: User, milestone: str) -> Award | None:
    """Award the milestone unless the person has it (or its class is retired). Safe to call again and
    from two workers at once: the second gets None."""
    if user.organisation_id is None or Award.objects.filter(recipient=user, milestone=milestone).exists():
        return None
    badge_class = milestone_badge_class(organisation_id=user.organisation_id, milestone=milestone)
    if badge_class.is_retired:
        return None
    try:
        with transaction.atomic():
            return award_create(badge_class=badge_class, recipient=user, by=None)
    except IntegrityError:  # another worker awarded it first
        return None


def milestones_reached(*, user: User, now: datetime.datetime | None = None) -> set[str]:
    """Every milestone the person's stored history reaches today (whether awarded or not)."""
    now = now or timezone.now()
    reached: set[str] = set()
    if user.role == Role.MENTEE:
        held = MentoringSession.objects.filter(pairing__mentee__user=user, status=SessionStatus.HELD)
        stats = held.aggregate(first=Min("start"), count=Count("pk"))
        for milestone, threshold in SESSION_THRESHOLDS.items():
            if stats["count"] >= threshold:
                reached.add(milestone)
        if stats["first"] is not None and stats["first"] <= now - THREE_MONTHS:
            # three months since the first session held, and still mentored (or a session held since)
            later = held.filter(start__gte=stats["first"] + THREE_MONTHS).exists()
            if later or Pairing.objects.current().filter(mentee__user=user).exists():
                reached.add(Milestone.THREE_MONTHS)
        completed = Pairing.objects.filter(mentee__user=user, end_kind=EndKind.COMPLETED)
        if completed.exists():
            reached.add(Milestone.PAIRING_COMPLETED)
        if completed.filter(help_request__status=HelpRequestStatus.CLOSED).exists():
            reached.add(Milestone.FIRST_HELP_REQUEST_SOLVED)
    elif user.role == Role.VOLUNTEER:
        held = MentoringSession.objects.filter(pairing__volunteer__user=user, status=SessionStatus.HELD)
        length = ExpressionWrapper(F("end") - F("start"), output_field=DurationField())
        stats = held.aggregate(total=Sum(length))
        hours = (stats["total"] or datetime.timedelta()).total_seconds() / 3600
        people = held.values("pairing__mentee_id").distinct().count()
        reached.update(m for m, threshold in HOUR_THRESHOLDS.items() if hours >= threshold)
        reached.update(m for m, threshold in PEOPLE_THRESHOLDS.items() if people >= threshold)
        if Mentee.objects.filter(user=user).exists():
            reached.add(Milestone.PEER_MENTOR)
    return reached


def milestones_check(*, user_id: int, now: datetime.datetime | None = None) -> list[Award]:
    """Award every milestone the person has reached and does not hold yet. Returns the new awards."""
    user = User.objects.filter(pk=user_id, is_active=True, erased_at__isnull=True).first()
    if user is None:
        return []
    held = set(Award.objects.filter(recipient=user, milestone__isnull=False).values_list("milestone", flat=True))
    awarded = []
    for milestone in sorted(milestones_reached(user=user, now=now) - held):
        if (milestone in VOLUNTEER_MILESTONES) != (user.role == Role.VOLUNTEER):
            continue
        award = award_milestone(user=user, milestone=milestone)
        if award is not None:
            awarded.append(award)
    return awarded


def pair_user_ids(*, session_id: int | None = None, pairing_id: int | None = None) -> list[int]:
    """The mentee's and the volunteer's user ids of a session's or a pairing's pair (one query)."""
    if session_id is not None:
        row = MentoringSession.objects.filter(pk=session_id).values(
            "pairing__mentee__user_id", "pairing__volunteer__user_id"
        )
        keys = ("pairing__mentee__user_id", "pairing__volunteer__user_id")
    elif pairing_id is not None:
        row = Pairing.objects.filter(pk=pairing_id).values("mentee__user_id", "volunteer__user_id")
        keys = ("mentee__user_id", "volunteer__user_id")
    else:
        return []
    found = row.first()
    return [found[key] for key in keys] if found else []


def three_months_sweep(*, now: datetime.datetime | None = None) -> int:
    """Daily: award "three months of mentoring" to mentees whose first session held is three months old.
    Only mentees with a current pairing or a later session are candidates; the check itself decides."""
    now = now or timezone.now()
    candidates = (
        MentoringSession.objects.filter(status=SessionStatus.HELD, start__lte=now - THREE_MONTHS)
        .exclude(pairing__mentee__user__awards__milestone=Milestone.THREE_MONTHS)
        .filter(Q(pairing__status__in=CURRENT_STATUSES) | Q(start__gte=now - 4 * THREE_MONTHS))
        .values_list("pairing__mentee__user_id", flat=True)
        .distinct()
    )
    count = 0
    for user_id in list(candidates):
        user = User.objects.get(pk=user_id)
        if Milestone.THREE_MONTHS in milestones_reached(user=user, now=now):
            count += award_milestone(user=user, milestone=Milestone.THREE_MONTHS) is not None
    return count


@transaction.atomic
def award_revoke(*, award_id: int, by: User, reason: str) -> Award:
    award = Award.objects.select_for_update().get(pk=award_id)
    if by.role != Role.COORDINATOR or by.organisation_id != award.organisation_id:
        raise BadgeForbidden(_("Only a coordinator of this organisation may revoke a badge."))
    if not reason.strip():
        raise BadgeError(_("Say why the badge is revoked."), field="reason")
    if award.is_revoked:
        raise BadgeError(_("This badge is already revoked."))
    # A revoked badge is no longer shown publicly either.
    model_update(
        instance=award,
        data={
            "revoked_at": timezone.now(),
            "revoked_by": by,
            "revoked_reason": reason.strip(),
            "share_slug": None,
            "shared_at": None,
        },
    )
    organisation_id = award.organisation_id
    transaction.on_commit(lambda: issuing.status_list_changed(organisation_id))  # published at once
    return award


@transaction.atomic
def award_share(*, award: Award, by: User, display_name: str) -> Award:
    """Publish the award on its public page under the name the holder chooses (and nothing else)."""
    award = Award.objects.select_for_update().get(pk=award.pk)
    if award.recipient_id != by.pk:
        raise BadgeForbidden(_("Only the holder may share a badge."))
    if award.is_revoked:
        raise BadgeError(_("A revoked badge cannot be shared."))
    display_name = display_name.strip()
    if not display_name:
        raise BadgeError(_("Choose the name to show with the badge."), field="display_name")
    data: dict = {"share_name": display_name}
    if award.share_slug is None:
        data.update(share_slug=secrets.token_urlsafe(18), shared_at=timezone.now())
    model_update(instance=award, data=data)
    return award


@transaction.atomic
def award_unshare(*, award: Award, by: User) -> Award:
    award = Award.objects.select_for_update().get(pk=award.pk)
    if award.recipient_id != by.pk:
        raise BadgeForbidden(_("Only the holder may stop sharing a badge."))
    model_update(instance=award, data={"share_slug": None, "shared_at": None, "share_name": ""})
    return award


# --- nominations -----------------------------------------------------------------------------------------


def may_nominate(*, by: User, mentee: Mentee) -> bool:
    """A coordinator of the mentee's organisation, or a volunteer paired with the mentee (now or before)."""
    if by.role == Role.COORDINATOR:
        return by.organisation_id == mentee.organisation_id
    if by.role == Role.VOLUNTEER:
        from badges.selectors import nominatable_mentees

        return nominatable_mentees(user=by).filter(pk=mentee.pk).exists()
    return False


@transaction.atomic
def nomination_create(
    *, mentee: Mentee, by: User, category: str, evidence_text: str, evidence_url: str = ""
) -> Nomination:
    if not may_nominate(by=by, mentee=mentee):
        raise BadgeError(_("You can nominate only a mentee you mentor or coordinate."), field="mentee")
    if category not in Contribution.values:
        raise BadgeError(_("Choose what they did."), field="category")
    if not evidence_text.strip():
        raise BadgeError(_("Say what they did."), field="evidence_text")
    return Nomination.objects.create(
        organisation_id=mentee.organisation_id,
        mentee=mentee,
        nominated_by=by,
        category=category,
        evidence_text=evidence_text.strip(),
        evidence_url=evidence_url,
    )


def _locked_pending(nomination_id: int, by: User) -> Nomination:
    nomination = Nomination.objects.select_for_update().select_related("mentee__user").get(pk=nomination_id)
    if by.role != Role.COORDINATOR or by.organisation_id != nomination.organisation_id:
        raise BadgeForbidden(_("Only a coordinator of this organisation may decide a nomination."))
    if nomination.status != NominationStatus.PENDING:
        raise BadgeError(_("This nomination has already been decided."))
    return nomination


@transaction.atomic
def nomination_approve(*, nomination_id: int, by: User, badge_class: BadgeClass | None = None) -> Nomination:
    """Approve: award the organisation's badge for this kind of contribution (or the one chosen)."""
    nomination = _locked_pending(nomination_id, by)
    if badge_class is None:
        badge_class = (
            BadgeClass.objects.active()
            .filter(organisation_id=nomination.organisation_id, contribution=nomination.category)
            .first()
        )
    if badge_class is None or badge_class.organisation_id != nomination.organisation_id or badge_class.milestone:
        raise BadgeError(_("Create a badge for this kind of contribution first, or choose one."), field="badge_class")
    award = award_create(
        badge_class=badge_class,
        recipient=nomination.mentee.user,
        by=by,
        evidence_text=nomination.evidence_text,
        evidence_url=nomination.evidence_url,
    )
    model_update(
        instance=nomination,
        data={"status": NominationStatus.APPROVED, "decided_by": by, "decided_at": timezone.now(), "award": award},
    )
    return nomination


@transaction.atomic
def nomination_reject(*, nomination_id: int, by: User, reason: str) -> Nomination:
    nomination = _locked_pending(nomination_id, by)
    if not reason.strip():
        raise BadgeError(_("Say why the nomination is rejected."), field="reason")
    model_update(
        instance=nomination,
        data={
            "status": NominationStatus.REJECTED,
            "decided_by": by,
            "decided_at": timezone.now(),
            "reason": reason.strip(),
        },
    )
    return nomination


# --- personal data ---------------------------------------------------------------------------------------


def badges_erase(user: User) -> None:
    """Erasure keeps the person's awards, pseudonymised: not shared any more, evidence cleared, but not
    revoked, so a credential they downloaded (naming them only by a salted hash) still verifies off the
    platform. Nominations about them lose their evidence; those they made keep theirs (it is about
    someone else) but no longer name them (the account is pseudonymised anyway)."""
    Award.objects.filter(recipient=user).update(
        share_slug=None, shared_at=None, share_name="", evidence_text="", evidence_url=""
    )
    Nomination.objects.filter(mentee__user=user).update(evidence_text="", evidence_url="")
